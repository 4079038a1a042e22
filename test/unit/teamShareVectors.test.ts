// Shared episodes arrive WITH their vectors, through a team store on object storage (Azurite): real
// SWE-bench Lite issues embedded by the real builtin model on the sharer's machine, shared, synced
// into an empty replica. The vector goes along whenever the shared copy embeds to the same text —
// also when re-redaction changed a field that is not embedded (an issue URL or a patch holding a
// token an older version stored); it stays home only when the embedded text itself changed. Recall
// by meaning on the replica then gives what it gives on the sharer's own store, with no embedding.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BuiltinEmbedder } from '../../src/core/embed/builtin';
import { recall } from '../../src/core/recall/recall';
import { vectorizePending } from '../../src/core/recall/vectorize';
import { ExperienceStore } from '../../src/core/store';
import { sqlString } from '../../src/core/store/rows';
import { VectorTable } from '../../src/core/store/vectors';
import { applyShare, planShare, syncFromTeam } from '../../src/core/team';
import { runCli } from '../helpers/cli';
import { startAzurite, type Azurite } from '../helpers/remoteBackends';
import { useTempDir } from '../helpers/tmp';

const LITE = join(__dirname, '../../../shared/bench/swebench-lite.jsonl');

async function vectorHashes(store: ExperienceStore): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const name of await store.vectorTableNames()) {
    const t = await store.extraTable(name);
    for (const r of await t!.query().select(['id', 'textHash']).toArray()) out.set(String(r.id), String(r.textHash));
  }
  return out;
}

describe('team memory on az://: shared episodes arrive with their vectors (real model, real SWE-bench issues)', function () {
  this.timeout(900_000);
  const tmp = useTempDir();
  let az: Azurite;
  let embedder: BuiltinEmbedder;

  before(async () => {
    az = await startAzurite();
    await az.createContainer('team');
    embedder = new BuiltinEmbedder();
  });
  after(async () => {
    await embedder?.dispose();
    await az?.stop();
  });

  it('every episode whose embedded text is unchanged carries its vector through share and sync; recall by meaning on the replica matches the sharer', async () => {
    // 24 issues from 12 repositories, spread over the whole set.
    const rows = readFileSync(LITE, 'utf8')
      .trim()
      .split('\n')
      .filter((_, i) => i % 12 === 5)
      .map((l) => JSON.parse(l) as { instance_id: string; problem_statement: string; repo: string });
    assert.ok(rows.length >= 24, `${rows.length} rows`);
    const file = join(tmp.path, 'lite.jsonl');
    writeFileSync(file, `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`);
    const [aDir, bDir] = [join(tmp.path, 'a'), join(tmp.path, 'b')];
    const imp = await runCli(['import', file, '--format', 'swebench', '--store', aDir]);
    assert.equal(imp.code, 0, imp.stderr);

    const env = { ...process.env, ...az.env };
    const a = await ExperienceStore.open(aDir);
    const b = await ExperienceStore.open(bDir);
    const team = await ExperienceStore.open('az://team/vectors', { remote: { env } });
    try {
      const local = await vectorHashes(a);
      const ids = [...local.keys()].sort();
      assert.equal(ids.length, rows.length, 'every imported episode was embedded on the sharer');
      // Three records as an older version stored them, with a token its redaction missed: in the
      // issue URL and in the patch (neither is embedded), and in the issue body (embedded).
      const token = 'ghp_' + 'Q1w2E3r4T5y6U7i8O9p0A1s2D3f4G5h6J7k8';
      const [inUrl, inPatch, inBody] = ids;
      const set = (id: string, values: Record<string, string>) => a.table('episodes').update({ where: `id = ${sqlString(id)}`, values });
      await set(inUrl, { issueUrl: `https://tracker.example/issues/1?access_token=${token}` });
      const patch = (await a.getEpisode(inPatch))!.finalPatch;
      await set(inPatch, { finalPatch: `${patch}\n+# GITHUB_TOKEN=${token}\n` });
      const body = (await a.getEpisode(inBody))!.issue.body;
      await set(inBody, { body: `${body}\nReproduce with token ${token}` });
      assert.equal((await vectorizePending(a, embedder)).done, 1, 'only the body change is embedded again on the sharer');
      const sharerHashes = await vectorHashes(a);

      const plan = await planShare(a, team, { ids }, { by: 'Ann', repo: 'lite' });
      assert.equal(plan.items.length, ids.length);
      const differs = Object.fromEntries(plan.items.filter((i) => i.differences.length).map((i) => [i.id, i.differences]));
      assert.deepEqual(differs, { [inUrl]: ['issue'], [inPatch]: ['finalPatch'], [inBody]: ['issue'] });
      for (const it of plan.items) assert.doesNotMatch(JSON.stringify(it.record), /ghp_Q1w2/, `${it.id} is re-redacted`);
      const shared = await applyShare(team, plan, a);
      assert.deepEqual([shared.written, shared.vectors], [ids.length, ids.length - 1]);
      const teamHashes = await vectorHashes(team);
      assert.deepEqual([...teamHashes.keys()].sort(), ids.filter((id) => id !== inBody).sort(), 'the body vector stays home');
      for (const [id, h] of teamHashes) assert.equal(h, sharerHashes.get(id), `team vector of ${id} is the sharer's`);

      const s = await syncFromTeam(b, team, 'az://team/vectors');
      assert.deepEqual([s.pulled, s.vectorsCopied], [ids.length, ids.length - 1]);
      // Nothing but the body-changed episode needs the model on the replica; its vector is of the redacted text.
      const v = await vectorizePending(b, embedder, { ids: s.pulledEpisodeIds });
      assert.deepEqual([v.done, v.total], [1, 1]);
      const replica = await vectorHashes(b);
      assert.deepEqual([...replica.keys()].sort(), ids);
      for (const id of ids.filter((x) => x !== inBody)) assert.equal(replica.get(id), sharerHashes.get(id));
      assert.notEqual(replica.get(inBody), sharerHashes.get(inBody));

      // Recall by meaning on the replica: the nearest vectors are the sharer's (same similarity for
      // every copied vector), and recall finds each issue by its own text with a vector part.
      const [ta, tb] = [new VectorTable(a, embedder.id), new VectorTable(b, embedder.id)];
      for (const row of rows.slice(3, 9)) {
        const text = row.problem_statement
          .split('\n')
          .find((l) => l.trim().length > 20)!
          .slice(0, 200);
        const [q] = await embedder.embed([text]);
        const [near, nearHere] = [await ta.nearest(q, [], 50), await tb.nearest(q, [], 50)];
        for (const [id, cos] of near)
          if (id !== inBody) assert.ok(Math.abs(cos - nearHere.get(id)!) < 1e-5, `${id}: ${cos} vs ${nearHere.get(id)}`);
        const hits = await recall(b, { text, minRelevance: 0 }, { embedder });
        const own = hits.find((h) => h.sourceId === row.instance_id);
        assert.ok(own && own.why.parts.vector > 0.5, `${row.instance_id} on the replica: ${JSON.stringify(own?.why.parts)}`);
      }
    } finally {
      [a, b, team].forEach((s) => s.close());
    }
  });
});
