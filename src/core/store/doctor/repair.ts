// Repairs what `checkStore` found, without deleting data: lost or damaged indexes are rebuilt; a
// table whose latest version cannot be read goes back to its newest version that reads in full
// (Lance keeps older versions for a while: checkout + restore adds a new version, deleting
// nothing); a damaged newest manifest is moved aside (kept in `.dejafix-doctor/`) so the one before
// it is used; a missing table is created again, empty. What could not be saved is said.
import { mkdir, readdir, rename } from 'node:fs/promises';
import { join } from 'node:path';
import type { Connection, Table } from '@lancedb/lancedb';
import { migrate, type MigrationContext } from '../migrations';
import { SCHEMA_VERSION } from '../schema';
import { checkTable, scanAll, type TableReport } from './check';

export interface RepairResult {
  table: string;
  /** What was done, or why nothing could be. */
  action: string;
  saved: boolean;
}

/** Versions newest first, then goes back to the first one that scans in full and restores it. */
async function restoreReadableVersion(table: Table): Promise<{ version: number; rows: number } | undefined> {
  const versions = (await table.listVersions()).map((v) => v.version).sort((a, b) => b - a);
  for (const v of versions.slice(1)) {
    try {
      await table.checkout(v);
      const rows = await scanAll(table);
      await table.restore();
      return { version: v, rows };
    } catch {
      // this version is damaged too; try an older one
    }
  }
  await table.checkoutLatest().catch(() => undefined);
  return undefined;
}

/** Moves the newest manifest of a table into the store's `.dejafix-doctor/` folder; false when none is left. */
async function setNewestManifestAside(dir: string, name: string): Promise<boolean> {
  const versions = join(dir, `${name}.lance`, '_versions');
  const manifests = (await readdir(versions).catch(() => [] as string[])).filter((f) => f.endsWith('.manifest'));
  if (manifests.length < 2) return false;
  // Lance names manifests u64::MAX − version: the newest sorts first.
  const newest = manifests.sort((a, b) => (BigInt(a.replace('.manifest', '')) < BigInt(b.replace('.manifest', '')) ? -1 : 1))[0];
  const aside = join(dir, '.dejafix-doctor', name);
  await mkdir(aside, { recursive: true });
  await rename(join(versions, newest), join(aside, newest));
  await rename(join(versions, 'latest_version_hint.json'), join(aside, `${newest}.hint.json`)).catch(() => undefined);
  return true;
}

async function repairUnreadable(ctx: MigrationContext, dir: string, r: TableReport): Promise<RepairResult> {
  for (let i = 0; i < 20; i++) {
    let table: Table | undefined;
    try {
      table = await ctx.db.openTable(r.table);
    } catch {
      if (await setNewestManifestAside(dir, r.table)) continue;
      return { table: r.table, action: `cannot be saved: no readable version is left (${r.problem})`, saved: false };
    }
    try {
      const back = await restoreReadableVersion(table);
      if (back)
        return {
          table: r.table,
          action: `restored version ${back.version} (${back.rows} rows); changes made after it are lost`,
          saved: true,
        };
    } finally {
      table.close();
    }
    if (!(await setNewestManifestAside(dir, r.table))) break;
    const again = await checkTable(ctx.db, r.table);
    if (again.state === 'ok' || again.state === 'index-damaged')
      return {
        table: r.table,
        action: `set a damaged version aside (kept in .dejafix-doctor/); the version before it reads in full (${again.rows} rows)`,
        saved: true,
      };
  }
  return {
    table: r.table,
    action: `cannot be saved: no older version reads in full (${r.problem}); its files are left as they are`,
    saved: false,
  };
}

async function dropIndexes(db: Connection, name: string): Promise<void> {
  const table = await db.openTable(name);
  try {
    for (const i of await table.listIndices()) await table.dropIndex(i.name);
  } finally {
    table.close();
  }
}

/** Repairs every table that is not ok, then rebuilds missing tables and indexes (idempotent migrations). */
export async function repairStore(ctx: MigrationContext, dir: string, reports: TableReport[]): Promise<RepairResult[]> {
  const out: RepairResult[] = [];
  for (const r of reports) {
    if (r.state === 'unreadable') out.push(await repairUnreadable(ctx, dir, r));
    else if (r.state === 'index-damaged') {
      await dropIndexes(ctx.db, r.table);
      out.push({ table: r.table, action: 'rebuilt its indexes', saved: true });
    } else if (r.state === 'missing')
      out.push({ table: r.table, action: 'created again, empty: its rows could not be saved', saved: false });
  }
  // Every migration step checks the state it brings about, so running them all again creates
  // what is missing (tables, primary keys, indexes) and leaves the rest alone.
  await migrate(ctx, 0, SCHEMA_VERSION);
  for (const r of out) {
    if (!r.saved) continue;
    const after = await checkTable(ctx.db, r.table);
    if (after.state !== 'ok') Object.assign(r, { saved: false, action: `${r.action}, but it still fails: ${after.problem}` });
  }
  return out;
}
