import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ExperienceStore } from '../../src/core/store';
import { applyShare, forgetFromTeam, planShare, renderPlan, syncFromTeam, teamLocation } from '../../src/core/team';
import { makeAttempt, makeEpisode, makeInsight } from '../helpers/records';
import { runCli } from '../helpers/cli';
import { useTempDir } from '../helpers/tmp';

describe('team memory: share and sync through a team store', () => {
  const tmp = useTempDir();
  const open = (name: string) => ExperienceStore.open(join(tmp.path, name));
  const ann = { by: 'Ann <ann@example.com>', repo: 'github.com/acme/invoices' };
  const bob = { by: 'Bob <bob@example.com>', repo: 'github.com/acme/invoices' };

  it('two machines share, sync, and converge; re-share updates without duplicates; own records are never overwritten', async () => {
    const [a, b, team] = await Promise.all([open('a'), open('b'), open('team')]);
    try {
      const secret = 'ghp_' + 'R8q7P6o5N4m3L2k1J0i9H8g7F6e5D4c3B2a1';
      await a.upsertEpisodes([makeEpisode({ id: 'a1', attempts: [makeAttempt('a1')] }), makeEpisode({ id: 'a2', outcome: 'failed' })]);
      await a.upsertInsights([makeInsight({ id: 'ai1', text: 'Check None before sums.' })]);
      await b.upsertEpisodes([
        makeEpisode({ id: 'b1', issue: { title: 'Bob bug', body: 'x' } }),
        makeEpisode({ id: 'clash', issue: { title: 'Bob own clash', body: 'y' } }),
      ]);
      // Ann's plan: exactly the selected records, provenance set, nothing written yet
      const plan = await planShare(a, team, { ids: ['ai1', 'missing-id'], resolved: true }, ann);
      assert.deepEqual(plan.items.map((i) => `${i.kind}:${i.id}:${i.status}`).sort(), ['episode:a1:new', 'insight:ai1:new']);
      assert.deepEqual(plan.notFound, ['missing-id']);
      assert.equal(plan.items[0].record.provenance?.sharedBy, ann.by);
      assert.match(renderPlan(plan, 'T'), /episode a1 \[new\]/);
      assert.equal(await team.count('episodes'), 0);
      assert.deepEqual(await applyShare(team, plan), { written: 2, unchanged: 0 });
      // sharing again: unchanged, no duplicates
      const again = await planShare(a, team, { resolved: true, ids: ['ai1'] }, ann);
      assert.deepEqual(
        again.items.map((i) => i.status),
        ['unchanged', 'unchanged'],
      );
      await applyShare(team, again);
      assert.equal(await team.count('episodes'), 1);
      // Bob shares his episode and one with an id that clashes with Ann's local record
      await a.upsertEpisodes([makeEpisode({ id: 'clash', issue: { title: 'Ann own clash', body: 'z' } })]);
      await applyShare(team, await planShare(b, team, { ids: ['b1', 'clash'] }, bob));
      // both sync
      const ra = await syncFromTeam(a, team, 'T');
      const rb = await syncFromTeam(b, team, 'T');
      assert.equal(ra.keptOwn, 3, "a1, ai1 and clash are Ann's own");
      assert.equal((await a.getEpisode('clash'))?.issue.title, 'Ann own clash');
      assert.equal((await a.getEpisode('b1'))?.provenance?.origin, 'teammate');
      assert.equal((await a.getEpisode('b1'))?.provenance?.sharedBy, bob.by);
      assert.equal((await b.getEpisode('a1'))?.attempts.length, 1);
      assert.equal((await b.getInsight('ai1'))?.provenance?.origin, 'teammate');
      assert.equal(rb.pulled, 2);
      // incremental: a second sync pulls nothing new
      assert.equal((await syncFromTeam(b, team, 'T')).pulled, 0);
      // a changed record re-shared reaches the replica
      await a.upsertEpisodes([{ ...(await a.getEpisode('a1'))!, issue: { title: 'a1 renamed', body: `key ${secret}` } }]);
      const upd = await planShare(a, team, { ids: ['a1'] }, { ...ann, now: () => new Date(Date.now() + 1000).toISOString() });
      assert.equal(upd.items[0].status, 'update');
      assert.ok(!JSON.stringify(upd.items[0].record).includes(secret), 'never a secret in what is shared');
      await applyShare(team, upd);
      await syncFromTeam(b, team, 'T');
      assert.equal((await b.getEpisode('a1'))?.issue.title, 'a1 renamed');
      assert.equal(await b.count('episodes'), 3);
      // a team forget reaches the replica, never the sharer's own copy
      await forgetFromTeam(team, ['a1'], bob.by);
      const rf = await syncFromTeam(b, team, 'T');
      assert.equal(rf.forgotten, 1);
      assert.equal(await b.getEpisode('a1'), undefined);
      await syncFromTeam(a, team, 'T');
      assert.ok(await a.getEpisode('a1'), 'Ann keeps her own record');
    } finally {
      for (const s of [a, b, team]) s.close();
    }
  });

  it('an interrupted sync leaves the replica intact and the next one resumes', async () => {
    const [a, b, team] = await Promise.all([open('a'), open('b'), open('team')]);
    try {
      await a.upsertEpisodes(Array.from({ length: 30 }, (_, i) => makeEpisode({ id: `r${i}` })));
      await applyShare(team, await planShare(a, team, { resolved: true }, ann));
      const ac = new AbortController();
      ac.abort();
      await assert.rejects(syncFromTeam(b, team, 'T', { batchSize: 10, signal: ac.signal }));
      assert.equal(await b.count('episodes'), 0);
      assert.equal((await syncFromTeam(b, team, 'T', { batchSize: 10 })).pulled, 30);
      assert.equal(await b.count('episodes'), 30);
    } finally {
      for (const s of [a, b, team]) s.close();
    }
  });

  it('rejects bad team URIs with one clear line', () => {
    for (const bad of ['', '   ', 'http://x/y', 'ftp://h/p', 'a\u0000b', 'file://%zz'])
      assert.throws(() => teamLocation(bad), /team store|scheme|control|file URI/i, bad);
    assert.equal(teamLocation('s3://bucket/prefix'), 's3://bucket/prefix');
    assert.equal(teamLocation('az://c/p'), 'az://c/p');
  });

  it('CLI: share refuses without --yes off a TTY, then shares with --yes, and sync pulls into another store', async () => {
    const a = await open('a');
    await a.upsertEpisodes([makeEpisode({ id: 'c1' })]);
    a.close();
    const env = { DEJAFIX_TEAM_NAME: 'Ci Bot' };
    const refused = await runCli(['share', 'c1', '--team', join(tmp.path, 'team'), '--store', join(tmp.path, 'a')], { env });
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /refusing to share 1 record/);
    assert.match(refused.stderr, /episode c1 \[new\]/);
    const bad = await runCli(['share', 'c1', '--team', 'http://nope', '--store', join(tmp.path, 'a')]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /Unsupported team store scheme/);
    const ok = await runCli(['share', 'c1', '--yes', '--json', '--team', join(tmp.path, 'team'), '--store', join(tmp.path, 'a')], { env });
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(JSON.parse(ok.stdout).written, 1);
    const sync = await runCli(['sync', '--json', '--team', join(tmp.path, 'team'), '--store', join(tmp.path, 'b')]);
    assert.equal(sync.code, 0, sync.stderr);
    assert.equal(JSON.parse(sync.stdout).pulled, 1);
    const b = await open('b');
    assert.equal((await b.getEpisode('c1'))?.provenance?.sharedBy, 'Ci Bot');
    b.close();
  });
});
