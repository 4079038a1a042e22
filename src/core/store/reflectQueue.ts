// Which episodes have been reflected on, and which still wait: a reflection that failed (rate
// limit, server error, timeout, bad output, refusal) stays here, with its error and the time of
// its next try, until it succeeds. Kept in its own table of the store, so nothing is lost when
// the editor or the CLI exits.
import type { Table } from '@lancedb/lancedb';
import { loadArrow, loadLance } from './lance';
import { withCommitRetry } from './retry';
import { sqlString } from './rows';
import type { ExperienceStore } from './store';

export const REFLECT_QUEUE_TABLE = 'reflect_queue';

/** The first retry waits a minute, each further one twice as long, at most six hours. */
const FIRST_BACKOFF_MS = 60_000;
const MAX_BACKOFF_MS = 6 * 3600_000;

export interface QueueEntry {
  episodeId: string;
  /** `pending`: waits for its (next) try; `done`: reflected on, when the episode had `episodeHash`. */
  state: 'pending' | 'done';
  /** Why it was queued: `episode-ended`, `import`, `manual`. */
  reason: string;
  /** Failed tries so far. */
  attempts: number;
  lastCode?: string;
  lastError?: string;
  nextAttemptAt: string;
  episodeHash?: string;
  updatedAt: string;
}

type Row = Record<string, unknown>;

export class ReflectionQueue {
  constructor(private readonly store: ExperienceStore) {}

  private async open(create: boolean): Promise<Table | undefined> {
    if (!create) return this.store.extraTable(REFLECT_QUEUE_TABLE);
    const a = await loadArrow();
    const str = (name: string, nullable = true) => new a.Field(name, new a.Utf8(), nullable);
    const schema = new a.Schema([
      str('id', false),
      str('state'),
      str('reason'),
      new a.Field('attempts', new a.Int32(), true),
      str('lastCode'),
      str('lastError'),
      str('nextAttemptAt'),
      str('episodeHash'),
      str('updatedAt'),
    ]);
    return this.store.extraTable(REFLECT_QUEUE_TABLE, schema);
  }

  /** Adds episodes to wait for reflection (keeping the failure count of those already waiting). */
  async enqueue(episodeIds: string[], reason: string, now = new Date()): Promise<void> {
    const have = await this.get(episodeIds);
    await this.write(
      episodeIds.map((id) => {
        const old = have.get(id);
        return {
          ...old,
          episodeId: id,
          state: 'pending',
          reason,
          attempts: old?.state === 'pending' ? old.attempts : 0,
          nextAttemptAt: now.toISOString(),
          updatedAt: now.toISOString(),
        };
      }),
    );
  }

  /** Records a failed try: the entry stays pending, with the error and a later time for the next try. */
  async failed(episodeId: string, reason: string, code: string, message: string, now = new Date()): Promise<QueueEntry> {
    const old = (await this.get([episodeId])).get(episodeId);
    const attempts = (old?.state === 'pending' ? old.attempts : 0) + 1;
    const wait = Math.min(FIRST_BACKOFF_MS * 2 ** (attempts - 1), MAX_BACKOFF_MS);
    const entry: QueueEntry = {
      episodeId,
      state: 'pending',
      reason: old?.reason ?? reason,
      attempts,
      lastCode: code,
      lastError: message.slice(0, 2000),
      nextAttemptAt: new Date(now.getTime() + wait).toISOString(),
      updatedAt: now.toISOString(),
    };
    await this.write([entry]);
    return entry;
  }

  /** Marks an episode reflected on, as it was (its hash); it leaves the waiting list. */
  async done(episodeId: string, episodeHash: string, now = new Date()): Promise<void> {
    await this.write([
      { episodeId, state: 'done', reason: '', attempts: 0, nextAttemptAt: now.toISOString(), episodeHash, updatedAt: now.toISOString() },
    ]);
  }

  async remove(episodeIds: string[]): Promise<void> {
    const t = await this.open(false);
    if (!t || episodeIds.length === 0) return;
    await withCommitRetry(() => t.delete(`id IN (${episodeIds.map(sqlString).join(', ')})`));
  }

  /** Waiting entries, oldest next try first; only those due by `dueBy` when given. */
  async pending(dueBy?: Date): Promise<QueueEntry[]> {
    const where = `state = 'pending'${dueBy ? ` AND nextAttemptAt <= ${sqlString(dueBy.toISOString())}` : ''}`;
    return (await this.query(where)).sort(
      (a, b) => a.nextAttemptAt.localeCompare(b.nextAttemptAt) || a.episodeId.localeCompare(b.episodeId),
    );
  }

  /** episode id → hash of the episode as it was when reflected on. */
  async reflected(): Promise<Map<string, string>> {
    return new Map((await this.query(`state = 'done'`)).map((e) => [e.episodeId, e.episodeHash ?? '']));
  }

  async get(episodeIds: string[]): Promise<Map<string, QueueEntry>> {
    if (episodeIds.length === 0) return new Map();
    const list = await this.query(`id IN (${episodeIds.map(sqlString).join(', ')})`);
    return new Map(list.map((e) => [e.episodeId, e]));
  }

  private async query(where: string): Promise<QueueEntry[]> {
    const t = await this.open(false);
    if (!t) return [];
    return (await t.query().where(where).toArray()).map((r: Row) => fromRow(r));
  }

  private async write(entries: QueueEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const t = (await this.open(true))!;
    const lance = await loadLance();
    const data = lance.makeArrowTable(entries.map(toRow), { schema: await t.schema() });
    await withCommitRetry(() => t.mergeInsert('id').whenMatchedUpdateAll().whenNotMatchedInsertAll().execute(data));
  }
}

function toRow(e: QueueEntry): Row {
  return {
    id: e.episodeId,
    state: e.state,
    reason: e.reason,
    attempts: e.attempts,
    lastCode: e.lastCode ?? null,
    lastError: e.lastError ?? null,
    nextAttemptAt: e.nextAttemptAt,
    episodeHash: e.episodeHash ?? null,
    updatedAt: e.updatedAt,
  };
}

function fromRow(r: Row): QueueEntry {
  const e: QueueEntry = {
    episodeId: String(r.id),
    state: r.state === 'done' ? 'done' : 'pending',
    reason: String(r.reason ?? ''),
    attempts: Number(r.attempts ?? 0),
    nextAttemptAt: String(r.nextAttemptAt ?? ''),
    updatedAt: String(r.updatedAt ?? ''),
  };
  if (r.lastCode != null) e.lastCode = String(r.lastCode);
  if (r.lastError != null) e.lastError = String(r.lastError);
  if (r.episodeHash != null) e.episodeHash = String(r.episodeHash);
  return e;
}
