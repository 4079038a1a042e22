// Storage for feedback, credits and the recall log (the rules live in src/core/feedback). Two tables
// created on first write, so a store nobody gave feedback to has neither and recall reads nothing:
//   feedback   — one row per fact, keyed so that repeating it changes nothing:
//                events  `ev␟<session or q:hash>␟<subject>␟<kind>` (not-relevant, helpful, opened, …),
//                credits `cr␟<session>␟<subject>` (helped / harmed / used, one per session and memory),
//                a marker `done␟<session>` once a session was credited.
//                `by` is '' for this store's own rows and the member's name for a teammate's.
//   recall_log — one row per recall a front door showed: session, query hash, shown ids, source.
// No text of an issue is stored here: queries only as a hash.
import { createHash } from 'node:crypto';
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

/** The credit kinds (helped / harmed / used): what a session's end, or a verdict without a session, leaves. */
export const CREDIT_KINDS: ReadonlySet<string> = new Set(['helped', 'harmed', 'used']);

/**
 * A teammate's credit as team sync keeps it (core/team/feedbackSync.ts): `m␟<member>␟<16 hex>`, the
 * member's own local row id (which names a session or a query hash) only as a hash.
 */
export function teamRowId(member: string, localId: string): string {
  return ['m', member, createHash('sha256').update(localId).digest('hex').slice(0, 16)].join(SEP);
}

/** Whether `id` has the shape of a teammate's credit row (of `member`, when given). */
export function isTeamRowId(id: string, member?: string): boolean {
  const [m, who, key, ...rest] = id.split(SEP);
  return m === 'm' && !!who && (member === undefined || who === member) && /^[0-9a-f]{16}$/.test(key ?? '') && !rest.length;
}

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

/**
 * Fragments a table may gather before a write compacts it. Every recall reads the feedback table
 * (the "not relevant" lookup and the utility prior) and verdicts are rare, so it is kept in one
 * fragment: at 1k episodes with 200 verdicts recall took 15–21 ms with up to 8 fragments and
 * 14 ms with one, against 12 ms with no feedback (bench:latency). The recall log is written on
 * every recall and read only when a session is credited, so it may gather more.
 */
const MAX_FRAGMENTS = { [FEEDBACK_TABLE]: 1, [RECALL_LOG_TABLE]: 8 } as const;

async function upsert(t: Table, rows: Record<string, unknown>[], maxFragments: number): Promise<void> {
  if (!rows.length) return;
  const lance = await loadLance();
  const data = lance.makeArrowTable(rows, { schema: await t.schema() });
  await withCommitRetry(() => t.mergeInsert('id').whenMatchedUpdateAll().whenNotMatchedInsertAll().execute(data));
  // Each write is a fragment of a row or two: 200 verdicts made recall at 1k episodes 48 ms instead of 13 before
  // compaction (bench:latency). A compaction that loses to another writer's is left to the next write.
  if ((await t.stats()).fragmentStats.numFragments > maxFragments)
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
      await upsert(
        (await table(store, FEEDBACK_TABLE, FEEDBACK_COLUMNS, true))!,
        rows as unknown as Record<string, unknown>[],
        MAX_FRAGMENTS.feedback,
      );
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
    const rows = await snapshot(store);
    return new Set(rows.filter((r) => r.kind === 'not-relevant' && r.queryHash === queryHash && r.by === '').map((r) => r.subject));
  },
  /** Credit rows (helped / harmed / used) of these subjects, own and teammates'. */
  async creditsOf(store: ExperienceStore, subjects: string[]): Promise<FeedbackRow[]> {
    if (!subjects.length) return [];
    const wanted = new Set(subjects);
    return (await snapshot(store)).filter((r) => CREDIT_KINDS.has(r.kind) && wanted.has(r.subject));
  },
  /** Every row, or those `by` this member ('' = own), for export and team sync. */
  all(store: ExperienceStore, by?: string): Promise<FeedbackRow[]> {
    return query(store, by === undefined ? undefined : `by = ${sqlString(by)}`);
  },
};

/** Up to this many rows, recall's two lookups read a copy kept per store and table version. */
const SNAPSHOT_MAX_ROWS = 20_000;
const snapshots = new WeakMap<ExperienceStore, { version: number; rows: FeedbackRow[] }>();

/**
 * The whole feedback table, read again only when its version moved (another process's write
 * included: the store reads with readConsistencyInterval 0). Each recall asks it twice (hidden
 * ids, then the hits' credits); a version check costs ~0.15 ms where a query costs ~1.3 ms.
 */
async function snapshot(store: ExperienceStore): Promise<FeedbackRow[]> {
  const t = await table(store, FEEDBACK_TABLE, FEEDBACK_COLUMNS, false);
  if (!t) return [];
  const version = await t.version();
  const held = snapshots.get(store);
  if (held?.version === version) return held.rows;
  const rows = await query(store);
  if (rows.length <= SNAPSHOT_MAX_ROWS) snapshots.set(store, { version, rows });
  else snapshots.delete(store);
  return rows;
}

async function query(store: ExperienceStore, where?: string): Promise<FeedbackRow[]> {
  const t = await table(store, FEEDBACK_TABLE, FEEDBACK_COLUMNS, false);
  if (!t) return [];
  const q = t.query();
  return ((await (where ? q.where(where) : q).toArray()) as Record<string, unknown>[]).map(toFeedback);
}

/** The recall log's writes and questions. */
export const recallLogRows = {
  async write(store: ExperienceStore, row: RecallLogRow): Promise<void> {
    await upsert(
      (await table(store, RECALL_LOG_TABLE, LOG_COLUMNS, true))!,
      [row as unknown as Record<string, unknown>],
      MAX_FRAGMENTS.recall_log,
    );
  },
  /** Many rows in one commit (import). */
  async writeMany(store: ExperienceStore, rows: RecallLogRow[]): Promise<void> {
    if (rows.length)
      await upsert(
        (await table(store, RECALL_LOG_TABLE, LOG_COLUMNS, true))!,
        rows as unknown as Record<string, unknown>[],
        MAX_FRAGMENTS.recall_log,
      );
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
