// Checks every table of a store without the rest of Dejafix: opens it, counts its rows, reads every
// row of every column (a full scan, compared with the count), and uses each index once. What it
// finds is a list of problems a user can read; repair.ts fixes what can be fixed.
import type { Connection, Table } from '@lancedb/lancedb';
import { mismatchText, type Mismatch } from '../checksums';
import { damageOf } from '../damage';
import { isPermissionError } from '../errors';
import { FTS_COLUMNS, TABLES } from '../schema';

/** `changed`: a data file's bytes no longer match the checksum Dejafix recorded when it was written. */
export type TableState = 'ok' | 'missing' | 'unreadable' | 'index-damaged' | 'changed';

export interface TableReport {
  table: string;
  state: TableState;
  rows?: number;
  /** What is wrong, in words; empty when ok. */
  problem?: string;
}

function why(e: unknown): string {
  if (isPermissionError(e)) return 'permission denied';
  return (
    damageOf(e)?.what ??
    (e instanceof Error
      ? e.message
          .split('\n')[0]
          .replace(/, \/\S+\.rs:\d+:\d+/g, '')
          .slice(0, 160)
      : String(e))
  );
}

/** Reads every row of every column; returns how many rows the scan saw. */
export async function scanAll(table: Table): Promise<number> {
  let n = 0;
  for await (const batch of table.query()) n += batch.numRows;
  return n;
}

/** Uses each index the table should have once (full-text on its text columns, scalar on the rest). */
async function probeIndexes(name: string, table: Table): Promise<void> {
  const fts = (FTS_COLUMNS as Record<string, readonly string[]>)[name] ?? [];
  for (const column of fts) await table.search('dejafix', 'fts', column).limit(1).toArray();
  for (const i of await table.listIndices()) {
    if (i.indexType === 'FTS') continue;
    await table.query().where(`${i.columns[0]} = 'dejafix-doctor-probe'`).limit(1).toArray();
  }
}

/** Checks one table; never throws. */
export async function checkTable(db: Connection, name: string): Promise<TableReport> {
  if (!(await db.tableNames()).includes(name)) return { table: name, state: 'missing', problem: 'the table folder is missing' };
  let table: Table;
  try {
    table = await db.openTable(name);
  } catch (e) {
    return { table: name, state: /was not found/i.test(String(e)) ? 'missing' : 'unreadable', problem: why(e) };
  }
  try {
    const rows = await table.countRows();
    const scanned = await scanAll(table);
    if (scanned !== rows)
      return { table: name, state: 'unreadable', rows, problem: `the scan read ${scanned} rows, the manifest says ${rows}` };
    try {
      await probeIndexes(name, table);
    } catch (e) {
      return { table: name, state: 'index-damaged', rows, problem: why(e) };
    }
    return { table: name, state: 'ok', rows };
  } catch (e) {
    return { table: name, state: 'unreadable', problem: why(e) };
  } finally {
    table.close();
  }
}

/** The fixed tables of a store, checked in order. */
export async function checkStore(db: Connection): Promise<TableReport[]> {
  const out: TableReport[] = [];
  for (const name of Object.values(TABLES)) out.push(await checkTable(db, name));
  return out;
}

/**
 * Marks the tables whose recorded files changed (checksums.ts): a changed index file makes the
 * table `index-damaged` (a rebuild replaces it), a changed data or deletion file `changed`.
 */
export function markChanged(reports: TableReport[], changed: Mismatch[]): TableReport[] {
  return reports.map((r) => {
    const mine = changed.filter((m) => m.table === r.table);
    if (!mine.length || (r.state !== 'ok' && r.state !== 'index-damaged')) return r;
    const data = mine.filter((m) => !m.file.startsWith('_indices/'));
    const shown = data[0] ?? mine[0];
    const more = (data.length || mine.length) - 1;
    const problem = `${mismatchText(shown)}${more > 0 ? ` (and ${more} more file${more === 1 ? '' : 's'})` : ''}`;
    return { ...r, state: data.length ? 'changed' : 'index-damaged', problem };
  });
}
