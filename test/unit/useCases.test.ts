// The core use cases every front door calls: recallWithContext (repairs with their attempts, what
// worked and what did not, the lessons that apply, a feedback hook) and rememberLesson (a person's
// lesson active at once, an agent's proposed, one insight per words/role/scope), on a real store.
import assert from 'node:assert/strict';
import { ExperienceStore } from '../../src/core/store';
import { recallWithContext } from '../../src/core/recall/withContext';
import { rememberLesson } from '../../src/core/reflect/remember';
import { DejafixError } from '../../src/core/util/errors';
import { useTempDir } from '../helpers/tmp';
import { makeAttempt, makeEpisode, makeInsight } from '../helpers/records';

const REPO = 'github.com/acme/ledger';
const patch = 'diff --git a/ledger/report.py b/ledger/report.py\n--- a/ledger/report.py\n+++ b/ledger/report.py\n@@ -1 +1 @@\n-a\n+b\n';

describe('use cases: recallWithContext and rememberLesson', () => {
  const tmp = useTempDir();
  let store: ExperienceStore;
  beforeEach(async () => {
    store = await ExperienceStore.open(tmp.path);
    await store.upsertEpisodes([
      {
        ...makeEpisode({
          id: 'fixed',
          repo: REPO,
          createdAt: '2024-02-01T00:00:00Z',
          issue: { title: 'Average balance divides by zero', body: 'ZeroDivisionError in ledger/report.py for empty accounts' },
          files: ['ledger/report.py'],
        }),
        attempts: [
          makeAttempt('fixed', {
            id: 'f1',
            at: '2024-02-01T00:01:00Z',
            patch,
            command: 'pytest tests/test_report.py',
            exitCode: 1,
            outcome: 'failed',
          }),
          makeAttempt('fixed', { id: 'f2', at: '2024-02-01T00:02:00Z', patch, command: 'pytest', exitCode: 0, outcome: 'passed' }),
        ],
      },
      {
        ...makeEpisode({
          id: 'other',
          repo: REPO,
          createdAt: '2024-03-01T00:00:00Z',
          issue: { title: 'Average balance zero for closed accounts', body: 'ledger/report.py averages closed accounts' },
          files: ['ledger/report.py'],
        }),
        attempts: [],
      },
    ]);
    await store.upsertInsights([
      makeInsight({
        id: 'in-avg',
        text: 'Guard the average balance against empty accounts before dividing.',
        scope: REPO,
        status: 'active',
      }),
    ]);
  });
  afterEach(() => store.close());

  it('returns the repairs with their attempts, what worked, and the lessons', async () => {
    const r = await recallWithContext(store, {
      text: 'average balance ZeroDivisionError empty accounts',
      repo: REPO,
      k: 5,
      minRelevance: 0,
    });
    assert.deepEqual(r.hits.map((h) => h.episodeId).sort(), ['fixed', 'other']);
    assert.deepEqual(
      r.episodes.get('fixed')?.attempts.map((a) => a.id),
      ['f1', 'f2'],
    );
    assert.equal(r.lessons.get('fixed')?.worked?.command, 'pytest');
    assert.deepEqual(
      r.lessons.get('fixed')?.didNotWork.map((a) => a.command),
      ['pytest tests/test_report.py'],
    );
    assert.deepEqual(
      r.insights.map((i) => i.insight.id),
      ['in-avg'],
    );
    const none = await recallWithContext(store, { text: 'average balance', repo: REPO, k: 5, insightsK: 0 });
    assert.deepEqual(none.insights, []);
    assert.deepEqual(await recallWithContext(store, { text: '   ', k: 3 }), {
      hits: [],
      episodes: new Map(),
      lessons: new Map(),
      insights: [],
    });
  });

  it('drops the excluded episode and lets the feedback hook reorder or drop hits before k is taken', async () => {
    const text = 'average balance ZeroDivisionError empty accounts';
    const excluded = await recallWithContext(store, { text, repo: REPO, k: 1, excludeEpisodeId: 'fixed', minRelevance: 0 });
    assert.deepEqual(
      excluded.hits.map((h) => h.episodeId),
      ['other'],
      'the spare hit fills the place',
    );
    let seen = 0;
    const adjusted = await recallWithContext(
      store,
      { text, repo: REPO, k: 1, minRelevance: 0 },
      {
        adjust: (hits, t) => {
          seen = hits.length;
          assert.equal(t, text);
          return hits.filter((h) => h.episodeId !== 'fixed');
        },
      },
    );
    assert.equal(seen, 2);
    assert.deepEqual(
      adjusted.hits.map((h) => h.episodeId),
      ['other'],
    );
    assert.deepEqual([...adjusted.episodes.keys()], ['other']);
  });

  it("keeps a person's lesson active, an agent's proposed, and one insight for the same words", async () => {
    const person = await rememberLesson(store, {
      text: "  Empty CSV cells arrive as ''   not None; check both. ",
      role: 'fix',
      repo: REPO,
      by: 'human',
      approved: true,
    });
    assert.equal(person.created, true);
    assert.equal(person.insight.status, 'active');
    assert.equal(person.insight.text, "Empty CSV cells arrive as '' not None; check both.");
    assert.equal((await store.getInsight(person.insight.id))?.status, 'active');

    const agent = await rememberLesson(store, {
      text: 'Check the locale before parsing dates in exports.',
      role: 'review',
      repo: 'unknown',
      episodeId: 'fixed',
      files: ['ledger/report.py'],
      by: 'agent claude',
      approved: false,
    });
    assert.equal(agent.insight.status, 'proposed');
    assert.equal(agent.insight.scope, 'global');
    assert.deepEqual(agent.insight.evidence, { episodes: ['fixed'], files: ['ledger/report.py'] });

    const again = await rememberLesson(store, {
      text: 'Check the locale before parsing dates in exports.',
      role: 'review',
      by: 'agent other',
      approved: false,
    });
    assert.equal(again.created, false);
    assert.equal(again.insight.id, agent.insight.id);
    const approved = await rememberLesson(store, {
      text: 'check the locale   before parsing dates in exports.',
      role: 'review',
      by: 'human',
      approved: true,
    });
    assert.equal(approved.insight.id, agent.insight.id, 'case and spacing do not make a new lesson');
    assert.equal((await store.getInsight(agent.insight.id))?.status, 'active');
    assert.equal(await store.count('insights'), 3);
  });

  it('rejects a lesson too short or too long with a bad-lesson error and stores nothing', async () => {
    for (const text of ['', '   too short ', 'x'.repeat(401)]) {
      await assert.rejects(
        rememberLesson(store, { text, role: 'fix', by: 'human', approved: true }),
        (e: unknown) => e instanceof DejafixError && e.code === 'bad-lesson' && /A lesson is 12–400 characters/.test(e.userMessage),
      );
    }
    assert.equal(await store.count('insights'), 1);
  });
});
