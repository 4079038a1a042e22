// `dejafix reflect` end to end: SWE-bench Lite issues with a failed agent run and the gold patch
// imported with `dejafix import --format swebench-runs`, then reflected on against the local
// Messages API server (the real SDK client, pointed at it by --base-url).
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from '../../src/cli/main';
import type { Io } from '../../src/cli/io';
import { ExperienceStore } from '../../src/core/store';
import { startAnthropicServer, type AnthropicServer } from '../helpers/anthropicServer';
import { useTempDir } from '../helpers/tmp';
import { reflectingModel } from '../fixtures/reflect/fakeModel';

const BENCH = join(__dirname, '../../../shared/bench');
const LITE_IDS = ['django__django-11179', 'django__django-15061', 'sympy__sympy-21614'];

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

async function cli(args: string[], env: Record<string, string | undefined> = {}): Promise<Ran> {
  let stdout = '';
  let stderr = '';
  const io: Io = { out: (t) => void (stdout += t), err: (t) => void (stderr += t), isTTY: false };
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  try {
    const code = await run(args, io);
    return { code, stdout, stderr };
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

/** A few Lite issues and, for each, one failed agent run (and the resolved ones), from ../shared/bench. */
function liteSubset(dir: string): { instances: string; runs: string } {
  assert.ok(existsSync(join(BENCH, 'swebench-lite.jsonl')), `the shared data set is missing at ${BENCH}`);
  const pick = (file: string) =>
    readFileSync(join(BENCH, file), 'utf8')
      .split('\n')
      .filter((l) => l && LITE_IDS.includes((JSON.parse(l) as { instance_id: string }).instance_id));
  const instances = join(dir, 'lite.jsonl');
  const runs = join(dir, 'runs.jsonl');
  writeFileSync(instances, `${pick('swebench-lite.jsonl').join('\n')}\n`);
  const seen = new Set<string>();
  const chosen = pick('swebench-lite-agent-runs.jsonl').filter((l) => {
    const r = JSON.parse(l) as { instance_id: string; resolved: boolean; model_patch: string | null };
    if (!r.model_patch || seen.has(`${r.instance_id}:${r.resolved}`)) return false;
    seen.add(`${r.instance_id}:${r.resolved}`);
    return true;
  });
  writeFileSync(runs, `${chosen.join('\n')}\n`);
  return { instances, runs };
}

describe('dejafix reflect (CLI, end to end)', () => {
  const tmp = useTempDir();
  let server: AnthropicServer;
  const store = () => join(tmp.path, 'store');
  const env = () => ({ ANTHROPIC_API_KEY: server.apiKey, ANTHROPIC_BASE_URL: undefined });
  const reflect = (...args: string[]) =>
    cli(['reflect', '--store', store(), '--embedder', 'none', '--base-url', server.baseURL, ...args], env());

  beforeEach(async () => {
    server = await startAnthropicServer();
    server.answer = reflectingModel;
  });
  afterEach(() => server.close());

  it('imports Lite runs, reflects with --approve into insights with evidence; again: counters move, nothing duplicates', async () => {
    const { instances, runs } = liteSubset(tmp.path);
    const imp = await cli([
      'import',
      '--store',
      store(),
      '--embedder',
      'none',
      '--format',
      'swebench-runs',
      '--instances',
      instances,
      runs,
    ]);
    assert.equal(imp.code, 0, imp.stderr);

    const first = await reflect('--approve', '--json');
    assert.equal(first.code, 0, first.stderr);
    const out1 = JSON.parse(first.stdout);
    assert.equal(out1.reflected, 3);
    assert.ok(out1.usage.inputTokens > 0);
    assert.equal(server.requests.length, 3);
    assert.ok(server.requests.every((r) => r.body?.model === 'claude-sonnet-5-5'));
    // the contrast reached the model: a failed run's patch and the gold patch
    assert.ok(server.requests.some((r) => /kind="failing-attempt-1"[\s\S]*kind="passing-patch"/.test(server.textOf(r))));

    const s = await ExperienceStore.open(store(), { mode: 'read' });
    let insights;
    let episodes;
    try {
      insights = await s.insights();
      episodes = new Map((await s.table('episodes').query().select(['id', 'sourceId', 'files']).toArray()).map((r) => [String(r.id), r]));
    } finally {
      s.close();
    }
    assert.equal(insights.length, 3);
    for (const i of insights) {
      assert.equal(i.status, 'active');
      assert.equal(i.importance, 2);
      assert.equal(i.evidence.episodes.length, 1);
      assert.ok(episodes.has(i.evidence.episodes[0]), 'evidence names an imported episode');
      assert.ok(i.evidence.files.length === 1 && /\.py$/.test(i.evidence.files[0]));
      assert.match(i.scope, /^(django\/django|sympy\/sympy)$/);
    }

    // nothing new: a plain run has nothing to do
    const idle = await reflect();
    assert.equal(idle.code, 0, idle.stderr);
    assert.match(idle.stderr, /Nothing to reflect on/);
    assert.equal(server.requests.length, 3);

    // again, on every episode: the model upvotes and re-adds reworded lessons
    const second = await reflect('--all', '--approve', '--json');
    assert.equal(second.code, 0, second.stderr);
    const out2 = JSON.parse(second.stdout);
    assert.deepEqual(out2.results.flatMap((r: { outcomes: { result: string }[] }) => r.outcomes.map((o) => o.result)).sort(), [
      'merged',
      'merged',
      'merged',
      'upvoted',
      'upvoted',
      'upvoted',
    ]);
    const s2 = await ExperienceStore.open(store(), { mode: 'read' });
    try {
      const after = await s2.insights();
      assert.equal(after.length, 3, 'nothing duplicates');
      assert.deepEqual(
        after.map((i) => i.importance),
        [4, 4, 4],
        'UPVOTE +1 and the merged re-add +1',
      );
      assert.deepEqual(after.map((i) => i.id).sort(), insights.map((i) => i.id).sort());
    } finally {
      s2.close();
    }
  });

  it('exits 2 without a key and on a refused key; 1 when reflections were queued; --retry empties the queue', async () => {
    const { instances, runs } = liteSubset(tmp.path);
    assert.equal(
      (await cli(['import', '--store', store(), '--embedder', 'none', '--format', 'swebench-runs', '--instances', instances, runs])).code,
      0,
    );
    const none = await cli(['reflect', '--store', store(), '--embedder', 'none'], { ANTHROPIC_API_KEY: undefined });
    assert.equal(none.code, 2);
    assert.match(none.stderr, /No Anthropic API key\. Set ANTHROPIC_API_KEY/);

    const refused = await cli(['reflect', '--store', store(), '--embedder', 'none', '--base-url', server.baseURL], {
      ANTHROPIC_API_KEY: 'sk-ant-wrong',
    });
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /refused the API key/);
    assert.equal(server.requests.length, 1, 'stopped after the first refusal');

    server.next(
      { kind: 'error', status: 529, type: 'overloaded_error', retryAfterMs: '1' },
      { kind: 'error', status: 529, type: 'overloaded_error', retryAfterMs: '1' },
      { kind: 'error', status: 529, type: 'overloaded_error', retryAfterMs: '1' },
      { kind: 'error', status: 529, type: 'overloaded_error', retryAfterMs: '1' },
    );
    const busy = await reflect('--episode', 'does-not-exist', '--limit', '1');
    assert.equal(busy.code, 1, 'an unknown episode is skipped and reported: exit 1, as forget does');
    const partial = await reflect('--retry', '--limit', '1', '--json');
    assert.equal(partial.code, 1, partial.stderr);
    assert.equal(JSON.parse(partial.stdout).queued, 1);
    assert.equal(JSON.parse(partial.stdout).waitingInQueue, 3);

    const retried = await reflect('--retry', '--json');
    assert.equal(retried.code, 0, retried.stderr);
    assert.equal(JSON.parse(retried.stdout).reflected, 3);
    assert.equal(JSON.parse(retried.stdout).waitingInQueue, 0);
  });

  it('rejects bad arguments with exit 2', async () => {
    for (const args of [['--limit', '0'], ['--limit', 'x'], ['--all', '--retry'], ['--frobnicate']]) {
      const r = await cli(['reflect', '--store', store(), ...args], { ANTHROPIC_API_KEY: 'k' });
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    }
    const help = await cli(['reflect', '--help']);
    assert.equal(help.code, 0);
    for (const o of ['--episode', '--all', '--retry', '--limit', '--approve', '--model', '--base-url', '--store', '--json'])
      assert.match(help.stdout, new RegExp(o));
  });
});
