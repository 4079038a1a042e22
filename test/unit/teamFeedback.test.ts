// A teammate's feedback counts for everyone (issue 15 item 4, issue 17 item 3): each member's credits on
// repairs the team holds travel with a share and are mirrored by a sync, so they move the utility prior
// on every replica; hiding stays with the person who said "not relevant"; an undo re-shared takes the
// credit back everywhere; nothing of a query or a session reaches the team store. Real LanceDB stores in
// a temp folder (a folder team store), then the CLI against Azurite and the strict S3 server.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hiddenFor, recordFeedback, undoFeedback, utilityFor } from '../../src/core/feedback/feedback';
import { recall } from '../../src/core/recall/recall';
import { ExperienceStore } from '../../src/core/store';
import { feedbackRows } from '../../src/core/store/feedbackLog';
import { applyFeedbackShare, applyShare, planFeedbackShare, planShare, syncFromTeam } from '../../src/core/team';
import { runCli } from '../helpers/cli';
import { makeEpisode } from '../helpers/records';
import { useTeamServers } from '../helpers/remoteBackends';
import { useTempDir } from '../helpers/tmp';

const ANN = 'Ann <ann@x>';
const BOB = 'Bob <bob@x>';
const QUERY = 'Invoice totals are wrong after a refund in app/billing.py compute_total';
const episode = (id: string, title: string) =>
  makeEpisode({
    id,
    issue: { title, body: `${title} in app/billing.py compute_total` },
    files: ['app/billing.py'],
    symbols: ['compute_total'],
  });

describe('team feedback: a teammate’s credits move the ranking for everyone', function () {
  this.timeout(300_000);
  const tmp = useTempDir();
  const open = (name: string) => ExperienceStore.open(join(tmp.path, name));
  const factor = async (s: ExperienceStore, id: string) => (await utilityFor(s, [id])).get(id)?.factor ?? 1;
  async function shareFeedback(local: ExperienceStore, team: ExperienceStore, member: string): Promise<number> {
    return applyFeedbackShare(team, await planFeedbackShare(local, team, member));
  }

  it('share carries credits on team repairs, sync mirrors them; hiding stays personal; undo travels; idempotent', async () => {
    const [a, b, c, team] = await Promise.all([open('a'), open('b'), open('c'), open('team')]);
    try {
      await a.upsertEpisodes([
        episode('e1', 'Refund total off by one'),
        episode('e2', 'Refund total rounding'),
        episode('private', 'Mine only'),
      ]);
      await applyShare(team, await planShare(a, team, { ids: ['e1', 'e2'] }, { by: ANN, repo: 'r' }));
      for (const [s, me] of [
        [b, BOB],
        [c, 'Carol'],
      ] as const)
        await syncFromTeam(s, team, 'T', { member: me });
      // Ann: e1 not relevant for QUERY (a verdict without a session counts at once), e2 helpful, her private one too
      await recordFeedback(a, { subject: 'e1', kind: 'not-relevant', query: QUERY });
      await recordFeedback(a, { subject: 'e2', kind: 'helpful', query: QUERY });
      await recordFeedback(a, { subject: 'private', kind: 'helpful', query: QUERY });
      const plan = await planFeedbackShare(a, team, ANN);
      assert.deepEqual(plan.rows.map((r) => r.subject).sort(), ['e1', 'e2'], 'only repairs the team holds');
      assert.equal(plan.repairs, 2);
      for (const r of plan.rows) {
        assert.equal(r.by, ANN);
        assert.equal(r.queryHash, '', 'no query hash leaves the machine');
        assert.equal(r.sessionId, '', 'no session id leaves the machine');
        assert.ok(!r.id.includes('q:'), `the local id (which names the query hash) stays local: ${r.id}`);
      }
      assert.equal(await applyFeedbackShare(team, plan), 2);
      assert.equal(await shareFeedback(a, team, ANN), 0, 'sharing again writes nothing');

      for (const [s, me] of [
        [b, BOB],
        [c, 'Carol'],
      ] as const) {
        const r = await syncFromTeam(s, team, 'T', { member: me });
        assert.equal(r.feedbackSynced, 2, `${me} mirrors Ann's two credits`);
        assert.equal((await syncFromTeam(s, team, 'T', { member: me })).feedbackSynced, 0, 'a second sync changes nothing');
        assert.ok((await factor(s, 'e1')) < 1, `${me}: Ann's "not relevant" lowers e1`);
        assert.ok((await factor(s, 'e2')) > 1, `${me}: Ann's "helpful" lifts e2`);
        assert.equal((await hiddenFor(s, QUERY)).size, 0, `${me}: Ann's verdict does not hide anything for ${me}`);
      }
      // Ann's own store counts her credit once (her rows are not mirrored back to her)
      const own = await syncFromTeam(a, team, 'T', { member: ANN });
      assert.equal(own.feedbackSynced, 0);
      assert.equal((await feedbackRows.all(a)).filter((r) => r.by !== '').length, 0);

      // Bob hides e2 for the same query; after he shares, Carol's ranking moves, nobody else's list hides it
      await recordFeedback(b, { subject: 'e2', kind: 'not-relevant', query: QUERY });
      assert.ok((await hiddenFor(b, QUERY)).has('e2'), 'hidden for Bob');
      const bobsRecall = await recall(b, { text: QUERY, k: 5, minRelevance: 0 });
      assert.ok(!bobsRecall.some((h) => h.episodeId === 'e2'), 'Bob no longer sees e2 for this query');
      const before = await factor(c, 'e2');
      await shareFeedback(b, team, BOB);
      await syncFromTeam(c, team, 'T', { member: 'Carol' });
      assert.ok((await factor(c, 'e2')) < before, "Bob's verdict counts for Carol too");
      const carols = await recall(c, { text: QUERY, k: 5, minRelevance: 0 });
      assert.ok(
        carols.some((h) => h.episodeId === 'e2'),
        'still listed for Carol',
      );

      // Ann takes her "not relevant" back and shares: gone from the team store and from every replica
      assert.ok(await undoFeedback(a, { subject: 'e1', kind: 'not-relevant', query: QUERY }));
      assert.equal(await shareFeedback(a, team, ANN), 1, 'one row taken back');
      for (const [s, me] of [
        [b, BOB],
        [c, 'Carol'],
      ] as const) {
        assert.equal((await syncFromTeam(s, team, 'T', { member: me })).feedbackSynced, 1);
        assert.equal(await factor(s, 'e1'), 1, `${me}: e1 back to neutral`);
      }
    } finally {
      for (const s of [a, b, c, team]) s.close();
    }
  });

  it('the ranking moves: two teammates finding e2 helpful put it above an equal e1 on a third machine', async () => {
    const [a, b, c, team] = await Promise.all([open('a'), open('b'), open('c'), open('team')]);
    try {
      // two repairs that match the query about equally (not copies: diverse() would drop one); the older ranks second
      await a.upsertEpisodes([
        { ...episode('e1', 'Refund total wrong'), createdAt: '2024-02-01T00:00:00.000Z' },
        { ...episode('e2', 'Refund total is wrong'), createdAt: '2024-01-01T00:00:00.000Z' },
      ]);
      await applyShare(team, await planShare(a, team, { ids: ['e1', 'e2'] }, { by: ANN, repo: 'r' }));
      await syncFromTeam(c, team, 'T', { member: 'Carol' });
      await syncFromTeam(b, team, 'T', { member: BOB });
      const order = async () => (await recall(c, { text: QUERY, k: 5, minRelevance: 0 })).map((h) => h.episodeId);
      assert.deepEqual(await order(), ['e1', 'e2']);
      await recordFeedback(a, { subject: 'e2', kind: 'helpful', query: QUERY });
      await recordFeedback(b, { subject: 'e2', kind: 'helpful', query: 'another issue' });
      await shareFeedback(a, team, ANN);
      await shareFeedback(b, team, BOB);
      await syncFromTeam(c, team, 'T', { member: 'Carol' });
      assert.deepEqual(await order(), ['e2', 'e1'], 'teammates’ credits reorder Carol’s recall');
    } finally {
      for (const s of [a, b, c, team]) s.close();
    }
  });

  it("a replica's export carries teammates' credits and imports back; forged team rows are refused", async () => {
    const [a, b, team] = await Promise.all([open('xa'), open('xb'), open('xteam')]);
    try {
      await a.upsertEpisodes([episode('e1', 'Refund total off by one')]);
      await applyShare(team, await planShare(a, team, { ids: ['e1'] }, { by: ANN, repo: 'r' }));
      await recordFeedback(a, { subject: 'e1', kind: 'helpful', query: QUERY });
      await shareFeedback(a, team, ANN);
      await syncFromTeam(b, team, 'T', { member: BOB });
      assert.ok((await factor(b, 'e1')) > 1);
    } finally {
      for (const s of [a, team]) s.close();
      b.close();
    }
    const out = join(tmp.path, 'replica.jsonl');
    assert.equal((await runCli(['export', '--store', join(tmp.path, 'xb'), '--out', out])).code, 0);
    const lines = readFileSync(out, 'utf8').split('\n').filter(Boolean);
    const mirrored = lines.find((l) => l.includes('"kind":"feedback"') && l.includes(`"by":${JSON.stringify(ANN)}`));
    assert.ok(mirrored, "the teammate's credit is exported");
    const row = JSON.parse(mirrored) as Record<string, unknown>;
    const forged: [string, RegExp][] = [
      [JSON.stringify({ ...row, by: 'Eve' }), /id does not match its fields/],
      [JSON.stringify({ ...row, id: `${String(row.id)}x` }), /id does not match its fields/],
      [JSON.stringify({ ...row, type: 'not-relevant' }), /a teammate's row is a credit/],
      [JSON.stringify({ ...row, subjectKind: 'insight' }), /needs the episode/],
    ];
    const file = join(tmp.path, 'replica-and-forged.jsonl');
    writeFileSync(file, `${[...lines, ...forged.map(([l]) => l)].join('\n')}\n`);
    const r = await runCli(['import', '--store', join(tmp.path, 'xc'), '--embedder', 'none', file]);
    assert.equal(r.code, 1, r.stderr);
    const errs = r.stderr.split('\n').filter((l) => l.startsWith(`${file}:`));
    assert.equal(errs.length, forged.length, r.stderr);
    forged.forEach(([, reason], i) => assert.match(errs[i], reason));
    const c = await ExperienceStore.open(join(tmp.path, 'xc'), { mode: 'read' });
    try {
      assert.ok((await factor(c, 'e1')) > 1, "the imported copy ranks with the teammate's credit");
      assert.equal((await feedbackRows.all(c)).filter((x) => x.by === ANN).length, 1);
    } finally {
      c.close();
    }
  });

  describe('CLI against real servers', () => {
    const servers = useTeamServers();

    for (const backend of ['az', 's3'] as const) {
      it(`${backend}://: share --feedback shows and asks, sync brings Ann's verdict to Bob's ranking`, async () => {
        const env = (who: string) => servers.env(backend, who);
        const teamUri = `${backend}://team/fb-${backend}`;
        const [sa, sb] = [join(tmp.path, `${backend}-a`), join(tmp.path, `${backend}-b`)];
        const a = await ExperienceStore.open(sa);
        await a.upsertEpisodes([episode('e1', 'Refund total off by one')]);
        a.close();
        assert.equal((await runCli(['share', 'e1', '--yes', '--team', teamUri, '--store', sa], { env: env(ANN) })).code, 0);
        assert.equal((await runCli(['sync', '--team', teamUri, '--store', sb, '--embedder', 'none'], { env: env(BOB) })).code, 0);
        const verdict = await runCli(['feedback', 'e1', '--not-relevant', '--query', QUERY, '--store', sa], { env: env(ANN) });
        assert.equal(verdict.code, 0, verdict.stderr);
        // no terminal, no --yes: refused, naming what would go; nothing written
        const refused = await runCli(['share', '--feedback', '--team', teamUri, '--store', sa], { env: env(ANN) });
        assert.notEqual(refused.code, 0);
        assert.match(refused.stderr, /Your feedback, as Ann <ann@x>: 1 credit\(s\) on 1 team repair\(s\)/);
        assert.match(refused.stderr, /refusing to share 1 feedback change\(s\) without confirmation/);
        const noop = await runCli(['sync', '--json', '--team', teamUri, '--store', sb, '--embedder', 'none'], { env: env(BOB) });
        assert.equal(JSON.parse(noop.stdout).feedbackSynced, 0, 'nothing reached the team store');
        const shared = await runCli(['share', '--feedback', '--yes', '--json', '--team', teamUri, '--store', sa], { env: env(ANN) });
        assert.equal(shared.code, 0, shared.stderr);
        assert.equal(JSON.parse(shared.stdout).feedbackWritten, 1);
        const synced = await runCli(['sync', '--json', '--team', teamUri, '--store', sb, '--embedder', 'none'], { env: env(BOB) });
        assert.equal(JSON.parse(synced.stdout).feedbackSynced, 1, synced.stderr);
        const b = await ExperienceStore.open(sb, { mode: 'read' });
        try {
          assert.ok((await factor(b, 'e1')) < 1, "Ann's verdict lowers e1 on Bob's replica");
          assert.equal((await hiddenFor(b, QUERY)).size, 0, 'and hides nothing for Bob');
        } finally {
          b.close();
        }
        const bad = await runCli(['share', '--feedback', '--to-repo', tmp.path, '--store', sa], { env: env(ANN) });
        assert.equal(bad.code, 2, bad.stderr);
        assert.match(bad.stderr, /--feedback goes to a team store/);
      });
    }
  });
});
