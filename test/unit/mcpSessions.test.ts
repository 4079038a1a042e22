// MCP repair sessions (issue 13 item 5), on the SDK's in-memory transport with several clients:
// each connection sees and ends only the sessions it opened (unless `--all-sessions`); every header
// field and attempt is sanitised before it is written; ending a session leaves none of its text on
// disk and no old table versions behind. The secrets are fresh variants of the generated corpus.
import assert from 'node:assert/strict';
import { OPEN_SESSIONS_TABLE } from '../../src/core/store/openSessions';
import { generateCorpus, type SecretEntry } from '../fixtures/redact/generateCorpus';
import { callTool, memoryMcp, resourceText, resultText, type MemoryMcp } from '../helpers/mcpMemory';
import { leaksIn, storeBytes } from '../helpers/storeBytes';
import { useTempDir } from '../helpers/tmp';

const sessionIds = (json: string): string[] => (JSON.parse(json) as { sessions: { id: string }[] }).sessions.map((s) => s.id).sort();

describe('MCP sessions: isolation per connection', function () {
  this.timeout(300_000);
  const tmp = useTempDir();
  let mcp: MemoryMcp | undefined;
  afterEach(async () => mcp?.close());

  it('a client sees and ends only its own sessions; --all-sessions sees and ends every one', async () => {
    mcp = await memoryMcp(tmp.path);
    // Two clients announcing the same name, and a third: names alone must not decide ownership.
    const a = await mcp.connect('claude-code');
    const b = await mcp.connect('claude-code');
    const c = await mcp.connect('cline');
    const issue = { title: 'Flaky login test on CI', body: 'test_login times out about one run in five' };
    const ra = await callTool(a, 'dejafix_record_attempt', {
      issue,
      command: 'pytest tests/test_login.py',
      exitCode: 1,
      output: 'TimeoutError',
      patch: '',
    });
    const rb = await callTool(b, 'dejafix_record_attempt', {
      issue,
      command: 'pytest tests/test_login.py',
      exitCode: 1,
      output: 'TimeoutError',
      patch: '',
    });
    const sa = ra.structuredContent?.sessionId as string;
    const sb = rb.structuredContent?.sessionId as string;
    assert.equal(rb.structuredContent?.opened, true, "b opened its own session, not a's of the same title");
    assert.notEqual(sa, sb);

    assert.deepEqual(sessionIds(await resourceText(a, 'dejafix://sessions')), [sa]);
    assert.deepEqual(sessionIds(await resourceText(b, 'dejafix://sessions')), [sb]);
    assert.deepEqual(sessionIds(await resourceText(c, 'dejafix://sessions')), []);

    // Another connection's session is answered like one that does not exist.
    for (const [tool, args] of [
      ['dejafix_record_attempt', { session: sa, command: 'pytest', exitCode: 0, patch: '' }],
      ['dejafix_record_outcome', { session: sa, outcome: 'abandoned' }],
    ] as const) {
      const r = await callTool(b, tool, args);
      assert.equal(r.isError, true, resultText(r));
      assert.match(resultText(r), new RegExp(`No open session "${sa}"`));
    }
    const none = await callTool(c, 'dejafix_record_outcome', { outcome: 'abandoned' });
    assert.match(resultText(none), /No repair session is open for you/);
    assert.equal(await mcp.store.count('episodes'), 0, 'nothing was ended by the wrong client');

    // b ends its only session without naming it; a's stays open.
    const doneB = await callTool(b, 'dejafix_record_outcome', { outcome: 'failed' });
    assert.equal(doneB.structuredContent?.sessionId, sb, resultText(doneB));
    assert.deepEqual(sessionIds(await resourceText(a, 'dejafix://sessions')), [sa]);

    const ops = await mcp.connect('ops', { allSessions: true });
    const all = await resourceText(ops, 'dejafix://sessions');
    assert.deepEqual(sessionIds(all), [sa]);
    assert.doesNotMatch(all, /"owner"/, 'the owner token is not served');
    const doneA = await callTool(ops, 'dejafix_record_outcome', { session: sa, outcome: 'abandoned' });
    assert.equal(doneA.structuredContent?.saved, true, resultText(doneA));
    assert.deepEqual(sessionIds(await resourceText(a, 'dejafix://sessions')), []);
    assert.equal(await mcp.store.count('episodes'), 2);
  });
});

/** The request fields one session's secrets go into, by carrier. */
function sessionCalls(k: number, secrets: SecretEntry[], ordinary: string) {
  const of = (carrier: string) => secrets.filter((s) => s.carrier === carrier).map((s) => s.text);
  const oneLine = secrets.find((s) => !s.text.includes('\n') && s.text.length < 400);
  const repos = of('repo');
  const lesson = of('lesson').find((t) => t.length >= 12 && t.length <= 400);
  return {
    first: {
      issue: {
        title: `Failure ${k}: ${oneLine?.text ?? 'worker crash'}`,
        body: [...of('issue'), ...of('lesson')].join('\n\n') || 'The worker crashes.',
        url: repos[1] ?? `https://tracker.acme.io/issues/${k}`,
      },
      repo: repos[0] ?? 'github.com/acme/app',
      command: of('command').join('\n') || 'pytest -x',
      exitCode: 1,
      output: `${of('output').join('\n')}\n${ordinary}`,
      patch: of('diff').join('\n'),
      files: [...of('file'), 'app/worker.py'],
      note: `Session ${k}: reproduced`,
    },
    second: { command: 'pytest -x', exitCode: 0, output: '1 passed', patch: of('repro').join('\n') || 'diff --git a/x b/x\n' },
    outcome: { outcome: k % 3 === 0 ? 'failed' : 'resolved', ...(lesson ? { lesson } : {}) },
  };
}

describe('MCP sessions: nothing secret on disk', function () {
  this.timeout(900_000);
  const tmp = useTempDir();
  let mcp: MemoryMcp | undefined;
  afterEach(async () => mcp?.close());

  it('sanitises every header field and attempt; after 20 sessions no corpus secret is in any store file and old versions are gone', async () => {
    const corpus = generateCorpus(13013);
    const N = 20;
    mcp = await memoryMcp(tmp.path);
    const clients = [await mcp.connect('claude-code'), await mcp.connect('codex')];
    const plan = Array.from({ length: N }, (_, k) => ({
      k,
      secrets: corpus.secrets.filter((_, i) => i % N === k),
      ordinary: corpus.ordinary[k % corpus.ordinary.length].text,
    }));
    const opened: string[] = [];
    for (const p of plan) {
      const r = await callTool(clients[p.k % 2], 'dejafix_record_attempt', sessionCalls(p.k, p.secrets, p.ordinary).first);
      assert.equal(r.isError, undefined, resultText(r));
      assert.ok(!resultText(r).includes(p.secrets[0].secret), 'the answer does not echo a secret');
      opened.push(r.structuredContent?.sessionId as string);
    }

    // All 20 open: the open-session rows and what the resource serves hold no secret.
    const served = (await resourceText(clients[0], 'dejafix://sessions')) + (await resourceText(clients[1], 'dejafix://sessions'));
    assert.equal(JSON.parse(await resourceText(clients[0], 'dejafix://sessions')).sessions.length, N / 2);
    assert.deepEqual(leaksIn(served, corpus.secrets), [], 'served by dejafix://sessions');
    assert.deepEqual(leaksIn(storeBytes(tmp.path), corpus.secrets), [], 'on disk while the sessions are open');

    const saved: string[] = [];
    for (const p of plan) {
      const calls = sessionCalls(p.k, p.secrets, p.ordinary);
      const client = clients[p.k % 2];
      const second = await callTool(client, 'dejafix_record_attempt', { ...calls.second, session: opened[p.k] });
      assert.equal(second.isError, undefined, resultText(second));
      const done = await callTool(client, 'dejafix_record_outcome', { ...calls.outcome, session: opened[p.k] });
      assert.equal(done.isError, undefined, resultText(done));
      saved.push(done.structuredContent?.episodeId as string);
    }

    const table = await mcp.store.extraTable(OPEN_SESSIONS_TABLE);
    assert.ok(table);
    assert.equal(await table.countRows(), 0, 'no open-session rows are left');
    const versions = await table.listVersions();
    assert.ok(versions.length <= 2, `${versions.length} versions of open_sessions kept`);

    // Ordinary text survives byte-identical, and the byte scan can see stored text at all.
    const bytes = storeBytes(tmp.path);
    for (const p of plan) {
      const ep = await mcp.store.getEpisode(saved[p.k]);
      assert.ok(ep, `episode of session ${p.k}`);
      assert.ok(
        ep.attempts[0].outputTail.endsWith(`\n${p.ordinary}`),
        `ordinary snippet of session ${p.k}: ${ep.attempts[0].outputTail.slice(-200)}`,
      );
      const line = p.ordinary.split('\n').sort((x, y) => y.length - x.length)[0];
      assert.ok(bytes.includes(line), `the scan finds stored text: ${line}`);
    }
    assert.deepEqual(leaksIn(bytes, corpus.secrets), [], 'on disk after the sessions ended');
  });
});
