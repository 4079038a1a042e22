// `dejafix_feedback` over MCP (the MCP SDK's client, the built CLI, a real store): an agent's "not relevant" hides a
// recalled repair from that query for every front door (the CLI's recall too) and `undo` brings it back; "helpful"
// works on lessons; source ids resolve; every malformed, huge or hostile argument is an MCP error result that says
// what to do, marks nothing, and the server keeps serving.
import * as assert from 'node:assert/strict';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { ExperienceStore } from '../../src/core/store/store';
import { runCli } from '../helpers/cli';
import { call, text, useMcpServers } from '../helpers/mcpClient';
import { makeEpisode, makeInsight } from '../helpers/records';
import { useTempDir } from '../helpers/tmp';

const QUERY = 'Invoice total is off by a cent when a discount applies to rounded line items';

async function seed(dir: string): Promise<void> {
  const store = await ExperienceStore.open(dir);
  await store.upsertEpisodes([
    makeEpisode({
      id: 'ep-rounding',
      sourceId: 'acme__invoices-101',
      issue: { title: 'Invoice total off by a cent for discounted rounded line items', body: 'Rounding of discounted lines.' },
      files: ['app/totals.py'],
    }),
    makeEpisode({
      id: 'ep-discount',
      issue: { title: 'Discount applies twice to invoice total', body: 'The total is discounted twice when lines are rounded.' },
      files: ['app/discounts.py'],
    }),
  ]);
  await store.upsertInsights([makeInsight({ id: 'in-rounding', text: 'Round each line before summing invoice totals with discounts.' })]);
  store.close();
}

describe('dejafix_feedback over MCP (MCP SDK client)', function () {
  this.timeout(120_000);
  const server = useMcpServers(() => tmp.path);
  const tmp = useTempDir();
  const start = async () => (await server('feedback-agent')).client;
  const recalled = async (client: Client, query = QUERY): Promise<string[]> => {
    const r = await call(client, 'dejafix_recall', { query, minRelevance: 0, k: 10 });
    assert.equal(r.isError, undefined, text(r));
    return ['ep-rounding', 'ep-discount'].filter((id) => text(r).includes(id));
  };

  it('not-relevant hides the repair from that query everywhere (MCP and CLI recall), undo brings it back', async () => {
    await seed(tmp.path);
    const client = await start();
    assert.deepEqual((await recalled(client)).sort(), ['ep-discount', 'ep-rounding']);

    const marked = await call(client, 'dejafix_feedback', { id: 'ep-discount', verdict: 'not-relevant', query: QUERY });
    assert.equal(marked.isError, undefined, text(marked));
    assert.match(text(marked), /Marked episode ep-discount not relevant: recalling this query will not show it again/);
    assert.deepEqual(await recalled(client), ['ep-rounding']);
    // the same issue text with other spacing and case is the same query; another query still finds it
    assert.deepEqual(await recalled(client, `  ${QUERY.toUpperCase()}  `), ['ep-rounding']);
    assert.ok((await recalled(client, 'discount applied twice to the invoice total')).includes('ep-discount'));
    // the CLI's recall honours the agent's verdict (it lives in the store, not in the MCP server)
    const cli = await runCli(['recall', '--store', tmp.path, '--embedder', 'none', '--json', '--min-relevance', '0', QUERY]);
    assert.equal(cli.code, 0, cli.stderr);
    assert.deepEqual(
      JSON.parse(cli.stdout).results.map((x: { episodeId: string }) => x.episodeId),
      ['ep-rounding'],
    );

    const undone = await call(client, 'dejafix_feedback', { id: 'ep-discount', verdict: 'not-relevant', query: QUERY, undo: true });
    assert.match(text(undone), /Took back "not relevant" on episode ep-discount/);
    assert.deepEqual((await recalled(client)).sort(), ['ep-discount', 'ep-rounding']);
    const again = await call(client, 'dejafix_feedback', { id: 'ep-discount', verdict: 'not-relevant', query: QUERY, undo: true });
    assert.equal(again.isError, undefined);
    assert.match(text(again), /Nothing to take back: episode ep-discount was not marked not-relevant for this query/);
  });

  it('helpful on a lesson and on a source id (resolved to its episode)', async () => {
    await seed(tmp.path);
    const client = await start();
    const lesson = await call(client, 'dejafix_feedback', { id: 'in-rounding', verdict: 'helpful', query: QUERY });
    assert.match(text(lesson), /Marked insight in-rounding helpful/);
    const bySource = await call(client, 'dejafix_feedback', { id: 'acme__invoices-101', verdict: 'helpful', query: QUERY });
    assert.match(text(bySource), /Marked episode ep-rounding helpful/);
    const store = await ExperienceStore.open(tmp.path, { mode: 'read' });
    try {
      const rows = (await (await store.extraTable('feedback'))?.query().toArray()) ?? [];
      // (a "helpful" verdict also credits the memory: "helped" rows, which the utility prior counts)
      assert.deepEqual(
        rows
          .filter((r) => r.kind === 'helpful')
          .map((r) => String(r.subject))
          .sort(),
        ['ep-rounding', 'in-rounding'],
      );
      assert.ok(
        rows.every((r) => !JSON.stringify(r).includes('off by a cent')),
        'only the hash of the query is stored',
      );
    } finally {
      store.close();
    }
  });

  it('malformed, huge and hostile arguments: an error result saying what to fix, nothing marked, the server keeps serving', async () => {
    await seed(tmp.path);
    const client = await start();
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ verdict: 'helpful', query: QUERY }, /id/],
      [{ id: '', verdict: 'helpful', query: QUERY }, /id/],
      [{ id: 'x'.repeat(201), verdict: 'helpful', query: QUERY }, /id/],
      [{ id: 'ep-rounding', verdict: 'great', query: QUERY }, /verdict/],
      [{ id: 'ep-rounding', query: QUERY }, /verdict/],
      [{ id: 'ep-rounding', verdict: 'helpful' }, /query/],
      [{ id: 'ep-rounding', verdict: 'helpful', query: '' }, /query/],
      [{ id: 'ep-rounding', verdict: 'helpful', query: 'q'.repeat(50_001) }, /query/],
      [{ id: 'ep-rounding', verdict: 'helpful', query: QUERY, undo: 'yes' }, /undo/],
      [{ id: 42, verdict: 'helpful', query: QUERY }, /id/],
      [{ id: 'ep-nope', verdict: 'helpful', query: QUERY }, /No past repair or lesson has the id "ep-nope".*as dejafix_recall returned it/],
      [{ id: "ep-rounding' OR '1'='1", verdict: 'not-relevant', query: QUERY }, /No past repair or lesson has the id/],
      [{ id: 'ep-rounding\u0000', verdict: 'not-relevant', query: QUERY }, /No past repair or lesson has the id/],
      [{ id: '<script>alert(1)</script>', verdict: 'not-relevant', query: QUERY }, /No past repair or lesson has the id/],
    ];
    for (const [args, expected] of cases) {
      const r = await call(client, 'dejafix_feedback', args);
      assert.equal(r.isError, true, `${JSON.stringify(args).slice(0, 120)} should fail: ${text(r)}`);
      assert.match(text(r), expected, JSON.stringify(args).slice(0, 120));
      assert.doesNotMatch(text(r), /\n\s+at |LanceError/, 'no stack or storage internals');
    }
    assert.deepEqual((await recalled(client)).sort(), ['ep-discount', 'ep-rounding'], 'nothing was marked');
    const store = await ExperienceStore.open(tmp.path, { mode: 'read' });
    try {
      const t = await store.extraTable('feedback');
      assert.equal(t ? await t.countRows() : 0, 0);
    } finally {
      store.close();
    }
  });
});
