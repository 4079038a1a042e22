import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ExperienceStore } from '../../src/core/store';
import { InputFileError, exportJsonl, importLines, lineParser, swebenchEpisodeId } from '../../src/core/ingest';
import { LIMITS } from '../../src/core/store';
import { useTempDir } from '../helpers/tmp';
import { makeAttempt, makeEpisode, makeInsight } from '../helpers/records';

const FIX = join(__dirname, '../fixtures');

async function exportLines(store: ExperienceStore): Promise<string[]> {
  const lines: string[] = [];
  await exportJsonl(store, (l) => void lines.push(l));
  return lines.sort();
}

async function importFile(
  store: ExperienceStore,
  file: string,
  format: 'jsonl' | 'swebench' | 'swebench-runs' = 'jsonl',
  instancesFile?: string,
) {
  const { parse } = await lineParser(format, { instancesFile });
  return importLines(store, file, parse, { batchSize: 2 });
}

describe('import / export', () => {
  const tmp = useTempDir();
  let store: ExperienceStore;
  beforeEach(async () => {
    store = await ExperienceStore.open(join(tmp.path, 'store'));
  });
  afterEach(() => store.close());

  it('round-trips episodes and insights losslessly through JSONL', async () => {
    const full = makeEpisode({
      id: 'rt-1',
      issue: {
        title: 'Ünïcödé title — 日本語 🐛',
        body: 'line 1\nline 2\ttab "quotes" \\ backslash',
        url: 'https://tracker/1',
        number: 42,
      },
      errorSignature: "KeyError: 'date'",
      sourceId: 'SRC-1',
      endedAt: '2024-02-01T00:00:00.000Z',
      reproTest: 'diff --git a/t b/t\n',
      symbols: ['a', 'b'],
    });
    full.attempts = [
      makeAttempt('rt-1', { exitCode: null, outcome: 'unknown' }),
      makeAttempt('rt-1', { exitCode: 0, outcome: 'passed', at: '2024-01-01T01:00:00.000Z' }),
    ];
    const bare = makeEpisode({ id: 'rt-2', outcome: 'abandoned', files: [], symbols: [], finalPatch: '' });
    const insight = makeInsight({
      id: 'rt-i',
      lastUsedAt: '2024-03-01T00:00:00.000Z',
      evidence: { episodes: ['rt-1'], files: ['app/x.py'] },
    });
    await store.upsertEpisodes([full, bare]);
    await store.upsertInsights([insight, makeInsight({ id: 'rt-j', status: 'proposed' })]);

    const first = await exportLines(store);
    const file = join(tmp.path, 'export.jsonl');
    writeFileSync(file, first.join(''));
    const other = await ExperienceStore.open(join(tmp.path, 'other'));
    try {
      const r = await importFile(other, file);
      assert.equal(r.errors, 0);
      assert.deepEqual(
        [r.episodes, r.attempts, r.insights],
        [
          { inserted: 2, updated: 0 },
          { inserted: 2, updated: 0 },
          { inserted: 2, updated: 0 },
        ],
      );
      assert.deepEqual(await exportLines(other), first, 'export → import → export is identical');
      assert.deepEqual(await other.getEpisode('rt-1'), full);
      assert.deepEqual(await other.getInsight('rt-i'), insight);
    } finally {
      other.close();
    }
  });

  it('imports SWE-bench instances as resolved episodes, and again without duplicates', async () => {
    const file = join(FIX, 'swebench-mini.jsonl');
    const r1 = await importFile(store, file, 'swebench');
    assert.deepEqual([r1.episodes.inserted, r1.errors], [3, 0]);
    const r2 = await importFile(store, file, 'swebench');
    assert.deepEqual([r2.episodes.inserted, r2.episodes.updated], [0, 3]);
    assert.equal(await store.count('episodes'), 3);
    const e = await store.getEpisode(swebenchEpisodeId('acme__ledger-101'));
    assert.ok(e);
    assert.equal(e.issue.title, 'Balance report crashes when an account has no transactions');
    assert.match(e.issue.body, /ZeroDivisionError/);
    assert.equal(e.errorSignature, 'ZeroDivisionError: division by zero');
    assert.equal(e.sourceId, 'acme__ledger-101');
    assert.equal(e.repo, 'acme/ledger');
    assert.equal(e.createdAt, '2021-03-04T10:00:00.000Z');
    assert.equal(e.outcome, 'resolved');
    assert.equal(e.source, 'import:swebench');
    assert.deepEqual(e.files, ['ledger/report.py']);
    assert.deepEqual(e.symbols, ['balances']);
    assert.match(e.finalPatch, /if not txs:/);
    assert.match(e.reproTest, /test_balances_empty_account/);
  });

  it('attaches agent runs to their instance episodes as failed and passed attempts', async () => {
    const inst = join(FIX, 'swebench-mini.jsonl');
    const runs = join(FIX, 'swebench-runs-mini.jsonl');
    const r = await importFile(store, runs, 'swebench-runs', inst);
    assert.equal(r.errors, 0);
    await importFile(store, runs, 'swebench-runs', inst);
    assert.equal(await store.count('attempts'), 3);
    assert.equal(await store.count('episodes'), 2, 'only the instances that have runs');
    const e = await store.getEpisode(swebenchEpisodeId('acme__ledger-101'));
    assert.deepEqual(e?.attempts.map((a) => [a.by, a.outcome]).sort(), [
      ['agent-x/run-1', 'failed'],
      ['agent-y/run-1', 'passed'],
    ]);
    const none = await store.getEpisode(swebenchEpisodeId('acme__ledger-140'));
    assert.equal(none?.attempts[0].patch, '', 'a run without a patch is a failed attempt with an empty patch');
    assert.equal(none?.attempts[0].outcome, 'failed');
  });

  it('rejects runs of unknown instances and needs --instances', async () => {
    const runs = join(tmp.path, 'runs.jsonl');
    writeFileSync(runs, `${JSON.stringify({ instance_id: 'nope__x-1', system: 's', model_patch: '', resolved: false })}\n`);
    const r = await importFile(store, runs, 'swebench-runs', join(FIX, 'swebench-mini.jsonl'));
    assert.deepEqual(r.errorLines, [{ line: 1, reason: 'instance nope__x-1 is not in the --instances file' }]);
    await assert.rejects(lineParser('swebench-runs', {}), /needs --instances/);
  });

  it('reports malformed and truncated lines by number and still imports every good line', async () => {
    await store.upsertEpisodes([makeEpisode({ id: 'already-there' })]);
    const good = (id: string) => JSON.stringify({ kind: 'episode', ...makeEpisode({ id }) });
    const file = join(tmp.path, 'bad.jsonl');
    writeFileSync(
      file,
      [
        good('g1'),
        '{not json',
        JSON.stringify({ kind: 'episode', id: 'x' }),
        JSON.stringify({ kind: 'wat' }),
        '',
        good('g2'),
        JSON.stringify({ kind: 'episode', ...makeEpisode({ id: 'bad-time', createdAt: 'yesterday' }) }),
        '[1,2,3]',
        good('g3').slice(0, 80),
      ].join('\n'),
    );
    const r = await importFile(store, file);
    assert.deepEqual(
      r.errorLines.map((e) => e.line),
      [2, 3, 4, 7, 8, 9],
    );
    assert.match(r.errorLines[0].reason, /not valid JSON/);
    assert.match(r.errorLines[1].reason, /not a valid episode: repo/);
    assert.match(r.errorLines[3].reason, /createdAt: not a valid ISO time/);
    assert.match(r.errorLines[5].reason, /not valid JSON/);
    assert.equal(r.episodes.inserted, 2);
    assert.ok(await store.getEpisode('already-there'), 'nothing already stored is lost');
    assert.equal(await store.count('episodes'), 3);
  });

  it('reports invalid UTF-8 with its line and byte, keeping the other lines', async () => {
    const file = join(tmp.path, 'utf8.jsonl');
    const ok = Buffer.from(`${JSON.stringify({ kind: 'episode', ...makeEpisode({ id: 'u1' }) })}\n`);
    const bad = Buffer.concat([Buffer.from('{"kind":"episode","id":"u2","repo":"'), Buffer.from([0xff, 0xfe, 0x80]), Buffer.from('"}\n')]);
    writeFileSync(file, Buffer.concat([ok, bad, ok]));
    const r = await importFile(store, file);
    assert.deepEqual(r.errorLines, [{ line: 2, reason: 'invalid UTF-8 at byte 36' }]);
    assert.equal(await store.count('episodes'), 1);
  });

  it('keeps the head of a 10 MB patch and says so', async () => {
    const huge = `diff --git a/big.txt b/big.txt\n--- a/big.txt\n+++ b/big.txt\n@@ -1,1 +1,400000 @@\n${'+generated line of data\n'.repeat(450_000)}`;
    assert.ok(huge.length > 10_000_000);
    const file = join(tmp.path, 'huge.jsonl');
    writeFileSync(file, `${JSON.stringify({ kind: 'episode', ...makeEpisode({ id: 'huge', finalPatch: huge }) })}\n`);
    const r = await importFile(store, file);
    assert.equal(r.errors, 0);
    assert.ok(
      r.notes.some((n) => /finalPatch is 10\.\d M chars; kept the first 1\.0 M chars/.test(n)),
      r.notes.join('\n'),
    );
    const e = await store.getEpisode('huge');
    assert.ok(e && e.finalPatch.length < LIMITS.patch + 100);
    assert.ok(e.finalPatch.startsWith('diff --git a/big.txt'));
    assert.match(e.finalPatch, /characters truncated by Dejafix\]$/);
  });

  it('drops binary patch payloads but keeps the file headers and text hunks', async () => {
    const patch = [
      'diff --git a/logo.png b/logo.png',
      'new file mode 100644',
      'index 0000000..9b1c6d4',
      'GIT binary patch',
      'literal 1234',
      'zcmV;@1BCyuP)<h;3K|Lk000e1NJLTq000aB000aJ1^@s6+Di$',
      'zE>P1aV&k000e1NJLTq000aB000aJ1^@s6+Di$',
      '',
      'literal 0',
      'HcmV?d00001',
      '',
      'diff --git a/app/x.py b/app/x.py',
      '--- a/app/x.py',
      '+++ b/app/x.py',
      '@@ -1,1 +1,1 @@ def f(',
      '-a',
      '+b',
      '',
    ].join('\n');
    await store.upsertEpisodes([makeEpisode({ id: 'bin', finalPatch: patch })]);
    const e = await store.getEpisode('bin');
    assert.ok(e);
    assert.doesNotMatch(e.finalPatch, /zcmV/);
    assert.match(e.finalPatch, /GIT binary patch\n\[binary patch omitted by Dejafix\]\ndiff --git a\/app\/x.py/);
    assert.match(e.finalPatch, /\+b/);
  });

  it('refuses an empty or missing file with a clear message', async () => {
    const empty = join(tmp.path, 'empty.jsonl');
    writeFileSync(empty, '');
    await assert.rejects(
      importFile(store, empty),
      (e: unknown) => e instanceof InputFileError && /is empty, nothing to import/.test(e.message),
    );
    await assert.rejects(
      importFile(store, join(tmp.path, 'missing.jsonl')),
      (e: unknown) => e instanceof InputFileError && /no such file/.test(e.message),
    );
    await assert.rejects(importFile(store, tmp.path), (e: unknown) => e instanceof InputFileError && /not a file/.test(e.message));
  });

  it('accepts CRLF line endings and a byte-order mark', async () => {
    const file = join(tmp.path, 'crlf.jsonl');
    const l = (id: string) => JSON.stringify({ kind: 'episode', ...makeEpisode({ id }) });
    writeFileSync(file, `\ufeff${l('c1')}\r\n${l('c2')}\r\n`);
    const r = await importFile(store, file);
    assert.equal(r.errors, 0);
    assert.equal(await store.count('episodes'), 2);
  });
});
