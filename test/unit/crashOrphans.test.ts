// kill -9 between the two writes of a save: the real CLI importing into a real store is paused at a
// crash point (DEJAFIX_TEST_HOOKS=1 + DEJAFIX_TEST_PAUSE_AFTER) and SIGKILLed there. Then stats,
// export and recall see only whole episodes, doctor names the orphan attempts and removes them only
// when confirmed, and a re-import completes. The crash point stays shut without DEJAFIX_TEST_HOOKS=1.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ExperienceStore } from '../../src/core/store';
import type { Episode } from '../../src/core/model';
import { CLI, runCli, type CliResult } from '../helpers/cli';
import { makeAttempt, makeEpisode } from '../helpers/records';
import { useTempDir } from '../helpers/tmp';

const OUTCOMES = ['failed', 'passed', 'unknown'] as const;

function episodes(prefix: string, n: number, attemptsEach: number): Episode[] {
  return Array.from({ length: n }, (_, i) => {
    const id = `${prefix}-${i}`;
    const attempts = Array.from({ length: attemptsEach }, (_, j) =>
      makeAttempt(id, { id: `${id}-at${j}`, command: `pytest -k case${i}x${j}`, outcome: OUTCOMES[(i + j) % 3] }),
    );
    return makeEpisode({ id, issue: { title: `${prefix} widget ${i} overflows`, body: `${prefix} body ${i} zq${prefix}${i}` }, attempts });
  });
}

function writeJsonl(file: string, eps: Episode[]): void {
  writeFileSync(file, `${eps.map((e) => JSON.stringify({ kind: 'episode', ...e })).join('\n')}\n`);
}

/** Starts `import`, waits for its crash-point line, SIGKILLs it there. Returns what it printed. */
async function importKilledAt(store: string, file: string, batch: number, pauseAfter: string): Promise<string> {
  const child = spawn(process.execPath, [CLI, 'import', '--store', store, '--embedder', 'none', '--batch-size', String(batch), file], {
    env: { ...process.env, DEJAFIX_STORE: undefined, DEJAFIX_TEST_HOOKS: '1', DEJAFIX_TEST_PAUSE_AFTER: pauseAfter },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  const closed = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
  await new Promise<void>((resolve, reject) => {
    child.stderr.on('data', (d) => {
      stderr += d;
      if (/dejafix-test: paused after /.test(stderr)) resolve();
    });
    void closed.then((code) => reject(new Error(`import ended (exit ${code}) before its crash point: ${stderr}`)));
  });
  child.kill('SIGKILL');
  await closed;
  return stderr;
}

/** Rows in the attempts table, orphans included (what a raw look at the files sees). */
async function rawAttempts(dir: string): Promise<number> {
  const s = await ExperienceStore.open(dir, { mode: 'read' });
  try {
    return await s.count('attempts');
  } finally {
    s.close();
  }
}

/** The fields of stats, doctor and recall JSON this test reads. */
interface Printed {
  episodes: number;
  attempts: number;
  attemptsByOutcome: Record<string, number>;
  damaged: string[];
  orphans: { attempts: number; episodeIds: string[] };
  removedOrphans: number;
  results: { episodeId: string }[];
}

function json(r: CliResult): Printed {
  return JSON.parse(r.stdout) as Printed;
}

/** Exported episodes (parsed JSONL lines of kind episode). */
async function exported(dir: string): Promise<Episode[]> {
  const r = await runCli(['export', '--store', dir]);
  assert.equal(r.code, 0, r.stderr);
  return r.stdout
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l))
    .filter((x) => x.kind === 'episode')
    .map(({ kind: _, ...e }) => e);
}

/** `doctor --repair` on a terminal (through script(1)) answering `answer`. */
function doctorOnTerminal(dir: string, answer: string): { code: number | null; out: string } {
  const cmd = `${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} doctor --repair --store ${JSON.stringify(dir)}`;
  const r = spawnSync('script', ['-q', '-e', '-c', cmd, '/dev/null'], {
    input: `${answer}\n`,
    encoding: 'utf8',
    env: { ...process.env, DEJAFIX_STORE: undefined },
    timeout: 120_000,
  });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

describe('kill -9 between the two writes of a save (orphan attempts)', function () {
  this.timeout(300_000);
  const tmp = useTempDir();

  // [what the import is paused after, batch size, episodes in the file, attempts each, which pass]
  const variants: [point: 'attempts' | 'episodes', batch: number, n: number, attemptsEach: number, pass: number][] = [
    ['attempts', 1, 4, 3, 1],
    ['attempts', 1, 5, 2, 3],
    ['attempts', 25, 60, 2, 1],
    ['attempts', 20, 70, 3, 2],
    ['episodes', 1, 4, 3, 2],
    ['episodes', 25, 60, 2, 1],
  ];

  for (const [point, batch, n, each, pass] of variants) {
    it(`killed after the ${point} write of batch ${pass} (batch size ${batch}, ${n} episodes × ${each} attempts)`, async () => {
      const dir = join(tmp.path, 'store');
      // a store that already holds whole episodes, which nothing below may touch
      const before = episodes(`old${batch}`, 3, 2);
      writeJsonl(join(tmp.path, 'old.jsonl'), before);
      assert.equal((await runCli(['import', '--store', dir, '--embedder', 'none', join(tmp.path, 'old.jsonl')])).code, 0);

      const prefix = `new${batch}p${pass}`;
      const incoming = episodes(prefix, n, each);
      const file = join(tmp.path, 'new.jsonl');
      writeJsonl(file, incoming);
      const said = await importKilledAt(dir, file, batch, `${point}#${pass}`);
      assert.match(said, new RegExp(`paused after ${point} \\(pass ${pass}\\)`));

      const whole = point === 'attempts' ? (pass - 1) * batch : pass * batch;
      const killed = point === 'attempts' ? incoming.slice(whole, whole + batch) : [];
      const orphans = killed.length * each;
      const storedAttempts = before.length * 2 + whole * each;
      // firing control: the raw table really holds the killed batch's attempts
      assert.equal(await rawAttempts(dir), storedAttempts + orphans);

      // stats counts only attempts of stored episodes, and matches export
      const stats = json(await runCli(['stats', '--store', dir, '--json']));
      const out = await exported(dir);
      assert.equal(stats.episodes, before.length + whole);
      assert.equal(out.length, before.length + whole);
      const outAttempts = out.flatMap((e) => e.attempts);
      assert.equal(stats.attempts, storedAttempts);
      assert.equal(outAttempts.length, stats.attempts);
      for (const o of OUTCOMES) assert.equal(stats.attemptsByOutcome[o], outAttempts.filter((a) => a.outcome === o).length, o);
      const ids = new Set(out.map((e) => e.id));
      assert.ok(outAttempts.every((a) => ids.has(a.episodeId)));
      assert.ok(
        killed.every((e) => !ids.has(e.id)),
        'no episode of the killed batch is exported',
      );
      assert.deepEqual(
        out.find((e) => e.id === before[0].id),
        before[0],
      );

      // recall finds no killed episode and lists no orphan attempt as tried
      if (killed.length) {
        const r = json(
          await runCli([
            'recall',
            '--store',
            dir,
            '--embedder',
            'none',
            '--min-relevance',
            '0',
            '--k',
            '100',
            '--json',
            `${killed[0].issue.title} zq${prefix}${whole}`,
          ]),
        );
        assert.ok(r.results.length > 0, 'recall answers from the stored episodes');
        for (const h of r.results) assert.ok(ids.has(h.episodeId), `recall returned ${h.episodeId}`);
        assert.doesNotMatch(JSON.stringify(r), new RegExp(`${prefix}-${whole}-at`));
      }

      // doctor reports them (exit 3) or says the store is whole (exit 0)
      const check = await runCli(['doctor', '--store', dir, '--json']);
      const report = json(check);
      assert.deepEqual(report.damaged, []);
      assert.equal(report.orphans.attempts, orphans);
      assert.deepEqual(report.orphans.episodeIds, killed.map((e) => e.id).sort());
      assert.equal(check.code, 0, 'orphans are leftovers, not damage: every command works');
      if (orphans) {
        const text = await runCli(['doctor', '--store', dir]);
        assert.match(
          text.stdout,
          new RegExp(
            `${orphans} orphan attempt\\(s\\) whose episode is not stored.*re-importing those episodes attaches them again, .dejafix doctor --repair. removes them`,
          ),
        );
        assert.equal(text.code, 0);

        // never removed without a confirmation
        const refused = await runCli(['doctor', '--store', dir, '--repair']);
        assert.equal(refused.code, 2);
        assert.match(refused.stderr, new RegExp(`refusing to repair ${orphans} orphan attempt\\(s\\) without confirmation: pass --yes`));
        assert.equal(await rawAttempts(dir), storedAttempts + orphans);
        if (pass === 1) {
          const no = doctorOnTerminal(dir, 'n');
          assert.match(no.out, /Repair .*orphan attempt.*\[y\/N\]/);
          assert.match(no.out, /Nothing was changed/);
          assert.equal(await rawAttempts(dir), storedAttempts + orphans);
          const yes = doctorOnTerminal(dir, 'y');
          assert.match(yes.out, new RegExp(`removed ${orphans} orphan attempt`), yes.out);
          assert.equal(yes.code, 0, yes.out);
        } else {
          const fixed = await runCli(['doctor', '--store', dir, '--repair', '--yes', '--json']);
          assert.equal(fixed.code, 0, fixed.stderr);
          assert.equal(json(fixed).removedOrphans, orphans);
        }
        assert.equal(await rawAttempts(dir), storedAttempts, 'only the orphans went');
        assert.deepEqual(await exported(dir), out, 'nothing else changed');
        assert.equal(json(await runCli(['doctor', '--store', dir, '--json'])).orphans.attempts, 0);
      }

      // a re-import completes: every episode with all its attempts, no duplicate rows
      const again = await runCli(['import', '--store', dir, '--embedder', 'none', '--batch-size', String(batch), file]);
      assert.equal(again.code, 0, again.stderr);
      const done = await exported(dir);
      assert.equal(done.length, before.length + n);
      assert.equal(await rawAttempts(dir), before.length * 2 + n * each);
      assert.equal(json(await runCli(['stats', '--store', dir, '--json'])).attempts, before.length * 2 + n * each);
      for (const e of [incoming[0], incoming[n - 1], ...killed])
        assert.deepEqual(
          done.find((x) => x.id === e.id),
          e,
        );
    });
  }

  it('a kill between the writes and a re-import without doctor: the re-run attaches the orphans, no duplicates', async () => {
    const dir = join(tmp.path, 'store');
    const incoming = episodes('rerun', 9, 2);
    const file = join(tmp.path, 'in.jsonl');
    writeJsonl(file, incoming);
    await importKilledAt(dir, file, 4, 'attempts#2');
    assert.equal(await rawAttempts(dir), 8 * 2);
    assert.equal(json(await runCli(['stats', '--store', dir, '--json'])).attempts, 4 * 2);
    const again = await runCli(['import', '--store', dir, '--embedder', 'none', '--batch-size', '4', file]);
    assert.equal(again.code, 0, again.stderr);
    assert.equal(await rawAttempts(dir), 9 * 2);
    assert.deepEqual(
      (await exported(dir)).sort((a, b) => a.id.localeCompare(b.id)),
      [...incoming].sort((a, b) => a.id.localeCompare(b.id)),
    );
    assert.equal(json(await runCli(['doctor', '--store', dir, '--json'])).orphans.attempts, 0);
  });

  // The crash point must stay shut unless DEJAFIX_TEST_HOOKS is exactly 1.
  for (const hooks of [undefined, '0', 'true', 'yes', ' 1']) {
    it(`DEJAFIX_TEST_HOOKS=${JSON.stringify(hooks)} with DEJAFIX_TEST_PAUSE_AFTER=attempts: the import runs through`, async () => {
      const dir = join(tmp.path, 'store');
      const file = join(tmp.path, 'in.jsonl');
      writeJsonl(file, episodes('gate', 3, 2));
      const r = await runCli(['import', '--store', dir, '--embedder', 'none', '--batch-size', '1', file], {
        env: { DEJAFIX_TEST_HOOKS: hooks, DEJAFIX_TEST_PAUSE_AFTER: 'attempts' },
      });
      assert.equal(r.code, 0, r.stderr);
      assert.doesNotMatch(r.stderr, /dejafix-test: paused/);
      assert.equal(json(await runCli(['stats', '--store', dir, '--json'])).attempts, 6);
    });
  }
});
