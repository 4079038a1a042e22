// Repair sessions without an editor (the MCP server): opened by an agent's first attempt, kept in
// the store's `open_sessions` table (see openSessions.ts) and ended by its outcome, which saves
// the episode. An agent that lost its session id finds its session again by issue title, or as
// its only open one. A caller with a scope (an MCP connection) sees and ends only the sessions
// that scope owns.
import { diffAgainst, headCommit } from '../capture/gitDiff';
import { endSession, recordAttempt, startSession, type SessionState } from '../capture/session';
import type { Embedder } from '../embed/embedder';
import type { ExperienceStore } from '../store/store';
import { silentLogger, type Logger } from '../util/logger';
import { diffOfFiles, outputWithNote } from './attemptText';
import { AgentToolError } from './errors';
import { isVisible, OpenSessions, type SessionHeader, type SessionScope } from '../store/openSessions';
import { resolveRepo } from './repoOfPath';
import { sanitizeTitle } from '../store/sanitize';
import type { AttemptReport, OutcomeReport, SessionBackend } from './sessionBackend';
import type { RecordAttemptInput, RecordOutcomeInput } from './schemas';
import { errorText } from '../util/errors';

/** What an expiry did: the episodes it saved as abandoned, the empty sessions it dropped. */
export interface ExpiryReport {
  ended: string[];
  dropped: string[];
}

/** When anything was last recorded in the session (NaN when its header holds no valid time). */
function lastActivity(h: SessionHeader): number {
  return Date.parse(h.updatedAt ?? h.startedAt);
}

export interface StoreSessionsOptions {
  /** The folder the agent works in (the server's working directory): its repository and git diff. */
  folder?: string;
  /** Folders a `repo` path may name (default: `folder`): the ones the user opened or configured. */
  allowedFolders?: readonly string[];
  embedder?: () => Promise<Embedder | undefined>;
  log?: Logger;
  now?: () => Date;
}

export class StoreSessions implements SessionBackend {
  private readonly sessions: OpenSessions;
  /** One write at a time in this process: two attempts of one session must both land. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly store: ExperienceStore,
    private readonly opts: StoreSessionsOptions = {},
  ) {
    this.sessions = new OpenSessions(store);
  }

  recordAttempt(input: RecordAttemptInput, by: string, scope?: SessionScope): Promise<AttemptReport> {
    return this.serial(async () => {
      const now = this.now();
      let header = await this.find(input.session, by, scope, input.issue?.title);
      let opened = false;
      if (!header) {
        if (!input.issue) throw new AgentToolError(await this.noSessionMessage(by, scope, 'record an attempt'));
        const { repo, folder } = await resolveRepo(input.repo, this.opts.folder, this.opts.allowedFolders);
        const baseCommit = folder ? await headCommit(folder) : undefined;
        const issue = { title: input.issue.title, body: input.issue.body ?? '', ...(input.issue.url ? { url: input.issue.url } : {}) };
        const s = startSession({ repo, issue, baseCommit, folder, now, source: by });
        const { attempts: _none, ...rest } = s;
        header = await this.sessions.create({ ...rest, agent: by, ...(scope?.owner ? { owner: scope.owner } : {}), updatedAt: now });
        opened = true;
      }
      const state = await this.sessions.load(header.id);
      if (!state)
        throw new AgentToolError(
          `Session ${header.id} ended while this attempt was being recorded. Open a new one by calling dejafix_record_attempt with \`issue\`.`,
        );
      const patch = await this.patchOf(input, state);
      const r = await recordAttempt(state, {
        command: input.command,
        exitCode: input.exitCode,
        outputTail: await outputWithNote(input.output, input.note),
        patch,
        by,
        at: now,
      });
      const attempt = await this.sessions.addAttempt(header.id, r.attempt, now);
      return {
        sessionId: header.id,
        issueTitle: header.issue.title,
        opened,
        attempt,
        attempts: await this.sessions.attemptCount(header.id),
        looksFixed: r.looksFixed,
      };
    });
  }

  recordOutcome(input: RecordOutcomeInput, by: string, scope?: SessionScope): Promise<OutcomeReport> {
    return this.serial(async () => {
      const header = await this.find(input.session, by, scope);
      if (!header) throw new AgentToolError(await this.noSessionMessage(by, scope, 'record an outcome'));
      const state = await this.sessions.load(header.id);
      if (!state) throw new AgentToolError(`Session ${header.id} has already ended. Nothing to do.`);
      if (state.attempts.length === 0 && !input.finalPatch) {
        if (input.outcome === 'resolved') {
          throw new AgentToolError(
            `Session ${header.id} has no attempts and no final patch, so there is nothing to save as resolved. Record the passing test run with dejafix_record_attempt first, or pass \`finalPatch\`.`,
          );
        }
        await this.sessions.remove(header.id);
        return { sessionId: header.id, note: `Closed session ${header.id} without saving it: it had no attempts.` };
      }
      const episode = endSession(state, input.outcome, this.now(), input.finalPatch);
      await this.store.upsertEpisodes([episode]);
      await this.sessions.remove(header.id);
      await this.vectorize(episode.id);
      const saved = (await this.store.getEpisode(episode.id)) ?? episode;
      return { sessionId: header.id, episode: saved };
    });
  }

  /** Open sessions the scope sees (for the MCP resource), after any write or expiry already asked for. */
  list(scope?: SessionScope): Promise<SessionHeader[]> {
    return this.serial(() => this.sessions.list(scope));
  }

  /**
   * Ends every open session, of any owner, in which nothing was recorded for longer than `idleMs`
   * (a client that went away never comes back for it): one with attempts becomes an abandoned past
   * repair (ended at its last activity), one without is dropped; then their rows leave the disk
   * (purged, table compacted, old versions removed). A session another process wrote to since it
   * was listed is left open.
   */
  expireIdle(idleMs: number): Promise<ExpiryReport> {
    return this.serial(async () => {
      const cutoff = this.nowDate().getTime() - idleMs;
      const isIdle = (h: SessionHeader) => !(lastActivity(h) >= cutoff);
      const report: ExpiryReport = { ended: [], dropped: [] };
      const gone: string[] = [];
      for (const h of (await this.sessions.list()).filter(isIdle)) {
        const state = await this.sessions.load(h.id);
        const header = await this.sessions.header(h.id);
        if (!state || !header || !isIdle(header)) continue;
        gone.push(h.id);
        if (!state.attempts.length) {
          report.dropped.push(h.id);
          continue;
        }
        const at = Number.isFinite(lastActivity(header)) ? new Date(lastActivity(header)).toISOString() : this.now();
        const episode = endSession(state, 'abandoned', at);
        await this.store.upsertEpisodes([episode]);
        report.ended.push(episode.id);
      }
      await this.sessions.remove(...gone);
      for (const id of report.ended) await this.vectorize(id);
      return report;
    });
  }

  /**
   * The session to use: the id given (which must be open), else the caller's open session for the
   * same issue title, else (without a title) the caller's only open session. A session outside
   * the scope is answered exactly like one that does not exist.
   */
  private async find(
    id: string | undefined,
    by: string,
    scope: SessionScope | undefined,
    title?: string,
  ): Promise<SessionHeader | undefined> {
    if (id) {
      const h = await this.sessions.header(id);
      if (!h || !isVisible(h, scope))
        throw new AgentToolError(
          `No open session "${id.slice(0, 200)}": it was never opened here or has already ended. Leave \`session\` out and pass \`issue\` {title, body} to open a new one.`,
        );
      return h;
    }
    const mine = await this.sessions.list(scope, by);
    if (title !== undefined) {
      // Stored titles are sanitised: compare the title given in the same form.
      const wanted = (await sanitizeTitle(title)).trim().toLowerCase();
      return mine.find((h) => h.issue.title.trim().toLowerCase() === wanted);
    }
    return mine.length === 1 ? mine[0] : undefined;
  }

  private async noSessionMessage(by: string, scope: SessionScope | undefined, what: string): Promise<string> {
    const mine = await this.sessions.list(scope, by);
    if (mine.length > 1) {
      const list = mine
        .slice(0, 10)
        .map((h) => `${h.id} ("${h.issue.title.slice(0, 80)}")`)
        .join(', ');
      return `You have ${mine.length} open sessions, so say which one to ${what} for: pass \`session\`, one of ${list}.`;
    }
    return what === 'record an attempt'
      ? 'No repair session is open for you. Pass `issue` {title, body} describing the issue to open one; the result gives its session id for later calls.'
      : 'No repair session is open for you, so there is no outcome to record. Record attempts with dejafix_record_attempt (with `issue`) first.';
  }

  private async patchOf(input: RecordAttemptInput, s: SessionState): Promise<string> {
    if (input.patch !== undefined) return input.patch;
    if (!s.folder) return '';
    const diff = await diffAgainst(s.folder, s.baseCommit);
    return input.files?.length ? diffOfFiles(diff, input.files) : diff;
  }

  private async vectorize(id: string): Promise<void> {
    const embedder = await this.opts.embedder?.().catch(() => undefined);
    if (!embedder) return;
    try {
      const { vectorizePending } = await import('../recall/vectorize');
      await vectorizePending(this.store, embedder, { ids: [id] });
    } catch (e) {
      (this.opts.log ?? silentLogger).warn(`embedding episode ${id} failed (recall stays lexical for it): ${errorText(e)}`);
    }
  }

  private now(): string {
    return this.nowDate().toISOString();
  }

  private nowDate(): Date {
    return this.opts.now?.() ?? new Date();
  }

  private serial<T>(f: () => Promise<T>): Promise<T> {
    const next = this.queue.then(f, f);
    this.queue = next.catch(() => undefined);
    return next;
  }
}
