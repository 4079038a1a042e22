// Imports the real SWE-bench Lite data shipped beside the repository (../shared/bench).
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers/cli';
import { useTempDir } from '../helpers/tmp';

const BENCH = join(__dirname, '../../../shared/bench');
const LITE = join(BENCH, 'swebench-lite.jsonl');
const RUNS = join(BENCH, 'swebench-lite-agent-runs.jsonl');

describe('real data: SWE-bench Lite', () => {
  const tmp = useTempDir();

  before(function () {
    assert.ok(
      existsSync(LITE) && existsSync(RUNS),
      `the shared data set is missing at ${BENCH}: these tests need ../shared/bench beside the repository`,
    );
  });

  it('imports 300 episodes, and importing again still gives 300', async () => {
    const store = join(tmp.path, 's');
    const first = await runCli(['import', '--store', store, '--embedder', 'none', '--format', 'swebench', LITE]);
    assert.equal(first.code, 0, first.stderr);
    const stats = JSON.parse((await runCli(['stats', '--store', store, '--json'])).stdout);
    assert.equal(stats.episodes, 300);
    assert.equal(stats.byOutcome.resolved, 300);
    assert.equal(Object.keys(stats.repos).length, 12);
    const again = await runCli(['import', '--store', store, '--embedder', 'none', '--format', 'swebench', '--json', LITE]);
    assert.deepEqual(JSON.parse(again.stdout).episodes, { inserted: 0, updated: 300 });
    assert.equal(JSON.parse((await runCli(['stats', '--store', store, '--json'])).stdout).episodes, 300);
  });

  it('attaches all 1,536 agent runs as attempts with their outcomes', async () => {
    const store = join(tmp.path, 's');
    const r = await runCli(['import', '--store', store, '--embedder', 'none', '--format', 'swebench-runs', '--instances', LITE, RUNS]);
    assert.equal(r.code, 0, r.stderr);
    const s = JSON.parse((await runCli(['stats', '--store', store, '--json'])).stdout);
    assert.equal(s.attempts, 1536);
    assert.equal(s.attemptsByOutcome.passed, 257);
    assert.equal(s.attemptsByOutcome.failed, 1536 - 257);
  });
});
