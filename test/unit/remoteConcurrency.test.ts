// Concurrent writers on object storage: three separate processes appending to one store on Azurite
// (az://) and on an S3 server with conditional writes (s3://, the strict s3rver) lose nothing and
// leave nothing half-written; on an S3 server without them (plain s3rver) every writer is refused
// before it writes (exit 5), unless the user says there is only one writer.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ExperienceStore } from '../../src/core/store';
import { runCli, type CliResult } from '../helpers/cli';
import { makeInsight } from '../helpers/records';
import { startAzurite, startS3rver, type Azurite, type S3Server } from '../helpers/remoteBackends';
import { useTempDir } from '../helpers/tmp';

const CLI_ENV = { DEJAFIX_REMOTE_RETRY_TIMEOUT: '5', AWS_EC2_METADATA_DISABLED: 'true' };
const WORDS = [
  'ledger',
  'invoice',
  'parser',
  'cache',
  'scheduler',
  'socket',
  'locale',
  'thumbnail',
  'migration',
  'tokenizer',
  'webhook',
  'quota',
];

/** One SWE-bench row per file, each with its own issue, traceback and patch. */
function episodeFile(dir: string, lane: number, n: number): { file: string; id: string; title: string; patch: string } {
  const i = lane * 4 + n;
  const word = WORDS[i];
  const id = `team__${word}-${100 + i}`;
  const title = `${word[0].toUpperCase()}${word.slice(1)} step ${i} fails with KeyError '${word}_${i}'`;
  const patch = `diff --git a/src/${word}.py b/src/${word}.py\n--- a/src/${word}.py\n+++ b/src/${word}.py\n@@ -1,2 +1,2 @@\n-    return table['${word}_${i}']\n+    return table.get('${word}_${i}', ${i})\n`;
  const row = {
    instance_id: id,
    repo: 'team/shared',
    created_at: `2024-0${1 + (i % 9)}-1${i % 10}T10:00:00Z`,
    base_commit: String(i).repeat(40).slice(0, 40),
    problem_statement: `${title}\n\n\`\`\`\nTraceback (most recent call last):\n  File "src/${word}.py", line ${10 + i}\nKeyError: '${word}_${i}'\n\`\`\`\n${'Details. '.repeat(40 + i)}`,
    hints_text: '',
    patch,
    test_patch: '',
    FAIL_TO_PASS: JSON.stringify([`tests/test_${word}.py::test_${i}`]),
  };
  const file = join(dir, `${id}.jsonl`);
  writeFileSync(file, `${JSON.stringify(row)}\n`);
  return { file, id, title, patch };
}

/** Three lanes, each a sequence of four `dejafix import` processes; the lanes run at the same time. */
async function threeWriters(
  dir: string,
  store: string,
  env: NodeJS.ProcessEnv,
  extra: string[] = [],
): Promise<{ results: CliResult[]; episodes: ReturnType<typeof episodeFile>[] }> {
  const episodes = [0, 1, 2].flatMap((lane) => [0, 1, 2, 3].map((n) => episodeFile(dir, lane, n)));
  const lanes = await Promise.all(
    [0, 1, 2].map(async (lane) => {
      const out: CliResult[] = [];
      for (let n = 0; n < 4; n++) {
        out.push(
          await runCli(['import', episodes[lane * 4 + n].file, '--format', 'swebench', '--store', store, '--embedder', 'none', ...extra], {
            env,
          }),
        );
      }
      return out;
    }),
  );
  return { results: lanes.flat(), episodes };
}

interface Exported {
  kind: string;
  id: string;
  issue?: { title: string; body: string };
  finalPatch?: string;
}

async function exportAll(store: string, env: NodeJS.ProcessEnv): Promise<Exported[]> {
  const exp = await runCli(['export', '--store', store], { env });
  assert.equal(exp.code, 0, exp.stderr);
  return exp.stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Exported);
}

/** Every episode exported whole (its id once, its full issue text, its patch), counted and findable. */
async function assertAllWhole(store: string, env: NodeJS.ProcessEnv, episodes: ReturnType<typeof episodeFile>[]): Promise<void> {
  const rows = (await exportAll(store, env)).filter((r) => r.kind === 'episode');
  assert.equal(rows.length, episodes.length, rows.map((r) => r.issue?.title).join(' | '));
  for (const [k, e] of episodes.entries()) {
    const mine = rows.filter((r) => r.issue?.title === e.title);
    assert.equal(mine.length, 1, `episode ${e.id} appears ${mine.length} times`);
    assert.ok(
      mine[0].issue!.body.includes(`KeyError: '${WORDS[k]}_${k}'`) && mine[0].issue!.body.includes('Details. '.repeat(40 + k).trim()),
      `issue text of ${e.id} cut`,
    );
    assert.ok(mine[0].finalPatch?.includes(`+    return table.get('${WORDS[k]}_${k}', ${k})`), `patch of ${e.id} missing or cut`);
  }
  const stats = await runCli(['stats', '--store', store], { env });
  assert.equal(stats.code, 0, stats.stderr);
  assert.match(stats.stdout, new RegExp(`Episodes: ${episodes.length}\\b`));
  // The full-text index covers every commit: episodes from each writer are found by their own error.
  for (const e of [episodes[0], episodes[5], episodes[11]]) {
    const r = await runCli(['recall', e.title, '--store', store, '--embedder', 'none'], { env });
    assert.equal(r.code, 0, r.stderr);
    assert.ok(r.stdout.split('\n')[0].includes(e.title.slice(0, 30)), `recall for ${e.id} led with: ${r.stdout.split('\n')[0]}`);
  }
}

function runWriter(
  store: string,
  who: number,
  rounds: number,
  ids: number,
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ['--require', 'tsx/cjs', join(__dirname, '../workers/writer.ts'), store, String(who), String(rounds), String(ids)],
      { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...env } },
    );
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

describe('concurrent writers on object storage (3 processes, Azurite and S3 on 127.0.0.1)', function () {
  this.timeout(600_000);
  const tmp = useTempDir();
  let az: Azurite;
  let strict: S3Server;
  let plain: S3Server;

  before(async () => {
    [az, strict, plain] = await Promise.all([startAzurite(), startS3rver(['team'], { strict: true }), startS3rver(['team'])]);
    await az.createContainer('team');
  });
  after(async () => {
    await Promise.all([az?.stop(), strict?.stop(), plain?.stop()]);
  });

  for (const backend of ['az', 's3'] as const) {
    it(`${backend}://: 12 imports from 3 processes at once (the first three create the store) keep all 12 episodes, whole`, async () => {
      const env = { ...CLI_ENV, ...(backend === 'az' ? az.env : strict.env) };
      const store = `${backend}://team/concurrent-imports`;
      const { results, episodes } = await threeWriters(tmp.path, store, env);
      for (const r of results) assert.equal(r.code, 0, r.stderr);
      await assertAllWhole(store, env, episodes);
    });

    it(`${backend}://: overlapping upserts, attempts and counter increments from 3 processes: no duplicate, no lost increment`, async () => {
      const env = { ...CLI_ENV, ...(backend === 'az' ? az.env : strict.env) };
      const store = `${backend}://team/concurrent-upserts`;
      const seed = await ExperienceStore.open(store, { remote: { env: { ...process.env, ...env } } });
      await seed.upsertInsights([makeInsight({ id: 'counter-a', importance: 0 }), makeInsight({ id: 'counter-b', importance: 10 })]);
      seed.close();
      const rounds = 4;
      const ids = 12;
      const results = await Promise.all([0, 1, 2].map((w) => runWriter(store, w, rounds, ids, env)));
      for (const r of results) assert.equal(r.code, 0, r.stderr);
      const episodeIds = (await exportAll(store, env)).filter((r) => r.kind === 'episode').map((r) => r.id);
      assert.equal(episodeIds.length, ids, `episodes: ${episodeIds.sort().join(',')}`);
      assert.equal(new Set(episodeIds).size, ids, 'no id twice');
      const store2 = await ExperienceStore.open(store, { mode: 'read', remote: { env: { ...process.env, ...env } } });
      try {
        assert.equal((await store2.getInsight('counter-a'))?.importance, 3 * rounds);
        assert.equal((await store2.getInsight('counter-b'))?.importance, 10 + 3 * rounds * 2);
        const attempts = (await store2.table('attempts').query().select(['id']).toArray()).map((r) => String(r.id));
        assert.deepEqual(attempts.sort(), ['att-0', 'att-1', 'att-2', 'att-3']);
      } finally {
        store2.close();
      }
    });
  }

  it('s3:// without conditional writes: three writers at once are all refused before writing (exit 5), nothing is left in the bucket', async () => {
    const env = { ...CLI_ENV, ...plain.env };
    const store = 's3://team/refused';
    const files = [0, 1, 2].map((lane) => episodeFile(tmp.path, lane, 0).file);
    const results = await Promise.all(
      files.map((f) => runCli(['import', f, '--format', 'swebench', '--store', store, '--embedder', 'none'], { env })),
    );
    for (const r of results) {
      assert.equal(r.code, 5, r.stderr);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      assert.match(r.stderr, /Refusing to write to s3:\/\/team\/refused .*does not honour conditional writes/);
    }
    const listing = await fetch(`${plain.endpoint}/team?list-type=2&prefix=refused%2F`).then((r) => r.text());
    assert.match(listing, /<ListBucketResult/);
    assert.doesNotMatch(listing, /<Key>/, 'the refused writers left objects behind');
  });

  it('s3:// without conditional writes: --unsafe-single-writer (one writer) is not refused and warns', async () => {
    const env = { ...CLI_ENV, ...plain.env };
    const one = episodeFile(tmp.path, 2, 3);
    const r = await runCli(
      ['import', one.file, '--format', 'swebench', '--store', 's3://team/single', '--embedder', 'none', '--unsafe-single-writer'],
      { env },
    );
    assert.notEqual(r.code, 5, r.stderr);
    assert.match(r.stderr, /conditional writes not checked \(unsafe single-writer mode\); a second writer could lose data/);
  });
});
