// Deleting rows so that their bytes leave the disk at once (`forget`): Lance marks deleted rows in a
// deletion file and rewrites a data file only when a large share of it is deleted, so a forgotten
// record would stay readable in the file. Here every other row of the data files that held the
// deleted ones is rewritten (a no-op update), which leaves those files wholly unused; the caller's
// compaction and cleanup then remove them.
import type { Table } from '@lancedb/lancedb';
import { withCommitRetry } from './retry';

/** Deletes the rows matching `where` and rewrites the rest of their data files; returns how many went. */
export async function purgeRows(table: Table, where: string): Promise<number> {
  const rows = await table.query().where(where).withRowId().select(['id']).toArray();
  if (rows.length === 0) return 0;
  // A row id (without stable row ids) is the row's address: fragment number << 32 | offset.
  const fragments = [...new Set(rows.map((r) => BigInt(r._rowid) >> 32n))];
  await withCommitRetry(() => table.delete(where));
  for (const f of fragments) {
    const lo = f << 32n;
    const hi = (f + 1n) << 32n;
    await withCommitRetry(() => table.update({ where: `_rowid >= ${lo} AND _rowid < ${hi}`, valuesSql: { id: 'id' } }));
  }
  return rows.length;
}
