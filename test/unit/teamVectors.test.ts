// Vectors travel with shared episodes: a replica synced from a team store gets the sharer's vectors
// (the real builtin model, no embedding on the receiving machine), except where re-redaction changed
// what was embedded (that vector stays home) or the copy no longer matches its record (it is embedded
// again). Forgetting — own or as a team — removes the vectors too.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { BuiltinEmbedder } from '../../src/core/embed/builtin';
import { vectorizePending } from '../../src/core/recall/vectorize';
import { ExperienceStore } from '../../src/core/store';
import { applyShare, planShare, syncFromTeam } from '../../src/core/team';
import { runCli } from '../helpers/cli';
import { makeEpisode } from '../helpers/records';
import { useTempDir } from '../helpers/tmp';

const FIXTURE = join(__dirname, '../fixtures/swebench-mini.jsonl');

async function vectorIds(store: ExperienceStore): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const name of await store.vectorTableNames()) {
    const t = await store.extraTable(name);
    for (const r of await t!.query().select(['id', 'textHash']).toArray()) out.set(String(r.id), String(r.textHash));
  }
  return out;
}

async function withStore<T>(dir: string, work: (s: ExperienceStore) => Promise<T>): Promise<T> {
  const s = await ExperienceStore.open(dir);
  try {
    return await work(s);
  } finally {
    s.close();
  }
}

describe('team memory: vectors travel with shared episodes', function () {
  this.timeout(300_000);
  const tmp = useTempDir();

  it('CLI: share carries the vectors, sync copies them (nothing embedded), recall by meaning works; forget removes them', async () => {
    const env = { DEJAFIX_TEAM_NAME: 'Vector Tester' };
    const [a, b, team] = ['a', 'b', 'team'].map((n) => join(tmp.path, n));
    assert.equal((await runCli(['import', FIXTURE, '--format', 'swebench', '--store', a], { env })).code, 0);
    const ids = (await runCli(['export', '--store', a], { env })).stdout
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { id: string }).id);
    const share = await runCli(['share', ...ids, '--yes', '--json', '--team', team, '--store', a], { env });
    assert.equal(share.code, 0, share.stderr);
    assert.deepEqual(JSON.parse(share.stdout).vectors, 3);
    const sync = await runCli(['sync', '--json', '--team', team, '--store', b], { env });
    assert.equal(sync.code, 0, sync.stderr);
    const r = JSON.parse(sync.stdout) as { pulled: number; vectorsCopied: number; embedded: number };
    assert.deepEqual([r.pulled, r.vectorsCopied, r.embedded], [3, 3, 0]);
    // The copied vectors are the sharer's, byte for byte in their hash, and recall by meaning uses them.
    const [va, vb] = [await withStore(a, vectorIds), await withStore(b, vectorIds)];
    assert.deepEqual([...vb.entries()].sort(), [...va.entries()].sort());
    const recall = await runCli(
      ['recall', 'dividing by zero when the account is empty in the balances report', '--store', b, '--json', '--min-relevance', '0'],
      { env },
    );
    assert.equal(recall.code, 0, recall.stderr);
    assert.match(recall.stdout, /Balance report crashes/);
    assert.match(recall.stdout, /"vector":\s*0\.[1-9]/, 'the meaning score comes from the copied vector');

    // Team forget: gone from the team store's vectors; own forget on A: gone from A's vectors.
    const victim = ids[0];
    assert.equal((await runCli(['team', 'forget', victim, '--yes', '--team', team], { env })).code, 0);
    assert.equal((await withStore(team, vectorIds)).has(victim), false);
    assert.equal((await runCli(['forget', victim, '--yes', '--store', a], { env })).code, 0);
    assert.equal((await withStore(a, vectorIds)).has(victim), false);
    assert.equal((await withStore(a, vectorIds)).size, 2);
  });

  it('a vector whose text re-redaction changed stays home; a stale copy is embedded again on the replica', async () => {
    const embedder = new BuiltinEmbedder();
    const [a, b, team] = await Promise.all(['a2', 'b2', 'team2'].map((n) => ExperienceStore.open(join(tmp.path, n))));
    try {
      await a.upsertEpisodes([
        makeEpisode({ id: 'clean', issue: { title: 'Thumbnail cache grows without bound', body: 'The LRU never evicts.' } }),
        makeEpisode({ id: 'leaky', issue: { title: 'Webhook retries flood the queue', body: 'Retries never back off.' } }),
      ]);
      // Stored by an older version whose redaction missed a token: the embedded text holds it.
      const token = 'ghp_' + 'Z9y8X7w6V5u4T3s2R1q0P9o8N7m6L5k4J3i2';
      await a.table('episodes').update({ where: `id = 'leaky'`, values: { body: `Retries never back off. Use ${token} to reproduce.` } });
      assert.equal((await vectorizePending(a, embedder)).done, 2);
      const plan = await planShare(a, team, { ids: ['clean', 'leaky'] }, { by: 'Ann', repo: 'r' });
      assert.deepEqual(plan.items.find((i) => i.id === 'leaky')!.differences, ['issue']);
      assert.equal((await applyShare(team, plan, a)).vectors, 1);
      assert.deepEqual([...(await vectorIds(team)).keys()], ['clean']);

      // The team copy of `clean` was re-shared later with another title, its vector left stale.
      await team.upsertEpisodes([
        { ...(await team.getEpisode('clean'))!, issue: { title: 'Thumbnail cache eviction broken', body: 'The LRU never evicts.' } },
      ]);
      const s = await syncFromTeam(b, team, 'T');
      assert.deepEqual([s.pulled, s.vectorsCopied], [2, 1]);
      // Both are embedded on the replica: `leaky` had no vector, `clean`'s copy no longer matched.
      const v = await vectorizePending(b, embedder, { ids: s.pulledEpisodeIds });
      assert.deepEqual([v.done, v.total], [2, 2]);
      assert.equal((await vectorizePending(b, embedder)).total, 0);
    } finally {
      [a, b, team].forEach((s) => s.close());
      await embedder.dispose();
    }
  });
});
