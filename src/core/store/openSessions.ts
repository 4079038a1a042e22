// Repair sessions that agents opened without an editor (over MCP), kept in the store until an
// outcome ends them. Table `open_sessions`: one `session` row per session (its issue, repository,
// base commit, who opened it) and one `attempt` row per recorded attempt, so two processes adding
// attempts to one session never overwrite each other. An open session is not an episode: recall,
// export and stats never see it. Ending it writes the episode and deletes its rows.
// Everything is sanitised (secrets redacted, remotes without credentials) before it is written, as
// at the store's boundary, and removing a session purges its rows, compacts the table and drops its
// older versions at once, so no text of it stays on disk. Each session records its `owner` (the MCP
// connection that opened it); `visibleTo` limits reads to one owner's sessions.
import type { Table } from '@lancedb/lancedb';
import { MAX_ATTEMPTS, type SessionState } from '../capture/session';
import type { Attempt } from '../model/attempt';
import { loadArrow, loadLance } from './lance';
import { withCommitRetry } from './retry';
import { sqlString } from './rows';
import { sanitizeAttempt, sanitizeSessionHeader } from './sanitize';
import type { ExperienceStore } from './store';

export const OPEN_SESSIONS_TABLE = 'open_sessions';

/**
 * A session's header row, without its attempts. `agent` is who opened it (`agent:<name>`);
 * `owner` the connection that opened it (absent in sessions written before owners existed).
 */
export type SessionHeader = Omit<SessionState, 'attempts'> & { agent: string; owner?: string; updatedAt: string };

/** Which sessions a reader sees: all (undefined, or `all`), else only those `owner` opened. */
export interface SessionScope {
  owner?: string;
  all?: boolean;
}

export function isVisible(h: SessionHeader, scope: SessionScope | undefined): boolean {
  return !scope?.owner || scope.all === true || h.owner === scope.owner;
}

type Row = Record<string, unknown>;

export class OpenSessions {
  constructor(private readonly store: ExperienceStore) {}

  private async open(create: boolean): Promise<Table | undefined> {
    if (!create) return this.store.extraTable(OPEN_SESSIONS_TABLE);
    const a = await loadArrow();
    const str = (name: string, nullable = true) => new a.Field(name, new a.Utf8(), nullable);
    const schema = new a.Schema([str('id', false), str('kind'), str('sessionId'), str('agent'), str('json'), str('at'), str('updatedAt')]);
    return this.store.extraTable(OPEN_SESSIONS_TABLE, schema);
  }

  /** Writes the header, sanitised; returns the header as stored. */
  async create(header: SessionHeader): Promise<SessionHeader> {
    const { value } = await sanitizeSessionHeader(header);
    await this.write([headerRow(value)]);
    return value;
  }

  /** Writes the attempt, sanitised; returns it as stored. */
  async addAttempt(sessionId: string, attempt: Attempt, now: string): Promise<Attempt> {
    const { value } = await sanitizeAttempt(attempt);
    await this.write([{ id: value.id, kind: 'attempt', sessionId, agent: '', json: JSON.stringify(value), at: value.at, updatedAt: now }]);
    const header = await this.header(sessionId);
    if (header) await this.write([headerRow({ ...header, updatedAt: now })]);
    return value;
  }

  async header(sessionId: string): Promise<SessionHeader | undefined> {
    const rows = await this.rows(`kind = 'session' AND id = ${sqlString(sessionId)}`);
    return rows.length ? (JSON.parse(String(rows[0].json)) as SessionHeader) : undefined;
  }

  /** The whole session, attempts oldest first (at most MAX_ATTEMPTS, the latest kept). */
  async load(sessionId: string): Promise<(SessionState & { agent: string }) | undefined> {
    const header = await this.header(sessionId);
    if (!header) return undefined;
    const attempts = (await this.rows(`kind = 'attempt' AND sessionId = ${sqlString(sessionId)}`))
      .map((r) => JSON.parse(String(r.json)) as Attempt)
      .sort((a, b) => a.at.localeCompare(b.at) || a.id.localeCompare(b.id));
    const { updatedAt: _u, ...state } = header;
    return { ...state, attempts: attempts.slice(-MAX_ATTEMPTS) };
  }

  async attemptCount(sessionId: string): Promise<number> {
    const t = await this.open(false);
    return t ? t.countRows(`kind = 'attempt' AND sessionId = ${sqlString(sessionId)}`) : 0;
  }

  /** Open sessions the scope sees, most recently used first; only those `agent` opened when given. */
  async list(scope?: SessionScope, agent?: string): Promise<SessionHeader[]> {
    const where = `kind = 'session'${agent ? ` AND agent = ${sqlString(agent)}` : ''}`;
    return (await this.rows(where))
      .map((r) => JSON.parse(String(r.json)) as SessionHeader)
      .filter((h) => isVisible(h, scope))
      .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
  }

  /** Deletes the sessions' rows and removes their bytes from the disk (purge, compact, old versions dropped). */
  async remove(...sessionIds: string[]): Promise<void> {
    if (!sessionIds.length || !(await this.open(false))) return;
    // One purge (one compaction) per batch; batches keep the SQL of a long list small.
    for (let i = 0; i < sessionIds.length; i += 200) {
      const ids = sessionIds.slice(i, i + 200).map(sqlString);
      await this.store.purge(OPEN_SESSIONS_TABLE, `sessionId IN (${ids.join(', ')})`);
    }
  }

  private async rows(where: string): Promise<Row[]> {
    const t = await this.open(false);
    return t ? ((await t.query().where(where).toArray()) as Row[]) : [];
  }

  private async write(rows: Row[]): Promise<void> {
    const t = (await this.open(true))!;
    const lance = await loadLance();
    const data = lance.makeArrowTable(rows, { schema: await t.schema() });
    await withCommitRetry(() => t.mergeInsert('id').whenMatchedUpdateAll().whenNotMatchedInsertAll().execute(data));
  }
}

function headerRow(h: SessionHeader): Row {
  return { id: h.id, kind: 'session', sessionId: h.id, agent: h.agent, json: JSON.stringify(h), at: h.startedAt, updatedAt: h.updatedAt };
}
