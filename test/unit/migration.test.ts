import assert from 'node:assert/strict';
import { ExperienceStore, SCHEMA_VERSION, StoreError } from '../../src/core/store';
import { episodeToRow } from '../../src/core/store/rows';
import { columnsAddedIn } from '../../src/core/store/schema';

const ADDED = [...columnsAddedIn('episodes', 2), ...columnsAddedIn('episodes', 3), ...columnsAddedIn('episodes', 6)];
import { recall } from '../../src/core/recall/recall';
import { useTempDir } from '../helpers/tmp';
import { makeEpisode, makeInsight } from '../helpers/records';
import { originOf } from '../../src/core/model';

describe('store schema migration', () => {
  const tmp = useTempDir();

  it('opens a store written with schema 1 and upgrades it to the current schema without losing data', async () => {
    const old = await ExperienceStore.open(tmp.path, { targetVersion: 1 });
    assert.equal(old.schemaVersion, 1);
    const oldCols = (await old.table('episodes').schema()).fields.map((f) => f.name);
    for (const c of ADDED) assert.ok(!oldCols.includes(c), `schema 1 has no ${c}`);
    // A row as the schema-1 code wrote it: without the columns schema 2 added.
    const e = makeEpisode({ id: 'v1-ep', issue: { title: 'Old memory about encoding', body: 'UnicodeDecodeError' } });
    const row = episodeToRow(e, '2024-01-01T00:00:00.000Z');
    for (const c of ADDED) delete row[c];
    await old.table('episodes').add([row]);
    old.close();

    const store = await ExperienceStore.open(tmp.path);
    try {
      assert.equal(store.schemaVersion, SCHEMA_VERSION);
      const cols = (await store.table('episodes').schema()).fields.map((f) => f.name);
      for (const c of ADDED) assert.ok(cols.includes(c), `migrated table has ${c}`);
      assert.deepEqual(await store.getEpisode('v1-ep'), e);
      // the code field of old rows is filled from their files and symbols, and searchable
      const [old] = await store.table('episodes').query().where("id = 'v1-ep'").select(['code']).toArray();
      assert.equal(old.code, 'app/x.py f');
      const hits = await recall(store, { text: 'problem in app/x.py', k: 1, minRelevance: 0 });
      assert.equal(hits[0]?.episodeId, 'v1-ep');
      // new writes use the new columns
      await store.upsertEpisodes([makeEpisode({ id: 'v2-ep', reproTest: 'diff --git a/t.py b/t.py', sourceId: 'S-1' })]);
      const back = await store.getEpisode('v2-ep');
      assert.equal(back?.reproTest, 'diff --git a/t.py b/t.py');
      assert.equal(back?.sourceId, 'S-1');
      assert.equal(await store.count('episodes'), 2);
      // v5: attempts are looked up by episode through an index
      const indexed = async (t: 'episodes' | 'attempts') =>
        (await store.table(t).listIndices()).map((i) => `${i.columns.join(',')}:${i.indexType}`);
      assert.ok(
        (await indexed('attempts')).some((x) => /^episodeId:BTree$/i.test(x)),
        String(await indexed('attempts')),
      );
    } finally {
      store.close();
    }
    // and reopening is a no-op
    const again = await ExperienceStore.open(tmp.path, { mode: 'read' });
    assert.equal(again.schemaVersion, SCHEMA_VERSION);
    assert.equal(await again.count('episodes'), 2);
    again.close();
  });

  it('upgrades a schema-5 store to provenance columns and a tombstones table; old rows read as your own', async () => {
    const old = await ExperienceStore.open(tmp.path, { targetVersion: 5 });
    assert.equal(old.schemaVersion, 5);
    const row = episodeToRow(makeEpisode({ id: 'v5-ep', source: 'import:swebench' }), '2024-01-01T00:00:00.000Z');
    for (const c of columnsAddedIn('episodes', 6)) delete row[c];
    await old.table('episodes').add([row]);
    old.close();
    const store = await ExperienceStore.open(tmp.path);
    try {
      assert.equal(store.schemaVersion, SCHEMA_VERSION);
      const back = await store.getEpisode('v5-ep');
      assert.equal(back?.provenance, undefined);
      assert.equal(originOf(back!), 'import');
      const cols = (await store.table('insights').schema()).fields.map((f) => f.name);
      for (const c of ['origin', 'sharedBy', 'sharedAt', 'sharedFrom']) assert.ok(cols.includes(c), c);
      assert.equal(await store.count('tombstones'), 0);
      const provenance = {
        origin: 'teammate' as const,
        sharedBy: 'Ann <ann@example.com>',
        sharedAt: '2026-12-01T10:00:00.000Z',
        sharedFrom: 'github.com/acme/invoices',
      };
      await store.upsertEpisodes([makeEpisode({ id: 'shared-ep', provenance })]);
      await store.upsertInsights([makeInsight({ id: 'shared-in', provenance: { origin: 'repository' } })]);
      assert.deepEqual((await store.getEpisode('shared-ep'))?.provenance, provenance);
      assert.deepEqual((await store.getInsight('shared-in'))?.provenance, { origin: 'repository' });
      assert.equal(originOf((await store.getEpisode('shared-ep'))!), 'teammate');
    } finally {
      store.close();
    }
  });

  it('upgrades an old store on a read too, so read-only commands work on it', async () => {
    (await ExperienceStore.open(tmp.path, { targetVersion: 1 })).close();
    const s = await ExperienceStore.open(tmp.path, { mode: 'read' });
    assert.equal(s.schemaVersion, SCHEMA_VERSION);
    s.close();
  });

  it('refuses a store written by a newer version, untouched', async () => {
    const s = await ExperienceStore.open(tmp.path);
    await s
      .table('meta')
      .mergeInsert('id')
      .whenMatchedUpdateAll()
      .whenNotMatchedInsertAll()
      .execute([{ id: 'schemaVersion', value: String(SCHEMA_VERSION + 7) }]);
    await s.upsertEpisodes([makeEpisode({ id: 'keep' })]);
    s.close();
    await assert.rejects(
      ExperienceStore.open(tmp.path),
      (e: unknown) => e instanceof StoreError && e.code === 'newer-schema' && /newer Dejafix/.test(e.message),
    );
    // nothing was changed: the data is still there for the newer version
    const lance = await import('@lancedb/lancedb');
    const db = await lance.connect(tmp.path);
    assert.equal(await (await db.openTable('episodes')).countRows(), 1);
  });

  it('says a folder without a store is not a store when reading', async () => {
    await assert.rejects(
      ExperienceStore.open(tmp.path, { mode: 'read' }),
      (e: unknown) => e instanceof StoreError && e.code === 'not-a-store',
    );
  });
});
