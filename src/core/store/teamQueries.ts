// Typed questions the team use cases (core/team) ask: records shared since a watermark, tombstones,
// the sync watermark kept in the meta table, and which local records are the user's own.
import type { Episode } from '../model/episode';
import type { Insight } from '../model/insight';
import { sqlString } from './rows';
import type { ExperienceStore } from './store';
import { withCommitRetry } from './retry';
import { where } from './where';

/** Own records: no provenance, or origin you/import. Replica records (teammate, repository) are not. */
const OWN = `(origin IS NULL OR origin IN ('you', 'import'))`;

/** Episodes shared into this (team) store at or after `since` (all when undefined), a batch at a time. */
export function episodesSharedSince(store: ExperienceStore, since: string | undefined, batchSize = 500): AsyncGenerator<Episode[]> {
  return store.episodes(batchSize, sharedSince(since));
}

export function insightsSharedSince(store: ExperienceStore, since: string | undefined): Promise<Insight[]> {
  return store.insights(sharedSince(since));
}

const sharedSince = (since: string | undefined) => where(since ? `sharedAt >= ${sqlString(since)}` : 'sharedAt IS NOT NULL');

/** Of `ids`, those whose local copy is the user's own (never overwritten by a team copy). */
export async function ownRecordIds(store: ExperienceStore, ids: string[]): Promise<Set<string>> {
  const out = new Set<string>();
  for (let i = 0; i < ids.length; i += 200) {
    const list = ids
      .slice(i, i + 200)
      .map(sqlString)
      .join(', ');
    for (const t of ['episodes', 'insights'] as const) {
      const rows = await store.table(t).query().where(`id IN (${list}) AND ${OWN}`).select(['id']).toArray();
      for (const r of rows) out.add(String(r.id));
    }
  }
  return out;
}

/** The user's own resolved episodes created at or after `since` (not imports, not replicas). */
export async function ownResolvedEpisodeIds(store: ExperienceStore, since?: string): Promise<string[]> {
  const where = [`outcome = 'resolved'`, `(origin IS NULL OR origin = 'you')`, `NOT (source LIKE 'import:%')`];
  if (since) where.push(`createdAt >= ${sqlString(since)}`);
  const rows = await store.table('episodes').query().where(where.join(' AND ')).select(['id']).toArray();
  return rows.map((r) => String(r.id)).sort();
}

/** Episode ids matching ids or source ids, and insight ids, as stored. */
export async function resolveShareIds(store: ExperienceStore, ids: string[]): Promise<{ episodes: string[]; insights: string[] }> {
  const list = ids.map(sqlString).join(', ');
  const e = await store.table('episodes').query().where(`id IN (${list}) OR sourceId IN (${list})`).select(['id']).toArray();
  const i = await store.table('insights').query().where(`id IN (${list})`).select(['id']).toArray();
  return { episodes: e.map((r) => String(r.id)), insights: i.map((r) => String(r.id)) };
}

export interface Tombstone {
  id: string;
  kind: 'episode' | 'insight';
  deletedAt: string;
  deletedBy: string;
}

export async function addTombstones(store: ExperienceStore, list: Tombstone[]): Promise<void> {
  if (list.length === 0) return;
  await withCommitRetry(() =>
    store
      .table('tombstones')
      .mergeInsert('id')
      .whenMatchedUpdateAll()
      .whenNotMatchedInsertAll()
      .execute(list.map((t) => ({ ...t }))),
  );
}

export async function tombstonesSince(store: ExperienceStore, since: string | undefined): Promise<Tombstone[]> {
  let q = store.table('tombstones').query();
  if (since) q = q.where(`deletedAt >= ${sqlString(since)}`);
  return (await q.toArray()).map((r) => ({
    id: String(r.id),
    kind: String(r.kind) as Tombstone['kind'],
    deletedAt: String(r.deletedAt),
    deletedBy: String(r.deletedBy ?? ''),
  }));
}

/** Removes tombstones of ids shared again (a re-share after a forget brings a record back). */
export async function clearTombstones(store: ExperienceStore, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  const list = ids.map(sqlString).join(', ');
  await withCommitRetry(() => store.table('tombstones').delete(`id IN (${list})`));
}

/** Of `ids`, the replica records (origin teammate or repository) — the ones a team forget may remove. */
export async function replicaIds(
  store: ExperienceStore,
  ids: string[],
  origin: 'teammate' | 'repository',
  sharedFrom?: string,
): Promise<string[]> {
  const out: string[] = [];
  const from = sharedFrom === undefined ? '' : ` AND sharedFrom = ${sqlString(sharedFrom)}`;
  for (let i = 0; i < ids.length; i += 200) {
    const list = ids
      .slice(i, i + 200)
      .map(sqlString)
      .join(', ');
    for (const t of ['episodes', 'insights'] as const) {
      const rows = await store
        .table(t)
        .query()
        .where(`id IN (${list}) AND origin = ${sqlString(origin)}${from}`)
        .select(['id'])
        .toArray();
      out.push(...rows.map((r) => String(r.id)));
    }
  }
  return out;
}

/** Every replica record of an origin (and repository), for the .dejafix/ folder's deletions. */
export async function allReplicaIds(store: ExperienceStore, origin: 'teammate' | 'repository', sharedFrom?: string): Promise<string[]> {
  const from = sharedFrom === undefined ? '' : ` AND sharedFrom = ${sqlString(sharedFrom)}`;
  const out: string[] = [];
  for (const t of ['episodes', 'insights'] as const) {
    const rows = await store
      .table(t)
      .query()
      .where(`origin = ${sqlString(origin)}${from}`)
      .select(['id'])
      .toArray();
    out.push(...rows.map((r) => String(r.id)));
  }
  return out;
}

export async function readMeta(store: ExperienceStore, key: string): Promise<string | undefined> {
  const rows = await store
    .table('meta')
    .query()
    .where(`id = ${sqlString(key)}`)
    .limit(1)
    .toArray();
  return rows.length ? String(rows[0].value) : undefined;
}

export async function writeMeta(store: ExperienceStore, key: string, value: string): Promise<void> {
  await withCommitRetry(() =>
    store
      .table('meta')
      .mergeInsert('id')
      .whenMatchedUpdateAll()
      .whenNotMatchedInsertAll()
      .execute([{ id: key, value }]),
  );
}

/** Meta entries whose key starts with `prefix` (team feedback contributions). */
export async function metaWithPrefix(store: ExperienceStore, prefix: string): Promise<{ id: string; value: string }[]> {
  const like = sqlString(`${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  const rows = await store.table('meta').query().where(`id LIKE ${like}`).toArray();
  return rows.map((r) => ({ id: String(r.id), value: String(r.value) })).filter((r) => r.id.startsWith(prefix));
}
