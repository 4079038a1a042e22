import assert from 'node:assert/strict';
import { ExperienceStore, StoreError, countEpisodes } from '../../src/core/store';
import { equals } from '../../src/core/store/where';
import { recall as recallFullText } from '../../src/core/recall/recall';
import { useTempDir } from '../helpers/tmp';
import { makeAttempt, makeEpisode, makeInsight } from '../helpers/records';

describe('store (real LanceDB in a temp dir)', () => {
  const tmp = useTempDir();
  let store: ExperienceStore;
  beforeEach(async () => {
    store = await ExperienceStore.open(tmp.path);
  });
  afterEach(() => store.close());

  it('creates, reads, updates and deletes an episode with its attempts', async () => {
    const e = makeEpisode({
      id: 'e1',
      issue: { title: 'Crash on empty date', body: 'body', url: 'https://x/1', number: 1 },
      sourceId: 'src-1',
      endedAt: '2024-01-01T01:00:00.000Z',
    });
    e.attempts = [
      makeAttempt('e1', { at: '2024-01-01T00:01:00.000Z' }),
      makeAttempt('e1', { outcome: 'passed', exitCode: 0, at: '2024-01-01T00:02:00.000Z' }),
    ];
    const w = await store.upsertEpisodes([e]);
    assert.deepEqual([w.inserted, w.updated], [1, 0]);
    assert.deepEqual(await store.getEpisode('e1'), e);

    const changed = { ...e, issue: { ...e.issue, title: 'Crash on an empty date column' } };
    const w2 = await store.upsertEpisodes([changed]);
    assert.deepEqual([w2.inserted, w2.updated], [0, 1]);
    assert.equal((await store.getEpisode('e1'))?.issue.title, 'Crash on an empty date column');

    assert.deepEqual(await store.forget(['e1']), { episodes: 1, insights: 0 });
    assert.equal(await store.getEpisode('e1'), undefined);
    assert.equal(await store.count('attempts'), 0, 'attempts go with their episode');
  });

  it('upserting the same records again neither duplicates nor forgets attempts', async () => {
    const eps = Array.from({ length: 20 }, (_, i) => makeEpisode({ id: `dup-${i}` }));
    eps[0].attempts = [makeAttempt('dup-0')];
    await store.upsertEpisodes(eps);
    await store.upsertEpisodes(eps.map((e) => ({ ...e, attempts: [] })));
    await store.upsertEpisodes([...eps, ...eps]);
    assert.equal(await store.count('episodes'), 20);
    assert.equal(await store.count('attempts'), 1);
    assert.equal((await store.getEpisode('dup-0'))?.attempts.length, 1);
  });

  it('keeps insights and moves their importance atomically', async () => {
    const i = makeInsight({ id: 'i1' });
    await store.upsertInsights([i]);
    assert.equal(await store.addImportance('i1', 3), true);
    assert.equal(await store.addImportance('i1', -1), true);
    assert.equal(await store.addImportance('missing', 1), false);
    const back = await store.getInsight('i1');
    assert.equal(back?.importance, 4);
    assert.deepEqual({ ...back, importance: 2, updatedAt: i.updatedAt }, i);
  });

  it('finds episodes by full-text search and ranks the best match first', async () => {
    await store.upsertEpisodes([
      makeEpisode({
        id: 'csv',
        issue: { title: 'CSV export fails when the date column is empty', body: 'TypeError in export_rows' },
        files: ['app/export/csv.py'],
        symbols: ['export_rows'],
      }),
      makeEpisode({
        id: 'pdf',
        issue: { title: 'PDF invoice shows wrong currency symbol', body: 'Euro amounts render as $' },
        files: ['app/pdf/render.py'],
        symbols: [],
      }),
      makeEpisode({
        id: 'login',
        issue: { title: 'Login redirects loop forever', body: 'after session expiry' },
        files: ['app/auth/session.py'],
        symbols: [],
      }),
    ]);
    await store.maintain();
    const hits = await recallFullText(store, { text: 'empty date column breaks the CSV export', k: 3, minRelevance: 0 });
    assert.equal(hits[0].episodeId, 'csv');
    assert.ok(
      hits.every((h) => h.episodeId !== 'login'),
      'unrelated episode is not returned',
    );
    // rows written after the index was built are searched too
    await store.upsertEpisodes([
      makeEpisode({ id: 'late', issue: { title: 'Currency rounding in PDF totals', body: '' }, files: ['app/pdf/totals.py'], symbols: [] }),
    ]);
    const late = await recallFullText(store, { text: 'currency rounding', k: 3, minRelevance: 0 });
    assert.equal(late[0].episodeId, 'late');
  });

  it('admits only episodes created strictly before `before`', async () => {
    await store.upsertEpisodes([
      makeEpisode({ id: 'old', createdAt: '2020-01-01T00:00:00Z', issue: { title: 'timezone bug in scheduler', body: '' } }),
      makeEpisode({ id: 'edge', createdAt: '2021-01-01T00:00:00Z', issue: { title: 'timezone bug in reports', body: '' } }),
      makeEpisode({ id: 'new', createdAt: '2022-01-01T00:00:00Z', issue: { title: 'timezone bug in exports', body: '' } }),
    ]);
    const ids = async (before: string) =>
      (await recallFullText(store, { text: 'timezone bug', before, k: 10, minRelevance: 0 })).map((h) => h.episodeId).sort();
    assert.deepEqual(await ids('2021-01-01T00:00:00Z'), ['old']);
    assert.deepEqual(await ids('2021-01-01T00:00:00.001Z'), ['edge', 'old']);
    assert.deepEqual(await ids('2030-01-01T00:00:00+02:00'), ['edge', 'new', 'old']);
    assert.deepEqual(await ids('1999-01-01T00:00:00Z'), []);
  });

  it('ranks same-repository episodes first when given a repo hint, and filters by SQL', async () => {
    await store.upsertEpisodes([
      makeEpisode({
        id: 'a',
        repo: 'github.com/acme/a',
        issue: { title: 'queryset ordering lost after union', body: 'queryset union ordering' },
      }),
      makeEpisode({ id: 'b', repo: 'github.com/acme/b', issue: { title: 'ordering lost', body: '' } }),
    ]);
    const hits = await recallFullText(store, { text: 'ordering lost', repo: 'github.com/acme/b', k: 2, minRelevance: 0 });
    assert.deepEqual(
      hits.map((h) => h.episodeId),
      ['b', 'a'],
    );
    assert.equal(await countEpisodes(store, { repo: 'github.com/acme/a' }), 1);
    const batches = [];
    for await (const b of store.episodes(10, equals('repo', 'github.com/acme/b'))) batches.push(...b);
    assert.deepEqual(
      batches.map((e) => e.id),
      ['b'],
    );
  });

  it('returns nothing for empty or stop-word queries on an empty store', async () => {
    assert.deepEqual(await recallFullText(store, { text: '' }), []);
    assert.deepEqual(await recallFullText(store, { text: '   ' }), []);
    assert.deepEqual(await recallFullText(store, { text: 'the of and' }), []);
  });

  it('treats ids with quotes as data, not SQL', async () => {
    const id = "x' OR '1'='1";
    await store.upsertEpisodes([makeEpisode({ id }), makeEpisode({ id: 'other' })]);
    assert.equal((await store.getEpisode(id))?.id, id);
    assert.deepEqual(await store.forget([id]), { episodes: 1, insights: 0 });
    assert.equal(await store.count('episodes'), 1);
  });

  it('refuses to open a missing store for reading, with a clear message', async () => {
    await assert.rejects(
      ExperienceStore.open(`${tmp.path}/nope`, { mode: 'read' }),
      (e: unknown) => e instanceof StoreError && e.code === 'missing' && /No Dejafix store/.test(e.message),
    );
  });
});
