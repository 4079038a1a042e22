// Opening a connected store's tables: refuses a store of a newer schema, upgrades an older one when it can be written
// (migrations.ts; the code reads only the current schema), never creates a store on a read, and opens each table of
// the schema version the store is at. The schema version lives in the meta table and only ever moves forward.
import type { Connection, Table } from '@lancedb/lancedb';
import type { Schema } from 'apache-arrow';
import type { Logger } from '../util/logger';
import { StoreError, isPermissionError } from './errors';
import type { ArrowModule, LanceModule } from './lance';
import { migrate, tryOpenTable } from './migrations';
import { withCommitRetry } from './retry';
import { SCHEMA_VERSION, TABLES, TABLE_SINCE } from './schema';

const VERSION_KEY = 'schemaVersion';

export interface OpenedTables {
  version: number;
  tables: Map<string, Table>;
  schemas: Map<string, Schema>;
}

export async function openTables(
  ctx: { db: Connection; lance: LanceModule; arrow: ArrowModule; log: Logger },
  dir: string,
  mode: 'read' | 'write',
  targetVersion: number | undefined,
  beforeWrite: () => Promise<void>,
): Promise<OpenedTables> {
  const { db } = ctx;
  let version = await readSchemaVersion(db);
  if (version > SCHEMA_VERSION) {
    throw new StoreError(
      'newer-schema',
      `The store at ${dir} was written by a newer Dejafix (schema ${version}; this version reads up to ${SCHEMA_VERSION}). Update Dejafix or use another store.`,
    );
  }
  const target = targetVersion ?? SCHEMA_VERSION;
  // A read of an older store upgrades it first (when it can be written): the code reads only the
  // current schema. A missing store is never created by a read.
  if (version < target && (mode === 'write' || version > 0)) {
    await beforeWrite();
    try {
      await migrate(ctx, version, target, (v) => writeSchemaVersion(db, v));
    } catch (e) {
      if (isPermissionError(e))
        throw new StoreError('read-only', `The store at ${dir} is read-only, so it cannot be upgraded: ${String(e)}`, { cause: e });
      throw e;
    }
    version = target;
  }
  if (version === 0)
    throw new StoreError('not-a-store', `${dir} holds no Dejafix store. Import something first (dejafix import …) or pass --store.`);
  const tables = new Map<string, Table>();
  const schemas = new Map<string, Schema>();
  for (const name of Object.values(TABLES)) {
    // A store kept at an older schema (tests) lacks the tables later versions added.
    if ((TABLE_SINCE[name] ?? 1) > version) continue;
    const table = await db.openTable(name);
    tables.set(name, table);
    schemas.set(name, await table.schema());
  }
  return { version, tables, schemas };
}

async function readSchemaVersion(db: Connection): Promise<number> {
  const meta = await tryOpenTable(db, TABLES.meta);
  if (!meta) return 0;
  const rows = await meta.query().where(`id = '${VERSION_KEY}'`).toArray();
  meta.close();
  return rows.length ? Number(rows[0].value) : 0;
}

async function writeSchemaVersion(db: Connection, version: number): Promise<void> {
  const meta = await db.openTable(TABLES.meta);
  // Only ever moves forward, even when two processes migrate at once.
  await withCommitRetry(() =>
    meta
      .mergeInsert('id')
      .whenMatchedUpdateAll({ where: `CAST(target.value AS INT) < ${version}` })
      .whenNotMatchedInsertAll()
      .execute([{ id: VERSION_KEY, value: String(version) }]),
  );
  meta.close();
}
