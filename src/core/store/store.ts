import type { Connection, Table } from '@lancedb/lancedb';
import type { Schema } from 'apache-arrow';
import type { Attempt } from '../model/attempt';
import type { Episode } from '../model/episode';
import type { Insight } from '../model/insight';
import { childLogger, silentLogger, type Logger } from '../util/logger';
import { asStoreError } from './damage';
import { StoreError, isPermissionError } from './errors';
import { loadArrow, loadLance, type ArrowModule, type LanceModule } from './lance';
import { ensureTable, tryOpenTable } from './migrations';
import { openTables } from './openTables';
import { attemptToRow, episodeToRow, insightToRow, sqlString, type Row } from './rows';
import { sanitizeAll, sanitizeAttempt, sanitizeEpisode, sanitizeInsight } from './sanitize';
import { testPause } from '../util/testPause';
import { checkOnOpen, recordChecksums } from './checksums';
import { FTS_COLUMNS, TABLES } from './schema';
import { remoteError } from './remote/errors';
import { prepareTarget } from './target';
import { keepPrivate, keepPrivateSync } from './privateModes';
import { errorText } from '../util/errors';
import { isRetryableCommitError, withCommitRetry } from './retry';
import { KEEP_VERSIONS_MS, type Counts, type OpenOptions, type WriteResult } from './storeTypes';
import type { Where } from './where';
import { purgeRows } from './purge';
import { allEpisodes, readAttemptsOf, readEpisodes, readInsight, readInsights } from './reads';

export { KEEP_VERSIONS_MS, type Counts, type OpenOptions, type WriteResult };

type TableName = (typeof TABLES)[keyof typeof TABLES];

/**
 * The experience store: episodes, their attempts and insights in LanceDB tables under one folder.
 * Several processes (VS Code windows, CLI runs) may use one store at once.
 */
export class ExperienceStore {
  private constructor(
    readonly dir: string,
    private readonly db: Connection,
    readonly schemaVersion: number,
    private readonly tables: Map<string, Table>,
    private readonly schemas: Map<string, Schema>,
    private readonly lance: LanceModule,
    private readonly log: Logger,
  ) {}

  /** While > 0, tables written are optimised once at the end of `bulk`, not after each write. */
  private bulkDepth = 0;
  private readonly written = new Set<string>();
  /** Awaited before every write: on object storage, the conditional-write guard (cached per process). */
  private guardWrite: () => Promise<void> = async () => undefined;
  /** The store's folder when it is on the local file system (checksums are kept there). */
  private localDir: string | undefined;
  /** The local folder whose modes are kept private (write mode, not shared). */
  private privateDir: string | undefined;

  /** Opens (in `write` mode: creates) the store in a folder or at an `s3://`, `gs://` or `az://` URI. */
  static async open(dirOrUri: string, opts: OpenOptions = {}): Promise<ExperienceStore> {
    try {
      return await ExperienceStore.openUnchecked(dirOrUri, opts);
    } catch (e) {
      throw asStoreError(e, dirOrUri) ?? e;
    }
  }

  private static async openUnchecked(dirOrUri: string, opts: OpenOptions): Promise<ExperienceStore> {
    const log = childLogger(opts.log ?? silentLogger, 'store');
    const mode = opts.mode ?? 'write';
    const target = await prepareTarget(dirOrUri, mode, opts.remote, log, opts.shared);
    const dir = target.display;
    const [lance, arrow] = await Promise.all([loadLance(log), loadArrow()]);
    // readConsistencyInterval 0: every read sees the latest commit, including other processes' writes.
    const db = await target.connect(lance);
    try {
      // Lance keeps no checksums: Dejafix's own (checksums.ts) catch bytes changed in a data file.
      if (target.localDir) await checkOnOpen(target.localDir, dir);
      const store = await ExperienceStore.openConnected(db, dir, mode, opts, target.beforeWrite, lance, arrow, log);
      store.localDir = target.localDir;
      if (target.localDir && mode === 'write' && !opts.shared) {
        store.privateDir = target.localDir;
        await keepPrivate(target.localDir);
      }
      return store;
    } catch (e) {
      db.close();
      throw target.remote ? remoteError(target.remote, e, `opening ${dir}`) : e;
    }
  }

  private static async openConnected(
    db: Connection,
    dir: string,
    mode: 'read' | 'write',
    opts: OpenOptions,
    beforeWrite: () => Promise<void>,
    lance: LanceModule,
    arrow: ArrowModule,
    log: Logger,
  ): Promise<ExperienceStore> {
    const { version, tables, schemas } = await openTables({ db, lance, arrow, log }, dir, mode, opts.targetVersion, beforeWrite);
    const store = new ExperienceStore(dir, db, version, tables, schemas, lance, log);
    store.guardWrite = beforeWrite;
    // An import killed before its end leaves rows outside the full-text index: index them now.
    if (mode === 'write') await store.refreshStaleIndexes();
    return store;
  }

  /**
   * Runs many writes, then optimises each table they wrote once (compaction, full-text index
   * update, old versions removed), also when `work` fails part-way: what was committed gets
   * indexed. Imports use it.
   */
  async bulk<T>(work: () => Promise<T>): Promise<T> {
    this.bulkDepth++;
    try {
      return await work();
    } finally {
      if (--this.bulkDepth === 0) {
        for (const name of [...this.written]) await this.optimize(name);
        this.written.clear();
        if (this.localDir) await recordChecksums(this.localDir);
        if (this.privateDir) await keepPrivate(this.privateDir);
      }
    }
  }

  /**
   * Opens a table outside the fixed set (one per embedding model), creating it with `schema`
   * and an `id` primary key when missing; `undefined` when missing and no schema is given.
   */
  async extraTable(name: string, schema?: Schema): Promise<Table | undefined> {
    const open = this.tables.get(name) ?? (await tryOpenTable(this.db, name));
    if (schema) await this.guardWrite();
    if (open || !schema) {
      if (open) this.tables.set(name, open);
      return open;
    }
    await ensureTable(this.db, name, schema);
    return this.extraTable(name);
  }

  /** The per-model vector tables (vectors.ts) this store holds. */
  async vectorTableNames(): Promise<string[]> {
    return (await this.db.tableNames()).filter((n) => n.startsWith('vectors_'));
  }

  private readonly tableOf = (name: string): Table => this.table(name as TableName);

  table(name: TableName): Table {
    const t = this.tables.get(name);
    if (!t) throw new Error(`table ${name} is not open`);
    return t;
  }

  /**
   * Inserts or updates episodes and their attempts by id. Attempts already stored for an
   * episode but missing from the record are kept: an upsert never forgets.
   */
  async upsertEpisodes(episodes: Episode[]): Promise<WriteResult & { attempts: Counts }> {
    const { values: clean, notes } = await sanitizeAll(episodes, sanitizeEpisode);
    // Attempts first: a crash between the two writes leaves attempts that a re-run attaches,
    // never an episode that claims attempts it does not have. Such orphans are invisible (attempts
    // are only read through their episode, and counted only for stored episodes); doctor removes them.
    const attempts = await this.merge(
      TABLES.attempts,
      clean.flatMap((e) => e.attempts.map(attemptToRow)),
    );
    await testPause('attempts');
    const now = new Date().toISOString();
    const r = await this.merge(
      TABLES.episodes,
      clean.map((e) => episodeToRow(e, now)),
    );
    await testPause('episodes');
    return { ...r, notes, attempts };
  }

  async upsertAttempts(attempts: Attempt[]): Promise<WriteResult> {
    const { values, notes } = await sanitizeAll(attempts, (a) => sanitizeAttempt(a));
    return { ...(await this.merge(TABLES.attempts, values.map(attemptToRow))), notes };
  }

  async upsertInsights(insights: Insight[]): Promise<WriteResult> {
    const { values, notes } = await sanitizeAll(insights, sanitizeInsight);
    return { ...(await this.merge(TABLES.insights, values.map(insightToRow))), notes };
  }

  /** Adds `delta` to an insight's importance in one atomic update (no read-modify-write). */
  async addImportance(insightId: string, delta: number): Promise<boolean> {
    if (!Number.isInteger(delta)) throw new Error('importance delta must be an integer');
    await this.guardWrite();
    const r = await withCommitRetry(() =>
      this.table(TABLES.insights).update({
        where: `id = ${sqlString(insightId)}`,
        valuesSql: { importance: `importance + ${delta}`, updatedAt: sqlString(new Date().toISOString()) },
      }),
    );
    if (r.rowsUpdated > 0) await this.afterWrite(TABLES.insights);
    return r.rowsUpdated > 0;
  }

  async getEpisode(id: string): Promise<Episode | undefined> {
    return (await this.getEpisodes([id])).get(id);
  }

  /** Several episodes with their attempts, in two queries (recall's hits, a prompt's demonstrations). */
  getEpisodes(ids: string[]): Promise<Map<string, Episode>> {
    return readEpisodes(this.tableOf, ids);
  }

  getInsight(id: string): Promise<Insight | undefined> {
    return readInsight(this.tableOf, id);
  }

  /** All episodes with their attempts, a batch at a time (for export). */
  episodes(batchSize = 500, where?: Where): AsyncGenerator<Episode[]> {
    return allEpisodes(this.tableOf, batchSize, where);
  }

  insights(where?: Where): Promise<Insight[]> {
    return readInsights(this.tableOf, where);
  }

  /** Attempts of the given episodes, oldest first. */
  attemptsOf(episodeIds: string[]): Promise<Map<string, Attempt[]>> {
    return readAttemptsOf(this.tableOf, episodeIds);
  }

  /** Deletes episodes (with their attempts) and insights by id; returns how many of each went. */
  async forget(ids: string[]): Promise<{ episodes: number; insights: number }> {
    if (ids.length === 0) return { episodes: 0, insights: 0 };
    await this.guardWrite();
    const list = ids.map(sqlString).join(', ');
    const episodes = await this.table(TABLES.episodes).countRows(`id IN (${list})`);
    const insights = await this.table(TABLES.insights).countRows(`id IN (${list})`);
    // Forgotten means gone from the disk now: purge, compact, and drop every older version at once.
    const touched: [TableName, string][] = [
      [TABLES.episodes, `id IN (${list})`],
      [TABLES.attempts, `episodeId IN (${list})`],
      [TABLES.insights, `id IN (${list})`],
    ];
    for (const [name, where] of touched) await this.purge(name, where);
    // Their vectors too (one table per embedding model): a forgotten text leaves no embedding behind.
    for (const name of await this.vectorTableNames()) if (await this.extraTable(name)) await this.purge(name, `id IN (${list})`);
    return { episodes, insights };
  }

  /** Deletes rows of an open table so that their bytes leave the disk now: purge, compact, drop older versions. */
  async purge(name: string, where: string): Promise<number> {
    await this.guardWrite();
    const n = await purgeRows(this.table(name as TableName), where);
    if (n > 0) await this.optimize(name, 0);
    return n;
  }

  /**
   * Rows written since the last index update are not reliably found by full-text search, so
   * every write to an indexed table is followed by an index update (~40 ms), or, inside `bulk`,
   * one update at its end.
   */
  private async afterWrite(name: string): Promise<void> {
    if (this.bulkDepth > 0) this.written.add(name);
    else if (name in FTS_COLUMNS) await this.optimize(name);
  }

  /**
   * Compacts a table's files, brings its indexes up to date and removes old versions. Never
   * `deleteUnverified`: another window may be mid-commit, and its files must survive.
   */
  private async optimize(name: string, keepVersionsForMs = KEEP_VERSIONS_MS): Promise<void> {
    await this.guardWrite();
    const cleanupOlderThan = new Date(Date.now() - keepVersionsForMs);
    try {
      await withCommitRetry(() => this.table(name as TableName).optimize({ cleanupOlderThan }));
    } catch (e) {
      // Upkeep after a committed write that keeps losing to other writers' upkeep (several machines on one team store):
      // the write stands, and the next optimise or open (refreshStaleIndexes) indexes what this one did not. A purge
      // (no versions kept) must not pass silently: its bytes have to leave now.
      if (keepVersionsForMs === 0 || !isRetryableCommitError(e)) throw e;
      this.log.warn(`upkeep of ${name} gave way to other writers (${errorText(e).split('\n')[0]}); the next write or open does it`);
    }
  }

  private async refreshStaleIndexes(): Promise<void> {
    for (const [name, columns] of Object.entries(FTS_COLUMNS)) {
      for (const column of columns) {
        const stats = await this.table(name as TableName).indexStats(`${column}_idx`);
        if (stats && stats.numUnindexedRows > 0) {
          this.log.info(`indexing ${stats.numUnindexedRows} rows of ${name} left unindexed`);
          await this.optimize(name);
        }
      }
    }
  }

  async count(table: TableName, where?: Where): Promise<number> {
    return this.table(table).countRows(where);
  }

  /** Optimises every table (see `optimize`): the editor's "rebuild indexes" and scheduled upkeep. */
  async maintain(keepVersionsForMs = KEEP_VERSIONS_MS): Promise<void> {
    for (const name of this.tables.keys()) if (name in TABLES) await this.optimize(name, keepVersionsForMs);
    this.log.debug(`optimised ${this.dir}`);
  }

  close(): void {
    for (const t of this.tables.values()) t.close();
    this.db.close();
    if (this.privateDir) keepPrivateSync(this.privateDir);
  }

  private async merge(name: string, rows: Row[]): Promise<Counts> {
    if (rows.length === 0) return { inserted: 0, updated: 0 };
    await this.guardWrite();
    const table = this.table(name as TableName);
    // Converting to Arrow here, with the table's own schema, is several times faster than
    // handing LanceDB plain objects, and it gets slower with every batch when left to LanceDB.
    const data = this.lance.makeArrowTable(rows, { schema: this.schemas.get(name) });
    try {
      const r = await withCommitRetry(() => table.mergeInsert('id').whenMatchedUpdateAll().whenNotMatchedInsertAll().execute(data));
      await this.afterWrite(name);
      return { inserted: Number(r.numInsertedRows), updated: Number(r.numUpdatedRows) };
    } catch (e) {
      if (isPermissionError(e))
        throw new StoreError(
          'read-only',
          `Cannot write to the store at ${this.dir}: permission denied. Nothing was written in this batch.`,
          { cause: e },
        );
      throw e;
    }
  }
}
