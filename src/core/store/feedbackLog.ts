// Storage for feedback, credits and the recall log (the rules live in src/core/feedback). Two tables
// created on first write, so a store nobody gave feedback to has neither and recall reads nothing:
//   feedback   — one row per fact, keyed so that repeating it changes nothing:
//                events  `ev␟<session or q:hash>␟<subject>␟<kind>` (not-relevant, helpful, opened, …),
//                credits `cr␟<session>␟<subject>` (helped / harmed / used, one per session and memory),
//                a marker `done␟<session>` once a session was credited.
//                `by` is '' for this store's own rows and the member's name for a teammate's.
//   recall_log — one row per recall a front door showed: session, query hash, shown ids, source.
// No text of an issue is stored here: queries only as a hash.
import type { Table } from '@lancedb/lancedb';
import { loadArrow, loadLance } from './lance';
import { isRetryableCommitError, withCommitRetry } from './retry';
import { sqlString } from './rows';
import type { ExperienceStore } from './store';
import { KEEP_VERSIONS_MS } from './storeTypes';

export const FEEDBACK_TABLE = 'feedback';
export const RECALL_LOG_TABLE = 'recall_log';
/** Separates the parts of a row id (ids never hold control characters). */
export const SEP = '\u001f';

export interface FeedbackRow {
  id: string;
  /** Episode or insight id ('' for a session marker). */
  subject: string;
  subjectKind: 'episode' | 'insight' | '';
  kind: string;
  sessionId: string;
  queryHash: string;
  at: string;
  /** '' for this store's own rows, else the teammate whose row it is. */
  by: string;
}

export interface RecallLogRow {
  id: string;
  sessionId: string;
  queryHash: string;
  /** JSON arrays of the episode and insight ids shown, best first. */
  episodes: string;
  insights: string;
  source: string;
  at: string;
}

const FEEDBACK_COLUMNS = ['id', 'subject', 'subjectKind', 'kind', 'sessionId', 'queryHash', 'at', 'by'] as const;
const LOG_COLUMNS = ['id', 'sessionId', 'queryHash', 'episodes', 'insights', 'source', 'at'] as const;

async function table(store: ExperienceStore, name: string, columns: readonly string[], create: boolean): Promise<Table | undefined> {
  if (!create) return store.extraTable(name);
  const a = await loadArrow();
  return store.extraTable(name, new a.Schema(columns.map((c, i) => new a.Field(c, new a.Utf8(), i > 0))));
}

/** Fragments a feedback or recall-log table may gather before a write compacts it. */
const MAX_FRAGMENTS = 8;

async function upsert(t: Table, rows: Record<string, unknown>[]): Promise<void> {
  if (!rows.length) return;
  const lance = await loadLance();
  const data = lance.makeArrowTable(rows, { schema: await t.schema() });
  await withCommitRetry(() => t.mergeInsert('id').whenMatchedUpdateAll().whenNotMatchedInsertAll().execute(data));
  // Each write is a fragment of a row or two, and every recall reads this table (the "not relevant" lookup and the
  // utility prior): 200 verdicts made recall at 1k episodes 48 ms instead of 13 (bench:latency). Compacted once
  // they pile up; a compaction that loses to another writer's is left to the next write.
  if ((await t.stats()).fragmentStats.numFragments > MAX_FRAGMENTS)
    await t.optimize({ cleanupOlderThan: new Date(Date.now() - KEEP_VERSIONS_MS) }).catch((e: unknown) => {
      if (!isRetryableCommitError(e)) throw e;
    });
}

const inList = (values: readonly string[]) => values.map(sqlString).join(', ');

function toFeedback(r: Record<string, unknown>): FeedbackRow {
  return {
    id: String(r.id),
    subject: String(r.subject ?? ''),
    subjectKind: String(r.subjectKind ?? '') as FeedbackRow['subjectKind'],
    kind: String(r.kind ?? ''),
    sessionId: String(r.sessionId ?? ''),
    queryHash: String(r.queryHash ?? ''),
    at: String(r.at ?? ''),
    by: String(r.by ?? ''),
  };
}

/** The feedback table's typed questions and writes. */
export const feedbackRows = {
  async write(store: ExperienceStore, rows: FeedbackRow[]): Promise<void> {
    if (rows.length)
      await upsert((await table(store, FEEDBACK_TABLE, FEEDBACK_COLUMNS, true))!, rows as unknown as Record<string, unknown>[]);
  },
  async remove(store: ExperienceStore, ids: string[]): Promise<void> {
    const t = await table(store, FEEDBACK_TABLE, FEEDBACK_COLUMNS, false);
    if (t && ids.length) await withCommitRetry(() => t.delete(`id IN (${inList(ids)})`));
  },
  async byIds(store: ExperienceStore, ids: string[]): Promise<FeedbackRow[]> {
    return ids.length ? query(store, `id IN (${inList(ids)})`) : [];
  },
  /** Every row of one session (its events, credits and marker). */
  forSession(store: ExperienceStore, sessionId: string): Promise<FeedbackRow[]> {
    return query(store, `sessionId = ${sqlString(sessionId)}`);
  },
  /** Subjects marked not relevant for exactly this query (by hash), by this store's user. */
  async hiddenFor(store: ExperienceStore, queryHash: string): Promise<Set<string>> {
    const rows = await query(store, `kind = 'not-relevant' AND queryHash = ${sqlString(queryHash)} AND by = ''`);
    return new Set(rows.map((r) => r.subject));
  },
  /** Credit rows (helped / harmed / used) of these subjects, own and teammates'. */
  creditsOf(store: ExperienceStore, subjects: string[]): Promise<FeedbackRow[]> {
    return subjects.length
      ? query(store, `kind IN ('helped', 'harmed', 'used') AND subject IN (${inList(subjects)})`)
      : Promise.resolve([]);
  },
  /** Every row, or those `by` this member ('' = own), for export and team sync. */
  all(store: ExperienceStore, by?: string): Promise<FeedbackRow[]> {
    return query(store, by === undefined ? undefined : `by = ${sqlString(by)}`);
  },
};

async function query(store: ExperienceStore, where?: string): Promise<FeedbackRow[]> {
  const t = await table(store, FEEDBACK_TABLE, FEEDBACK_COLUMNS, false);
  if (!t) return [];
  const q = t.query();
  return ((await (where ? q.where(where) : q).toArray()) as Record<string, unknown>[]).map(toFeedback);
}

/** The recall log's writes and questions. */
export const recallLogRows = {
  async write(store: ExperienceStore, row: RecallLogRow): Promise<void> {
    await upsert((await table(store, RECALL_LOG_TABLE, LOG_COLUMNS, true))!, [row as unknown as Record<string, unknown>]);
  },
  /** Many rows in one commit (import). */
  async writeMany(store: ExperienceStore, rows: RecallLogRow[]): Promise<void> {
    if (rows.length) await upsert((await table(store, RECALL_LOG_TABLE, LOG_COLUMNS, true))!, rows as unknown as Record<string, unknown>[]);
  },
  forSession(store: ExperienceStore, sessionId: string): Promise<RecallLogRow[]> {
    return logQuery(store, `sessionId = ${sqlString(sessionId)}`);
  },
  /** Every row, for export. */
  all(store: ExperienceStore): Promise<RecallLogRow[]> {
    return logQuery(store);
  },
  async count(store: ExperienceStore): Promise<number> {
    const t = await table(store, RECALL_LOG_TABLE, LOG_COLUMNS, false);
    return t ? t.countRows() : 0;
  },
};

async function logQuery(store: ExperienceStore, where?: string): Promise<RecallLogRow[]> {
  const t = await table(store, RECALL_LOG_TABLE, LOG_COLUMNS, false);
  if (!t) return [];
  const q = t.query();
  const rows = (await (where ? q.where(where) : q).toArray()) as Record<string, unknown>[];
  return rows.map((r) => ({
    id: String(r.id),
    sessionId: String(r.sessionId ?? ''),
    queryHash: String(r.queryHash ?? ''),
    episodes: String(r.episodes ?? '[]'),
    insights: String(r.insights ?? '[]'),
    source: String(r.source ?? ''),
    at: String(r.at ?? ''),
  }));
}
