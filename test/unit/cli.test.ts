import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, runCli } from '../helpers/cli';
import { useTempDir } from '../helpers/tmp';
import { makeEpisode } from '../helpers/records';

const FIX = join(__dirname, '../fixtures');
const isRoot = process.getuid?.() === 0;

describe('dejafix CLI', () => {
  const tmp = useTempDir();
  const store = () => join(tmp.path, 'store');

  it('has --help for every command, naming the store option and exit codes', async () => {
    const top = await runCli(['--help']);
    assert.equal(top.code, 0);
    for (const c of ['import', 'export', 'recall', 'stats', 'forget']) assert.match(top.stdout, new RegExp(`\\b${c}\\b`));
    assert.match(top.stdout, /Exit codes:/);
    for (const c of ['import', 'export', 'recall', 'stats', 'forget']) {
      const r = await runCli([c, '--help']);
      assert.equal(r.code, 0, c);
      assert.match(r.stdout, /--store <dir>/, c);
      assert.match(r.stdout, /--json/, c);
    }
  });

  it('exits 2 with a message on bad usage', async () => {
    const r = await runCli(['frobnicate']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /unknown command 'frobnicate'/);
    const f = await runCli(['import', '--store', store(), '--format', 'xml', join(FIX, 'swebench-mini.jsonl')]);
    assert.equal(f.code, 2);
    assert.match(f.stderr, /unknown --format xml; use one of jsonl, swebench, swebench-runs/);
    const e = await runCli(['recall', '--store', store(), '--embedder', 'openai-compatible', 'x']);
    assert.equal(e.code, 2);
    assert.match(e.stderr, /baseUrl/);
    const k = await runCli(['recall', '--store', store(), '--k', '0', 'x']);
    assert.equal(k.code, 3, 'the store is checked first: it does not exist');
  });

  it('imports, counts, recalls, exports and forgets', async () => {
    const imp = await runCli(['import', '--store', store(), '--format', 'swebench', '--json', join(FIX, 'swebench-mini.jsonl')]);
    assert.equal(imp.code, 0, imp.stderr);
    assert.match(imp.stderr, /Embedded 3 episode\(s\) with builtin:use-lite-512/);
    assert.deepEqual(JSON.parse(imp.stdout).episodes, { inserted: 3, updated: 0 });

    const stats = await runCli(['stats', '--store', store(), '--json']);
    const s = JSON.parse(stats.stdout);
    assert.equal(s.episodes, 3);
    assert.deepEqual(s.repos, { 'acme/ledger': 2, 'acme/webkit': 1 });
    assert.equal(s.byOutcome.resolved, 3);

    const rec = await runCli([
      'recall',
      '--store',
      store(),
      '--json',
      '--k',
      '2',
      '--min-relevance',
      '0',
      'division by zero in the balances report',
    ]);
    assert.equal(rec.code, 0, rec.stderr);
    const res = JSON.parse(rec.stdout).results;
    assert.equal(res[0].sourceId, 'acme__ledger-101');
    assert.deepEqual(Object.keys(res[0]).sort(), [
      'createdAt',
      'didNotWork',
      'episodeId',
      'outcome',
      'relevance',
      'repo',
      'score',
      'sourceId',
      'title',
      'why',
    ]);
    assert.ok(
      res.every((r: { relevance: number }) => r.relevance >= 0 && r.relevance <= 1),
      'every result has a relevance in [0, 1]',
    );
    assert.equal(res[0].why.file, 'ledger/report.py');

    const human = await runCli(['recall', '--store', store(), '--min-relevance', '0', 'redirect query string']);
    assert.match(human.stdout, /^1\. \[resolved\] Router drops query string on redirect/m);
    assert.match(human.stdout, /why: touched webkit\/router\.py; shares .*meaning 1\.00/);
    const lexical = await runCli(['recall', '--store', store(), '--embedder', 'none', '--min-relevance', '0', 'redirect query string']);
    assert.match(lexical.stdout, /meaning 0\.00/);

    const out = join(tmp.path, 'out.jsonl');
    const exp = await runCli(['export', '--store', store(), '--out', out]);
    assert.equal(exp.code, 0, exp.stderr);
    assert.equal(readFileSync(out, 'utf8').trim().split('\n').length, 3);

    const refuse = await runCli(['forget', '--store', store(), 'acme__webkit-7']);
    assert.equal(refuse.code, 2);
    assert.match(refuse.stderr, /refusing to forget 1 record\(s\) without confirmation: pass --yes/);
    const dry = await runCli(['forget', '--store', store(), '--dry-run', 'acme__webkit-7']);
    assert.match(dry.stderr, /Router drops query string/);
    const gone = await runCli(['forget', '--store', store(), '--yes', '--json', 'acme__webkit-7', 'no-such-id']);
    assert.equal(gone.code, 1, 'partly done: one id was unknown');
    assert.deepEqual(JSON.parse(gone.stdout).forgotten, { episodes: 1, insights: 0 });
    assert.match(gone.stderr, /not found: no-such-id/);
    assert.equal(JSON.parse((await runCli(['stats', '--store', store(), '--json'])).stdout).episodes, 2);
  });

  it('honours DEJAFIX_STORE when --store is not given', async () => {
    const r = await runCli(['import', '--format', 'swebench', join(FIX, 'swebench-mini.jsonl')], { env: { DEJAFIX_STORE: store() } });
    assert.equal(r.code, 0, r.stderr);
    const s = await runCli(['stats', '--json'], { env: { DEJAFIX_STORE: store() } });
    assert.equal(JSON.parse(s.stdout).store, store());
  });

  it('answers the batch recall contract: one line per query, in order, with `before`', async () => {
    await runCli(['import', '--store', store(), '--format', 'swebench', join(FIX, 'swebench-mini.jsonl')]);
    const q = join(tmp.path, 'q.jsonl');
    writeFileSync(
      q,
      [
        JSON.stringify({ id: 'q1', text: 'CSV currency column ignored', repo: 'acme/ledger', k: 1 }),
        JSON.stringify({ id: 'q2', text: 'CSV currency column ignored', before: '2021-07-19T08:30:00Z' }),
        '{broken',
        JSON.stringify({ id: 'q4', text: 'x', k: 1000 }),
        JSON.stringify({ id: 7, text: 'redirect' }),
      ].join('\n'),
    );
    const r = await runCli(['recall', '--store', store(), '--batch', q, '--json', '--min-relevance', '0']);
    assert.equal(r.code, 1, 'some queries were rejected');
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.equal(lines.length, 5);
    assert.equal(lines[0].id, 'q1');
    assert.equal(lines[0].results.length, 1);
    assert.equal(lines[0].results[0].sourceId, 'acme__ledger-140');
    assert.ok(
      lines[1].results.every((x: { sourceId: string }) => x.sourceId !== 'acme__ledger-140'),
      'before excludes the episode created at that instant',
    );
    assert.deepEqual(lines[2], { id: null, results: [], error: 'not valid JSON' });
    assert.equal(lines[3].id, 'q4');
    assert.match(lines[3].error, /k: Too big/i);
    assert.equal(lines[4].id, 7);
    assert.match(r.stderr, /q\.jsonl:3: not valid JSON/);
  });

  it('exits 1 and reports bad lines while importing the good ones', async () => {
    const f = join(tmp.path, 'mixed.jsonl');
    writeFileSync(f, `${JSON.stringify({ kind: 'episode', ...makeEpisode({ id: 'm1' }) })}\n{oops\n`);
    const r = await runCli(['import', '--store', store(), f]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /mixed\.jsonl:2: not valid JSON/);
    assert.match(r.stdout, /episodes 1 new/);
  });

  it('says clearly when the store is missing, and does not create it on a read', async () => {
    for (const cmd of [['stats'], ['export'], ['recall', 'x'], ['forget', '--yes', 'x']]) {
      const r = await runCli([...cmd, '--store', store()]);
      assert.equal(r.code, 3, cmd.join(' '));
      assert.match(r.stderr, /No Dejafix store at .*store/, cmd.join(' '));
    }
    const e = await runCli(['import', '--store', store(), join(tmp.path, 'nope.jsonl')]);
    assert.equal(e.code, 2);
    assert.match(e.stderr, /nope\.jsonl: no such file/);
  });

  it('says clearly when the store folder is read-only, and keeps what it holds', async function () {
    await runCli(['import', '--store', store(), '--format', 'swebench', join(FIX, 'swebench-mini.jsonl')]);
    // As root, permission bits do not stop writes: run the CLI as an unprivileged user instead.
    const asUser = isRoot ? { uid: 65534, gid: 65534 } : {};
    chmodSync(tmp.path, 0o755);
    const locked = join(tmp.path, 'locked');
    mkdirSync(locked);
    chmodSync(locked, 0o555);
    const r = await runCli(['import', '--store', locked, '--format', 'swebench', join(FIX, 'swebench-mini.jsonl')], asUser);
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, /store folder .*locked is not writable \(EACCES\)/);

    // an existing store made read-only (files and folders): reads still work, writes are refused
    if (isRoot) execFileSync('chown', ['-R', '65534:65534', store()]);
    execFileSync('chmod', ['-R', 'a-w', store()]);
    const stats = await runCli(['stats', '--store', store(), '--json'], asUser);
    assert.equal(stats.code, 0, stats.stderr);
    assert.equal(JSON.parse(stats.stdout).episodes, 3);
    const w = await runCli(['import', '--store', store(), '--format', 'swebench', join(FIX, 'swebench-mini.jsonl')], asUser);
    assert.equal(w.code, 3);
    assert.match(w.stderr, /not writable/);
    execFileSync('chmod', ['-R', 'u+w', store()]);
    const after = await runCli(['stats', '--store', store(), '--json']);
    assert.equal(JSON.parse(after.stdout).episodes, 3);
  });
});

describe('dejafix CLI: output pipe closed early', () => {
  it('ends quietly with exit 0 when the reader goes away (dejafix … | head)', async () => {
    const { spawn } = await import('node:child_process');
    const child = spawn(process.execPath, [CLI, '--help'], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const code = await new Promise<number | null>((r) => child.on('close', r));
    assert.equal(code, 0);
    assert.doesNotMatch(stderr, /EPIPE|unexpected error/);
  });
});
