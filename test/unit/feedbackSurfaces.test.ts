// "Not relevant" is one fact in the store, and every front door honours it the same way (issue 14's
// done-criterion, issue 17 item 3): given through `dejafix feedback` (the built CLI, a separate
// process) or the way the panel's Recaller gives it (session + issue text), the memory is hidden for
// that query — and only that query — by `dejafix recall`, MCP dejafix_recall (real server on the SDK's
// in-memory transport), the LM tool (AgentTools.run, what the VS Code tool calls), @dejafix /recall
// (the chat handler) and the panel's recall (recallWithContext, what the Recaller runs); --undo brings
// it back everywhere. Plus `dejafix feedback`'s bad input: one line each, nothing written.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { AgentTools, StoreSessions } from '../../src/core/agent';
import { recordFeedback, undoFeedback } from '../../src/core/feedback/feedback';
import { recallWithContext } from '../../src/core/recall/withContext';
import { ExperienceStore } from '../../src/core/store/store';
import { silentLogger } from '../../src/core/util/logger';
import { chatHandler } from '../../src/vscode/agents/chatHandler';
import { assertOneLine, runCli } from '../helpers/cli';
import { callTool, memoryMcp, type MemoryMcp } from '../helpers/mcpMemory';
import { makeEpisode } from '../helpers/records';
import { useTempDir } from '../helpers/tmp';

const REPO = 'github.com/acme/invoices';
const token = { isCancellationRequested: false, onCancellationRequested: () => ({ dispose() {} }) } as never;

/** Fresh corpora: each variant is a few past repairs on one topic, the query, and an unrelated query on the same topic. */
const VARIANTS = [
  {
    topic: ['CSV export', 'date column', 'app/export.py'],
    query: 'TypeError in the CSV export when the date column is empty',
    other: 'CSV export writes the date column in the wrong timezone',
  },
  {
    topic: ['login form', 'session cookie', 'app/auth.py'],
    query: 'Login form loses the session cookie after a redirect',
    other: 'Session cookie of the login form is not marked secure',
  },
  {
    topic: ['PDF invoice', 'currency symbol', 'app/pdf.py'],
    query: 'PDF invoice shows the wrong currency symbol for yen',
    other: 'Currency symbol overlaps the total on the PDF invoice',
  },
];

function episodesFor(v: (typeof VARIANTS)[number], tag: string) {
  const [a, b, file] = v.topic;
  return ['crash', 'wrong output', 'slow', 'missing field'].map((what, i) =>
    makeEpisode({
      id: `${tag}-${i}`,
      sourceId: `src-${tag}-${i}`,
      repo: REPO,
      issue: { title: `${a}: ${what} with the ${b}`, body: `The ${a} has a problem with the ${b} (${what}).` },
      files: [file],
      createdAt: `2024-0${i + 1}-01T00:00:00.000Z`,
    }),
  );
}

/** The episode ids each front door shows for `query` (threshold 0: plumbing, not relevance). */
async function shown(dir: string, query: string): Promise<Record<string, string[]>> {
  const cli = await runCli(['recall', '--store', dir, '--min-relevance', '0', '--k', '10', '--json', query]);
  assert.equal(cli.code, 0, cli.stderr);
  const out: Record<string, string[]> = {
    cli: (JSON.parse(cli.stdout) as { results: { episodeId: string }[] }).results.map((r) => r.episodeId),
  };
  const mcp: MemoryMcp = await memoryMcp(dir);
  try {
    const client: Client = await mcp.connect('claude-code');
    const r = await callTool(client, 'dejafix_recall', { query, k: 10, minRelevance: 0 });
    assert.equal(r.isError, undefined);
    out.mcp = (r.structuredContent?.episodes as { episodeId: string }[]).map((e) => e.episodeId);
    const tools = new AgentTools({ store: async () => mcp.store, sessions: new StoreSessions(mcp.store) });
    const lm = await tools.run('dejafix_recall', { query, k: 10, minRelevance: 0 });
    out.lm = (lm.data as { episodes: { episodeId: string }[] }).episodes.map((e) => e.episodeId);
    const chat = await chatHandler({
      store: async () => mcp.store,
      embedder: async () => undefined,
      session: () => undefined,
      repo: async () => REPO,
      k: () => 10,
      minRelevance: () => 0,
      log: silentLogger,
    })({ prompt: query, command: 'recall' }, {}, { markdown() {}, button() {}, progress() {} } as never, token);
    out.chat = (chat.metadata.episodes ?? []) as string[];
    const panel = await recallWithContext(mcp.store, { text: query, repo: REPO, k: 10, minRelevance: 0 }, { log: silentLogger });
    out.panel = panel.hits.map((h) => h.episodeId);
  } finally {
    await mcp.close();
  }
  return out;
}

function assertEverywhere(seen: Record<string, string[]>, id: string, present: boolean, what: string): void {
  assert.deepEqual(Object.keys(seen).sort(), ['chat', 'cli', 'lm', 'mcp', 'panel']);
  for (const [surface, ids] of Object.entries(seen))
    assert.equal(ids.includes(id), present, `${what}: ${surface} ${present ? 'lacks' : 'shows'} ${id} (${ids.join(', ')})`);
}

describe('"not relevant" is honoured the same way by every front door', function () {
  this.timeout(300_000);
  const tmp = useTempDir();

  async function seeded(v: (typeof VARIANTS)[number], tag: string): Promise<string> {
    const dir = join(tmp.path, tag);
    const store = await ExperienceStore.open(dir);
    await store.upsertEpisodes(episodesFor(v, tag));
    store.close();
    return dir;
  }

  VARIANTS.forEach((v, n) => {
    it(`given with \`dejafix feedback\` (variant ${n + 1}: ${v.topic[0]}): hidden for that query on all five, shown for another, back after --undo`, async () => {
      const dir = await seeded(v, `cli${n}`);
      const target = `cli${n}-${n % 4}`;
      assertEverywhere(await shown(dir, v.query), target, true, 'before any feedback');
      // By source id, with the query spaced and cased differently from the recalls below.
      const mark = await runCli(['feedback', `src-${target}`, '--not-relevant', '--query', `  ${v.query.toUpperCase()} `, '--store', dir]);
      assert.equal(mark.code, 0, mark.stderr);
      assert.match(mark.stdout, new RegExp(`Marked episode ${target} not relevant`));
      assertEverywhere(await shown(dir, v.query), target, false, 'after not relevant');
      assertEverywhere(await shown(dir, v.other), target, true, 'another query');
      const undo = await runCli(['feedback', target, '--not-relevant', '--undo', '--query', v.query, '--store', dir, '--json']);
      assert.equal(undo.code, 0, undo.stderr);
      assert.equal(JSON.parse(undo.stdout).undone, true);
      assertEverywhere(await shown(dir, v.query), target, true, 'after undo');
      const again = await runCli(['feedback', target, '--not-relevant', '--undo', '--query', v.query, '--store', dir]);
      assert.equal(again.code, 1, 'nothing left to undo is said, with exit 1');
      assert.match(again.stderr, /Nothing to undo/);
    });
  });

  it('given in the panel (a session and its issue text, as the Recaller records it): hidden for that issue on all five, back after Undo', async () => {
    const v = VARIANTS[1];
    const dir = await seeded(v, 'panel');
    const target = 'panel-2';
    const store = await ExperienceStore.open(dir);
    const mark = { subject: target, kind: 'not-relevant' as const, sessionId: 'session-7', query: v.query };
    try {
      await recordFeedback(store, mark);
    } finally {
      store.close();
    }
    assertEverywhere(await shown(dir, v.query), target, false, 'after the panel marked it');
    assertEverywhere(await shown(dir, v.other), target, true, 'another issue');
    const again = await ExperienceStore.open(dir);
    try {
      assert.equal(await undoFeedback(again, mark), true);
    } finally {
      again.close();
    }
    assertEverywhere(await shown(dir, v.query), target, true, 'after Undo in the panel');
  });

  it('`dejafix feedback --helpful` lifts the memory (a bounded amount) for every query, and says "helped 1 of 1 time"', async () => {
    const v = VARIANTS[2];
    const dir = await seeded(v, 'help');
    const before = await runCli(['recall', '--store', dir, '--min-relevance', '0', '--k', '10', '--json', v.other]);
    const scoreOf = (out: string, id: string) =>
      (JSON.parse(out) as { results: { episodeId: string; score: number }[] }).results.find((r) => r.episodeId === id)!.score;
    const helped = await runCli(['feedback', 'help-3', '--helpful', '--query', v.query, '--store', dir]);
    assert.equal(helped.code, 0, helped.stderr);
    const after = await runCli(['recall', '--store', dir, '--min-relevance', '0', '--k', '10', '--json', v.other]);
    const ratio = scoreOf(after.stdout, 'help-3') / scoreOf(before.stdout, 'help-3');
    assert.ok(ratio > 1 && ratio < 1.3, `lifted by ${ratio}`);
    const human = await runCli(['recall', '--store', dir, '--min-relevance', '0', '--k', '10', v.other]);
    assert.match(human.stdout, /helped 1 of 1 time\b/);
  });

  it('`dejafix feedback` bad input: one line, exit 2, nothing written', async () => {
    const dir = await seeded(VARIANTS[0], 'bad');
    const cases: [string[], RegExp][] = [
      [['cli0-0', '--query', 'x'], /give a verdict: --not-relevant or --helpful/],
      [['cli0-0', '--helpful', '--not-relevant', '--query', 'x'], /one verdict/],
      [['bad-0', '--helpful'], /--query TEXT is needed/],
      [['bad-0', '--helpful', '--query', ' \t '], /--query is empty/],
      [['bad-0', '--helpful', '--query', 'y'.repeat(100_001)], /--query is 100001 characters/],
      [['no-such-id', '--helpful', '--query', 'x'], /not found: "no-such-id"/],
      [["bad-0' OR '1'='1", '--not-relevant', '--query', 'x'], /not found/],
    ];
    for (const [args, pattern] of cases) assertOneLine(await runCli(['feedback', ...args, '--store', dir]), 2, pattern);
    const store = await ExperienceStore.open(dir, { mode: 'read' });
    try {
      assert.equal(await store.extraTable('feedback'), undefined, 'no feedback table was created by refused input');
    } finally {
      store.close();
    }
  });
});
