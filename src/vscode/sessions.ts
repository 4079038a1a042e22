// The active repair session of this window: started by opening an issue, fed by captured test
// runs, ended by hand or after "looks fixed". Kept in workspace state, so a reload continues it.
import * as vscode from 'vscode';
import { endSession, recordAttempt, startSession, type AttemptInput, type SessionState } from '../core/capture/session';
import type { Episode, EpisodeOutcome, Issue } from '../core/model/episode';
import type { Attempt } from '../core/model/attempt';

const KEY = 'dejafix.session';

export interface AttemptRecorded {
  session: SessionState;
  attempt: Attempt;
  looksFixed: boolean;
}

export class Sessions implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<SessionState | undefined>();
  readonly onDidChange = this.changed.event;
  /** Serialises updates: two test runs ending together must not lose one. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly state: vscode.Memento) {}

  active(): SessionState | undefined {
    return this.state.get<SessionState>(KEY);
  }

  start(opts: { repo: string; issue: Issue; baseCommit?: string; folder?: string; source?: string }): Promise<SessionState> {
    return this.serial(async () => {
      const s = startSession({ ...opts, now: new Date().toISOString() });
      await this.state.update(KEY, s);
      this.changed.fire(s);
      return s;
    });
  }

  record(input: AttemptInput): Promise<AttemptRecorded | undefined> {
    return this.serial(async () => {
      const s = this.active();
      if (!s) return undefined;
      const r = await recordAttempt(s, input);
      await this.state.update(KEY, r.state);
      this.changed.fire(r.state);
      return { session: r.state, attempt: r.attempt, looksFixed: r.looksFixed };
    });
  }

  /**
   * Ends the session: `save` stores its episode, and only then is the session let go — when
   * saving fails, the session stays open and nothing is lost.
   */
  end(outcome: EpisodeOutcome, save: (episode: Episode) => Promise<void>, finalPatch?: string): Promise<Episode | undefined> {
    return this.serial(async () => {
      const s = this.active();
      if (!s) return undefined;
      const ep = endSession(s, outcome, new Date().toISOString(), finalPatch);
      await save(ep);
      await this.state.update(KEY, undefined);
      this.changed.fire(undefined);
      return ep;
    });
  }

  /** Lets the session go without saving anything (an implicit session that fixed nothing). */
  discard(id: string): Promise<void> {
    return this.serial(async () => {
      if (this.active()?.id !== id) return;
      await this.state.update(KEY, undefined);
      this.changed.fire(undefined);
    });
  }

  private serial<T>(f: () => Promise<T>): Promise<T> {
    const next = this.queue.then(f, f);
    this.queue = next.catch(() => undefined);
    return next;
  }

  dispose(): void {
    this.changed.dispose();
  }
}
