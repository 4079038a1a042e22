// Orphan attempts: attempt rows whose episode is not stored. A save writes attempts first and
// the episode second (so no episode ever claims attempts it lacks); a process killed between the
// two leaves the attempts alone, and a repair that takes the episodes table back to an older
// version leaves the attempts of the episodes it lost (a re-import attaches both kinds again). Nothing reads
// them (attempts are read through their episode), but they take space and hold text the user never saw saved:
// doctor reports them and, confirmed, removes them.
import type { Connection, Table } from '@lancedb/lancedb';
import { sqlString } from '../rows';
import { TABLES } from '../schema';

export interface OrphanReport {
  /** How many attempt rows have no stored episode. */
  attempts: number;
  /** The ids of their (missing) episodes. */
  episodeIds: string[];
}

async function ids(table: Table, columns: string[]): Promise<Record<string, string>[]> {
  const out: Record<string, string>[] = [];
  for await (const b of table.query().select(columns))
    for (const r of b.toArray()) out.push(Object.fromEntries(columns.map((c) => [c, String(r[c])])));
  return out;
}

async function orphanRows(db: Connection): Promise<{ id: string; episodeId: string }[]> {
  const [episodes, attempts] = [await db.openTable(TABLES.episodes), await db.openTable(TABLES.attempts)];
  try {
    const have = new Set((await ids(episodes, ['id'])).map((r) => r.id));
    return (await ids(attempts, ['id', 'episodeId']))
      .filter((r) => !have.has(r.episodeId))
      .map((r) => ({ id: r.id, episodeId: r.episodeId }));
  } finally {
    episodes.close();
    attempts.close();
  }
}

/** The orphan attempts of a store whose episodes and attempts tables read. */
export async function findOrphans(db: Connection): Promise<OrphanReport> {
  const rows = await orphanRows(db);
  return { attempts: rows.length, episodeIds: [...new Set(rows.map((r) => r.episodeId))].sort() };
}

/**
 * Deletes the orphan attempts of `confirmed` episode ids (the ones the person was shown), found
 * again now: a save that finished meanwhile keeps its rows, and attempts a save in progress wrote
 * after the check are not in `confirmed`.
 */
export async function removeOrphans(db: Connection, confirmed: ReadonlySet<string>): Promise<number> {
  const rows = (await orphanRows(db)).filter((r) => confirmed.has(r.episodeId));
  if (!rows.length) return 0;
  const table = await db.openTable(TABLES.attempts);
  try {
    for (let i = 0; i < rows.length; i += 200)
      await table.delete(
        `id IN (${rows
          .slice(i, i + 200)
          .map((r) => sqlString(r.id))
          .join(', ')})`,
      );
    await table.optimize();
  } finally {
    table.close();
  }
  return rows.length;
}
