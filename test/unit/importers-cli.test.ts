// `dejafix import --format claude-code | sweagent-traj PATH` through the built command line.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers/cli';
import { useTempDir } from '../helpers/tmp';

const FIX = join(__dirname, '../fixtures');
const PROJECT = join(FIX, 'claude-code/-home-dev-ledger');
const TRAJS = join(FIX, 'sweagent');

describe('dejafix import: agent transcripts', () => {
  const tmp = useTempDir();
  const store = () => join(tmp.path, 'store');

  it('lists the transcript formats in --help', async () => {
    const r = await runCli(['import', '--help']);
    assert.match(r.stdout, /claude-code\s+Claude Code session transcripts/);
    assert.match(r.stdout, /sweagent-traj\s+SWE-agent \.traj files/);
    assert.match(r.stdout, /--results <file>/);
  });

  it('imports a Claude Code project folder and a single session file', async () => {
    const r = await runCli(['import', '--store', store(), '--embedder', 'none', '--format', 'claude-code', '--json', PROJECT]);
    assert.equal(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    assert.deepEqual(
      [j.filesFound, j.filesImported, j.episodes, j.attempts],
      [3, 3, { inserted: 3, updated: 0 }, { inserted: 3, updated: 0 }],
    );
    const one = await runCli([
      'import',
      '--store',
      store(),
      '--embedder',
      'none',
      '--format',
      'claude-code',
      join(PROJECT, '5b1c2d3e-0000-4000-8000-00000000000a.jsonl'),
    ]);
    assert.equal(one.code, 0, one.stderr);
    assert.match(one.stdout, /Imported 1 of 1 file\(s\) .*episodes 0 new, 1 updated; attempts 0 new, 2 updated/);
    const stats = JSON.parse((await runCli(['stats', '--store', store(), '--json'])).stdout);
    assert.equal(stats.episodes, 3);
    assert.deepEqual([stats.byOutcome.resolved, stats.byOutcome.failed, stats.byOutcome.abandoned], [1, 1, 1]);
  });

  it('imports trajectories with evaluation results, reporting a bad results line with exit code 1', async () => {
    const r = await runCli([
      'import',
      '--store',
      store(),
      '--embedder',
      'none',
      '--format',
      'sweagent-traj',
      '--results',
      join(TRAJS, 'results.jsonl'),
      TRAJS,
    ]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /results\.jsonl:4: not a valid evaluation result: resolved/);
    assert.match(r.stdout, /Imported 3 of 3 file\(s\)/);
    const stats = JSON.parse((await runCli(['stats', '--store', store(), '--json'])).stdout);
    assert.deepEqual([stats.episodes, stats.byOutcome.resolved, stats.byOutcome.failed, stats.byOutcome.abandoned], [3, 1, 1, 1]);
  });

  it('names each unreadable file and still imports the others', async () => {
    const dir = join(tmp.path, 'trajs');
    mkdirSync(dir);
    writeFileSync(join(dir, 'a__b-1.traj'), readFileSync(join(TRAJS, 'acme__ledger-101.traj')));
    writeFileSync(join(dir, 'a__b-2.traj'), '{"trajectory": [');
    const r = await runCli(['import', '--store', store(), '--embedder', 'none', '--format', 'sweagent-traj', dir]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /a__b-2\.traj: not valid JSON/);
    assert.match(r.stdout, /Imported 1 of 2 file\(s\)/);
  });

  it('refuses wrong combinations and missing paths with exit code 2', async () => {
    const a = await runCli(['import', '--store', store(), '--format', 'claude-code', '--results', 'r.jsonl', PROJECT]);
    assert.equal(a.code, 2);
    assert.match(a.stderr, /--results is for --format sweagent-traj only/);
    const b = await runCli(['import', '--store', store(), '--format', 'sweagent-traj', '--instances', 'i.jsonl', TRAJS]);
    assert.equal(b.code, 2);
    assert.match(b.stderr, /--instances is for --format swebench-runs only/);
    const c = await runCli(['import', '--store', store(), '--format', 'sweagent-traj', join(tmp.path, 'missing')]);
    assert.equal(c.code, 2);
    assert.match(c.stderr, /missing: no such file or folder/);
  });
});
