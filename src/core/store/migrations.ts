import type { Connection, Index, Table } from '@lancedb/lancedb';
import type { Schema } from 'apache-arrow';
import type { Logger } from '../util/logger';
import type { ArrowModule, LanceModule } from './lance';
import { SCHEMA_VERSION, TABLES, TABLE_SINCE, arrowField, columnOf, columnsAddedIn, tableSchema } from './schema';
import { errorText } from '../util/errors';

export interface MigrationContext {
  db: Connection;
  lance: LanceModule;
  arrow: ArrowModule;
  log: Logger;
}

interface Migration {
  to: number;
  describe: string;
  up(ctx: MigrationContext): Promise<void>;
}

/**
 * Every step is idempotent, because two windows may open an old store at the same moment:
 * each brings the schema to a state it checks for (see `converge`).
 */
const MIGRATIONS: Migration[] = [
  {
    to: 1,
    describe: 'create the meta, episodes, attempts and insights tables',
    async up(ctx) {
      for (const name of Object.values(TABLES).filter((t) => !TABLE_SINCE[t])) {
        const table = await createTableOnce(ctx, name, 1);
        await ensurePrimaryKey(table);
        const fts = ({ episodes: 'issueText', insights: 'text' } as Record<string, string | undefined>)[name];
        if (fts) await ensureFtsIndex(ctx, table, fts);
      }
    },
  },
  {
    to: 2,
    describe: 'episodes: add reproTest, sourceId and endedAt',
    async up(ctx) {
      await ensureColumns(ctx, 'episodes', columnsAddedIn('episodes', 2));
    },
  },
  {
    to: 3,
    describe: 'episodes: add the code field (files and symbols as text) with its full-text index',
    async up(ctx) {
      // Old rows get their files and symbols joined; new writes also add identifier parts (rows.ts).
      await ensureColumns(ctx, 'episodes', columnsAddedIn('episodes', 3), {
        code: "concat_ws(' ', array_to_string(files, ' '), array_to_string(symbols, ' '))",
      });
      await ensureFtsIndex(ctx, await ctx.db.openTable('episodes'), 'code');
    },
  },
  {
    to: 4,
    describe: 'insights: add stale, helpful and unhelpful',
    async up(ctx) {
      await ensureColumns(ctx, 'insights', columnsAddedIn('insights', 4));
    },
  },
  {
    to: 5,
    describe: 'attempts: btree index on episodeId',
    async up(ctx) {
      // Reading a repair's attempts (recall's "what did not work", the panel's cards) is a lookup
      // by episode. Label-list and bitmap indexes on episodes.files / repo were tried for recall's
      // filters and made it slower at 10k episodes (p50 20.4 against 17.7 ms): left out.
      await ensureScalarIndex(await ctx.db.openTable('attempts'), 'episodeId', ctx.lance.Index.btree());
    },
  },
  {
    to: 6,
    describe: 'episodes and insights: add provenance (origin, sharedBy, sharedAt, sharedFrom); the tombstones table',
    async up(ctx) {
      // Old rows are the user's own: origin null reads as "you" (or "import" by source).
      await ensureColumns(ctx, 'episodes', columnsAddedIn('episodes', 6));
      await ensureColumns(ctx, 'insights', columnsAddedIn('insights', 6));
      await createTableOnce(ctx, TABLES.tombstones, 6).then(ensurePrimaryKey);
    },
  },
];

if (MIGRATIONS[MIGRATIONS.length - 1].to !== SCHEMA_VERSION) {
  throw new Error('migrations.ts and SCHEMA_VERSION disagree');
}

/** Runs the migrations from `from` up to `to` (default: the current version), in order. */
export async function migrate(
  ctx: MigrationContext,
  from: number,
  to = SCHEMA_VERSION,
  onStep: (version: number) => Promise<void> = async () => {},
): Promise<void> {
  for (const m of MIGRATIONS) {
    if (m.to <= from || m.to > to) continue;
    ctx.log.info(`migrating to schema ${m.to}: ${m.describe}`);
    await m.up(ctx);
    await onStep(m.to);
  }
}

async function createTableOnce(ctx: MigrationContext, name: string, version: number): Promise<Table> {
  return ensureTable(ctx.db, name, tableSchema(ctx.arrow, name as keyof typeof TABLES, version), false);
}

/** Creates a table (with an `id` primary key unless told not to), tolerating another process doing the same. */
export async function ensureTable(db: Connection, name: string, schema: Schema, primaryKey = true): Promise<Table> {
  await converge(
    async () => (await tryOpenTable(db, name)) !== undefined,
    () => db.createEmptyTable(name, schema),
  );
  const table = await db.openTable(name);
  if (primaryKey) await ensurePrimaryKey(table);
  return table;
}

/**
 * Opens a table, or gives undefined when it does not exist yet. A table another process is
 * creating at this moment is listed before it can be opened; that counts as not existing yet.
 */
export async function tryOpenTable(db: Connection, name: string): Promise<Table | undefined> {
  if (!(await db.tableNames()).includes(name)) return undefined;
  try {
    return await db.openTable(name);
  } catch (e) {
    if (/not found/i.test(errorText(e))) return undefined;
    throw e;
  }
}

async function ensurePrimaryKey(table: Table): Promise<void> {
  // Without it, concurrent mergeInsert of one new id from two processes inserts it twice (lancedb#3377).
  await converge(
    async () => (await table.schema()).fields.find((f) => f.name === 'id')?.metadata.has(PK_METADATA) ?? false,
    () => table.setUnenforcedPrimaryKey('id'),
  );
}

const PK_METADATA = 'lance-schema:unenforced-primary-key:position';

async function ensureFtsIndex(ctx: MigrationContext, table: Table, column: string): Promise<void> {
  const config = ctx.lance.Index.fts({
    withPosition: false,
    baseTokenizer: 'simple',
    lowercase: true,
    stem: true,
    removeStopWords: true,
    asciiFolding: true,
  });
  await converge(
    async () => (await table.listIndices()).some((i) => i.indexType === 'FTS' && i.columns.includes(column)),
    () => table.createIndex(column, { config, replace: false }),
  );
}

async function ensureScalarIndex(table: Table, column: string, config: Index): Promise<void> {
  await converge(
    async () => (await table.listIndices()).some((i) => i.columns.includes(column)),
    () => table.createIndex(column, { config, replace: false }),
  );
}

/** Adds the missing columns: filled by an SQL expression where `backfill` has one, else null. */
async function ensureColumns(
  ctx: MigrationContext,
  name: keyof typeof TABLES,
  columns: string[],
  backfill: Record<string, string> = {},
): Promise<void> {
  const table = await ctx.db.openTable(name);
  const missing = async () => {
    const have = new Set((await table.schema()).fields.map((f) => f.name));
    return columns.filter((c) => !have.has(c));
  };
  await converge(
    async () => (await missing()).length === 0,
    async () => {
      const todo = await missing();
      const computed = todo.filter((c) => backfill[c]);
      const empty = todo.filter((c) => !backfill[c]);
      if (computed.length) await table.addColumns(computed.map((c) => ({ name: c, valueSql: backfill[c] })));
      if (empty.length) await table.addColumns(empty.map((c) => arrowField(ctx.arrow, columnOf(name, c))));
    },
  );
}

/**
 * Brings one piece of the schema to the state `done` checks for. Another process may be doing the
 * same at the same moment, so a failed step is judged by the state it leaves, not by its error
 * message: when the state is reached (by us or by them), all is well.
 */
async function converge(done: () => Promise<boolean>, step: () => Promise<unknown>, tries = 6): Promise<void> {
  let last: unknown;
  for (let i = 0; i < tries; i++) {
    if (await done()) return;
    try {
      await step();
    } catch (e) {
      last = e;
      await new Promise((r) => setTimeout(r, 20 * 2 ** i * (0.5 + Math.random())));
    }
  }
  if (await done()) return;
  throw last ?? new Error('schema step did not take effect');
}
