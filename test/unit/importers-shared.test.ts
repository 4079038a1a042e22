// Imports the real SWE-agent trajectories shipped beside the repository (../shared/bench) and
// checks every episode against values read here, independently, from the JSON files.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Episode } from '../../src/core/model';
import { ExperienceStore, countEpisodes } from '../../src/core/store';
import { documentFormat, importDocuments } from '../../src/core/ingest';
import { useTempDir } from '../helpers/tmp';

const BENCH = join(__dirname, '../../../shared/bench');
const TRAJS = join(BENCH, 'sweagent-trajs');
const RUNS = join(BENCH, 'swebench-lite-agent-runs.jsonl');

interface Step {
  action: string;
  observation: string | null;
}
interface Traj {
  trajectory: Step[];
  info: { submission: string | null; exit_status: string };
}

/** This test's own reading of a trajectory: which steps ran code, and what code each saw. */
function expected(t: Traj): { command: string; output: string; patch: string }[] {
  const submission = t.info.submission ?? '';
  const ran = (a: string) => /^(?:python[\d.]*\s+(?:-m\s+pytest\b|\S+\.py\b)|pytest\b)/.test(a.trim());
  const looks = (a: string) => /^(?:open|goto|scroll_up|scroll_down|search_file|search_dir|find_file|find|ls|submit)\b/.test(a.trim());
  return t.trajectory.flatMap((s, k) => {
    if (!ran(s.action)) return [];
    const untouched = t.trajectory.slice(k + 1).every((later) => ran(later.action) || looks(later.action));
    return [{ command: s.action.trim(), output: s.observation ?? '', patch: untouched ? submission : '' }];
  });
}

async function episodesBySource(store: ExperienceStore): Promise<Map<string, Episode>> {
  const out = new Map<string, Episode>();
  for await (const batch of store.episodes()) for (const e of batch) out.set(e.sourceId ?? '', e);
  return out;
}

describe('real data: SWE-agent trajectories', () => {
  const tmp = useTempDir();
  let files: string[];
  let trajs: Map<string, Traj>;

  before(function () {
    assert.ok(
      existsSync(TRAJS),
      `the shared SWE-agent trajectories are missing at ${TRAJS}: this test needs ../shared/bench/sweagent-trajs beside the repository`,
    );
    files = readdirSync(TRAJS)
      .filter((f) => f.endsWith('.traj'))
      .sort();
    assert.ok(files.length > 0, `no .traj files in ${TRAJS}`);
    trajs = new Map(files.map((f) => [f.replace(/\.traj$/, ''), JSON.parse(readFileSync(join(TRAJS, f), 'utf8')) as Traj]));
  });

  it('imports every .traj file as one episode whose attempts and final patch match the file', async () => {
    const store = await ExperienceStore.open(join(tmp.path, 's'));
    try {
      const r = await importDocuments(store, TRAJS, (await documentFormat('sweagent-traj')).format);
      assert.deepEqual(r.problems, []);
      assert.deepEqual([r.filesFound, r.filesImported, r.episodes.inserted], [files.length, files.length, files.length]);
      const eps = await episodesBySource(store);
      assert.equal(eps.size, files.length);
      assert.equal(await store.count('episodes'), files.length);
      let attempts = 0;
      for (const [id, t] of trajs) {
        const e = eps.get(id);
        assert.ok(e, `no episode for ${id}`);
        assert.equal(e.finalPatch, t.info.submission ?? '', `${id}: final patch`);
        assert.deepEqual(
          e.attempts.map((a) => ({ command: a.command, output: a.outputTail, patch: a.patch })),
          expected(t),
          `${id}: attempts`,
        );
        if (!(t.info.submission ?? '').trim()) assert.equal(e.outcome, 'abandoned', `${id}: nothing submitted`);
        attempts += e.attempts.length;
      }
      assert.equal(await store.count('attempts'), attempts);
      assert.ok(attempts > 0);
    } finally {
      store.close();
    }
  });

  it("takes each submission's real outcome from the SWE-bench evaluation of the same patch", async () => {
    assert.ok(existsSync(RUNS), `missing ${RUNS}`);
    const runs = readFileSync(RUNS, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { instance_id: string; model_patch: string | null; resolved: boolean });
    const store = await ExperienceStore.open(join(tmp.path, 's'));
    try {
      await importDocuments(store, TRAJS, (await documentFormat('sweagent-traj', { resultsFile: RUNS })).format);
      const eps = await episodesBySource(store);
      let resolved = 0;
      for (const [id, t] of trajs) {
        const submission = (t.info.submission ?? '').trim();
        const run = runs.find((x) => x.instance_id === id && (x.model_patch ?? '').trim() === submission);
        assert.ok(!submission || run, `${id}: the runs file has no evaluation of this submission`);
        const want = !submission ? 'abandoned' : run?.resolved ? 'resolved' : 'failed';
        assert.equal(eps.get(id)?.outcome, want, id);
        if (want === 'resolved') resolved++;
      }
      // In this sample 5 of the submissions resolved their issue under SWE-bench.
      assert.equal(resolved, 5);
      assert.equal(await countEpisodes(store, { outcome: 'resolved' }), 5);
    } finally {
      store.close();
    }
  });
});
