// Repair sessions that agents opened without an editor (over MCP), kept in the store until an
// outcome ends them. Table `open_sessions`: one `session` row per session (its issue, repository,
// base commit, who opened it) and one `attempt` row per recorded attempt, so two processes adding
// attempts to one session never overwrite each other. An open session is not an episode: recall,
// export and stats never see it. Ending it writes the episode and deletes its rows.
import type { Table } from '@lancedb/lancedb';
import { MAX_ATTEMPTS, type SessionState } from '../capture/session';
import type { Attempt } from '../model/attempt';
import { loadArrow, loadLance } from './lance';
import { withCommitRetry } from './retry';
import { sqlString } from './rows';
import type { ExperienceStore } from './store';

export const OPEN_SESSIONS_TABLE = 'open_sessions';

/** A session's header row, without its attempts. */
export type SessionHeader = Omit<SessionState, 'attempts'> & { agent: string; updatedAt: string };

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

  async create(header: SessionHeader): Promise<void> {
    await this.write([{ id: header.id, kind: 'session', sessionId: header.id, agent: header.agent, json: JSON.stringify(header), at: header.startedAt, updatedAt: header.updatedAt }]);
  }

  async addAttempt(sessionId: string, attempt: Attempt, now: string): Promise<void> {
    await this.write([{ id: attempt.id, kind: 'attempt', sessionId, agent: '', json: JSON.stringify(attempt), at: attempt.at, updatedAt: now }]);
    const header = await this.header(sessionId);
    if (header) await this.write([{ id: header.id, kind: 'session', sessionId, agent: header.agent, json: JSON.stringify({ ...header, updatedAt: now }), at: header.startedAt, updatedAt: now }]);
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

  /** Open sessions, most recently used first; only those `agent` opened when given. */
  async list(agent?: string): Promise<SessionHeader[]> {
    const where = `kind = 'session'${agent ? ` AND agent = ${sqlString(agent)}` : ''}`;
    return (await this.rows(where)).map((r) => JSON.parse(String(r.json)) as SessionHeader).sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
  }

  async remove(sessionId: string): Promise<void> {
    const t = await this.open(false);
    if (t) await withCommitRetry(() => t.delete(`sessionId = ${sqlString(sessionId)}`));
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
