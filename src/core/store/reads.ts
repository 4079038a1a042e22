// The store's reads of episodes (with their attempts, in batches of 200 ids per query) and insights, on the open
// tables of an ExperienceStore: rows become domain records here (rows.ts), never above the store.
import type { Table } from '@lancedb/lancedb';
import type { Attempt } from '../model/attempt';
import type { Episode } from '../model/episode';
import type { Insight } from '../model/insight';
import { rowToAttempt, rowToEpisode, rowToInsight, sqlString, type Row } from './rows';
import { TABLES } from './schema';
import type { Where } from './where';

/** The store's open table of that name (throws when it is not open). */
type TableOf = (name: string) => Table;
const BATCH = 200;

/** Several episodes with their attempts, in two queries per 200 ids. */
export async function readEpisodes(table: TableOf, ids: string[]): Promise<Map<string, Episode>> {
  const out = new Map<string, Episode>();
  for (let i = 0; i < ids.length; i += BATCH) {
    const batch = ids.slice(i, i + BATCH);
    const rows = await table(TABLES.episodes)
      .query()
      .where(`id IN (${batch.map(sqlString).join(', ')})`)
      .limit(batch.length)
      .toArray();
    const attempts = await readAttemptsOf(
      table,
      rows.map((r) => String(r.id)),
    );
    for (const r of rows) out.set(String(r.id), rowToEpisode(r, attempts.get(String(r.id)) ?? []));
  }
  return out;
}

export async function readInsight(table: TableOf, id: string): Promise<Insight | undefined> {
  const rows = await table(TABLES.insights)
    .query()
    .where(`id = ${sqlString(id)}`)
    .limit(1)
    .toArray();
  return rows.length ? rowToInsight(rows[0]) : undefined;
}

/** All episodes with their attempts, `batchSize` at a time (for export). */
export async function* allEpisodes(table: TableOf, batchSize: number, where?: Where): AsyncGenerator<Episode[]> {
  let q = table(TABLES.episodes).query();
  if (where) q = q.where(where);
  let batch: Row[] = [];
  const flush = async () => {
    const attempts = await readAttemptsOf(
      table,
      batch.map((r) => String(r.id)),
    );
    const out = batch.map((r) => rowToEpisode(r, attempts.get(String(r.id)) ?? []));
    batch = [];
    return out;
  };
  for await (const rb of q) {
    for (const row of rb.toArray()) {
      batch.push(row.toJSON() as Row);
      if (batch.length >= batchSize) yield await flush();
    }
  }
  if (batch.length) yield await flush();
}

export async function readInsights(table: TableOf, where?: Where): Promise<Insight[]> {
  let q = table(TABLES.insights).query();
  if (where) q = q.where(where);
  return (await q.toArray()).map(rowToInsight);
}

/** Attempts of the given episodes, oldest first. */
export async function readAttemptsOf(table: TableOf, episodeIds: string[]): Promise<Map<string, Attempt[]>> {
  const out = new Map<string, Attempt[]>();
  for (let i = 0; i < episodeIds.length; i += BATCH) {
    const ids = episodeIds
      .slice(i, i + BATCH)
      .map(sqlString)
      .join(', ');
    const rows = await table(TABLES.attempts).query().where(`episodeId IN (${ids})`).toArray();
    for (const r of rows.map(rowToAttempt)) out.set(r.episodeId, [...(out.get(r.episodeId) ?? []), r]);
  }
  for (const list of out.values()) list.sort((a, b) => a.at.localeCompare(b.at) || a.id.localeCompare(b.id));
  return out;
}
