// Team sync beyond records: feedback counters merged across members, team forget from the CLI, and
// vectors for pulled records (the real built-in model), so recall by meaning finds teammates' repairs.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { BuiltinEmbedder } from '../../src/core/embed';
import { recall } from '../../src/core/recall/recall';
import { ExperienceStore } from '../../src/core/store';
import { applyShare, planShare, shareCounts, syncFromTeam } from '../../src/core/team';
import { makeEpisode, makeInsight } from '../helpers/records';
import { runCli } from '../helpers/cli';
import { useTempDir } from '../helpers/tmp';

describe('team memory: counters, team forget and vectors on sync', () => {
  const tmp = useTempDir();
  const open = (name: string) => ExperienceStore.open(join(tmp.path, name));
  const ANN = 'Ann <ann@x>';
  const BOB = 'Bob <bob@x>';
  const fb = async (s: ExperienceStore, id: string) => (await s.getInsight(id))?.feedback ?? { helpful: 0, unhelpful: 0 };
  const mark = async (s: ExperienceStore, id: string, d: { helpful?: number; unhelpful?: number }) => {
    const i = (await s.getInsight(id))!;
    const f = i.feedback ?? { helpful: 0, unhelpful: 0 };
    await s.upsertInsights([{ ...i, feedback: { helpful: f.helpful + (d.helpful ?? 0), unhelpful: f.unhelpful + (d.unhelpful ?? 0) } }]);
  };

  it('syncing twice never doubles a count; counts from two members add up on every machine', async () => {
    const [a, b, c, team] = await Promise.all([open('a'), open('b'), open('c'), open('team')]);
    try {
      await a.upsertInsights([
        makeInsight({ id: 'i1', feedback: { helpful: 2, unhelpful: 1 } }),
        makeInsight({ id: 'i2', text: 'Pin the parser version.' }),
      ]);
      await applyShare(team, await planShare(a, team, { ids: ['i1', 'i2'] }, { by: ANN, repo: 'r' }));
      await shareCounts(a, team, ['i1', 'i2'], ANN);
      for (let n = 0; n < 3; n++) await syncFromTeam(b, team, 'T', { member: BOB });
      assert.deepEqual(await fb(b, 'i1'), { helpful: 2, unhelpful: 1 }, 'three syncs, counted once');
      // Bob finds it helpful twice and shares his feedback (a teammate's insight: counts only)
      await mark(b, 'i1', { helpful: 2 });
      await mark(b, 'i2', { unhelpful: 1 });
      await shareCounts(b, team, ['i1', 'i2'], BOB);
      await shareCounts(b, team, ['i1', 'i2'], BOB);
      for (const [s, me] of [
        [a, ANN],
        [a, ANN],
        [b, BOB],
        [c, 'Carol'],
        [c, 'Carol'],
      ] as const)
        await syncFromTeam(s, team, 'T', { member: me });
      for (const s of [a, b, c]) {
        assert.deepEqual(await fb(s, 'i1'), { helpful: 4, unhelpful: 1 }, s.dir);
        assert.deepEqual(await fb(s, 'i2'), { helpful: 0, unhelpful: 1 }, s.dir);
      }
      // Ann clicks "not helpful" and shares again: her contribution is replaced, not added
      await mark(a, 'i1', { unhelpful: 1 });
      await shareCounts(a, team, ['i1'], ANN);
      await shareCounts(a, team, ['i1'], ANN);
      for (const [s, me] of [
        [b, BOB],
        [c, 'Carol'],
        [a, ANN],
      ] as const)
        await syncFromTeam(s, team, 'T', { member: me });
      for (const s of [a, b, c]) assert.deepEqual(await fb(s, 'i1'), { helpful: 4, unhelpful: 2 }, s.dir);
      // local clicks not yet shared survive a sync
      await mark(c, 'i1', { helpful: 1 });
      await syncFromTeam(c, team, 'T', { member: 'Carol' });
      assert.deepEqual(await fb(c, 'i1'), { helpful: 5, unhelpful: 2 });
    } finally {
      for (const s of [a, b, c, team]) s.close();
    }
  });

  it("CLI: team forget asks first, then removes for the team; a teammate's sync forgets the replica", async () => {
    const a = await open('a');
    await a.upsertEpisodes([makeEpisode({ id: 'f1' }), makeEpisode({ id: 'f2' })]);
    a.close();
    const teamUri = join(tmp.path, 'team');
    const env = { DEJAFIX_TEAM_NAME: 'Ann' };
    assert.equal((await runCli(['share', 'f1', 'f2', '--yes', '--team', teamUri, '--store', join(tmp.path, 'a')], { env })).code, 0);
    assert.equal((await runCli(['sync', '--team', teamUri, '--store', join(tmp.path, 'b'), '--embedder', 'none'])).code, 0);
    const refused = await runCli(['team', 'forget', 'f1', '--team', teamUri], { env });
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /episode f1: /);
    assert.match(refused.stderr, /refusing to forget 1 record\(s\) for the whole team without confirmation: pass --yes/);
    const none = await runCli(['team', 'forget', 'nope', '--yes', '--team', teamUri], { env });
    assert.equal(none.code, 2);
    assert.match(none.stderr, /nothing matches in the team store/);
    const ok = await runCli(['team', 'forget', 'f1', 'nope', '--yes', '--json', '--team', teamUri], { env });
    assert.equal(ok.code, 1, ok.stderr);
    assert.deepEqual(JSON.parse(ok.stdout).ids, ['f1']);
    assert.match(ok.stderr, /not in the team store: nope/);
    const s = await runCli(['sync', '--json', '--team', teamUri, '--store', join(tmp.path, 'b'), '--embedder', 'none']);
    assert.equal(JSON.parse(s.stdout).forgotten, 1);
    const b = await open('b');
    const t = await open('team');
    try {
      assert.equal(await b.getEpisode('f1'), undefined);
      assert.ok(await b.getEpisode('f2'));
      assert.equal(await t.getEpisode('f1'), undefined);
    } finally {
      b.close();
      t.close();
    }
    const a2 = await open('a');
    assert.ok(await a2.getEpisode('f1'), 'the sharer keeps their own record');
    a2.close();
  });

  it("sync embeds what it pulled: recall by meaning finds a teammate's repair that shares no words with the query", async () => {
    const a = await open('a');
    await a.upsertEpisodes([
      makeEpisode({
        id: 'twin',
        issue: { title: 'Program crashes when the uploaded spreadsheet has no rows', body: '' },
        files: ['app/upload.py'],
        symbols: [],
      }),
      makeEpisode({
        id: 'avatar',
        issue: { title: 'Profile picture shows up rotated sideways', body: '' },
        files: ['app/avatar.py'],
        symbols: [],
      }),
    ]);
    a.close();
    const teamUri = join(tmp.path, 'team');
    assert.equal((await runCli(['share', 'twin', 'avatar', '--yes', '--team', teamUri, '--store', join(tmp.path, 'a')])).code, 0);
    const r = await runCli(['sync', '--json', '--team', teamUri, '--store', join(tmp.path, 'b')]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).embedded, 2);
    const b = await open('b');
    const embedder = new BuiltinEmbedder();
    try {
      const hits = await recall(
        b,
        { text: 'Importing an empty Excel workbook makes the service fail', repo: 'github.com/acme/invoices', k: 1, minRelevance: 0 },
        { embedder },
      );
      assert.equal(hits[0]?.episodeId, 'twin');
      assert.ok(hits[0].why.parts.vector > 0, 'found by its vector');
    } finally {
      await embedder.dispose();
      b.close();
    }
  });
});
