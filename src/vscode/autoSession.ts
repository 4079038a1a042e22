// Implicit repair sessions (`dejafix.capture.autoSession`: off | ask | on, default on). A failing
// test run — the user's, or an agent's in a terminal (Copilot agent mode runs its commands through
// shell integration like anyone else), or a task — with no session open opens one by itself, titled
// from the failing test or the traceback. It is saved as resolved, without asking, when those tests
// pass, and dropped unsaved after `capture.autoSessionIdleMinutes` without a run if nothing was fixed.
// The decisions are core's (core/capture/implicitSession); this class wires them to the editor.
import * as vscode from 'vscode';
import { coversFailure, failingTests, idleExpired, implicitTitle, type ImplicitState } from '../core/capture/implicitSession';
import type { Issue } from '../core/model/episode';
import { ellipsize } from '../core/util/text';
import { childLogger, type Logger } from '../core/util/logger';
import type { CapturedRun } from './capture';
import type { AttemptRecorded, Sessions } from './sessions';
import type { Settings } from './settings';

const KEY = 'dejafix.implicitSession';
const ASK_TIMEOUT_MS = 120_000;

export interface AutoSessionDeps {
  sessions: Sessions;
  settings: Settings;
  state: vscode.Memento;
  log: Logger;
  startSession(issue: Issue, folder: vscode.WorkspaceFolder | undefined, opts: { source?: string }): Promise<void>;
  endSession(outcome: 'resolved'): Promise<unknown>;
}

export class AutoSession implements vscode.Disposable {
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when a session becomes implicit or stops being one (the status bar marks it). */
  readonly onDidChange = this.changed.event;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly log: Logger;
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly d: AutoSessionDeps) {
    this.log = childLogger(d.log, 'capture');
    this.subscriptions.push(
      this.changed,
      d.sessions.onDidChange((s) => {
        // The implicit session ended some other way (saved by hand, replaced by an issue): forget it.
        if (this.current() && s?.id !== this.current()!.sessionId) void d.state.update(KEY, undefined);
      }),
    );
    this.timer = setInterval(() => void this.checkIdle(), 60_000);
    this.timer.unref?.(); // never what keeps a process alive (the activation probe, tests)
    void this.checkIdle();
  }

  /** The implicit session's state, when the open session is one. */
  current(): ImplicitState | undefined {
    const st = this.d.state.get<ImplicitState>(KEY);
    return st && st.sessionId === this.d.sessions.active()?.id ? st : undefined;
  }

  isImplicit(sessionId: string | undefined): boolean {
    return !!sessionId && this.current()?.sessionId === sessionId;
  }

  /** A test run ended with no session open: opens an implicit one when the run failed and the setting allows. */
  maybeOpen(run: CapturedRun): Promise<boolean> {
    return this.serial(async () => {
      if (this.d.sessions.active()) return true;
      const mode = this.d.settings.get('capture.autoSession');
      if (mode === 'off' || run.exitCode === 0 || run.exitCode === null) return false;
      const title = implicitTitle(run.command, run.output);
      if (mode === 'ask') {
        const timeout = new Promise<undefined>((r) => setTimeout(() => r(undefined), ASK_TIMEOUT_MS));
        const choice = await Promise.race([
          vscode.window.showInformationMessage(
            `Tests failed: "${ellipsize(title, 80)}". Start a Dejafix repair session for it?`,
            'Start Session',
            'Not Now',
          ),
          timeout,
        ]);
        if (choice !== 'Start Session' || this.d.sessions.active()) return !!this.d.sessions.active();
      }
      const folder =
        (run.cwd ? vscode.workspace.getWorkspaceFolder(vscode.Uri.file(run.cwd)) : undefined) ?? vscode.workspace.workspaceFolders?.[0];
      const body = [
        `Opened automatically by Dejafix from a failing test run: \`${run.command}\``,
        '',
        run.output.trim().slice(-4_000),
      ].join('\n');
      await this.d.startSession({ title, body }, folder, { source: run.origin ?? 'terminal' });
      const s = this.d.sessions.active();
      if (!s) return false;
      await this.d.state.update(KEY, {
        sessionId: s.id,
        command: run.command,
        failing: failingTests(run.output),
        lastRunAt: new Date().toISOString(),
      } satisfies ImplicitState);
      this.changed.fire();
      this.log.info(`implicit session opened from a failing run of ${run.command.slice(0, 120)}: "${title.slice(0, 120)}"`);
      return true;
    });
  }

  /** After an attempt of the implicit session: saves it as resolved when those tests pass. True when it handled the attempt. */
  async afterRecorded(r: AttemptRecorded, run: CapturedRun): Promise<boolean> {
    const st = this.current();
    if (!st || st.sessionId !== r.session.id) return false;
    await this.d.state.update(KEY, { ...st, lastRunAt: new Date().toISOString() });
    if (!coversFailure(st, run)) return true;
    await this.d.endSession('resolved');
    this.log.info(`implicit session resolved: "${r.session.issue.title.slice(0, 120)}"`);
    this.subscriptions.push(
      vscode.window.setStatusBarMessage(`$(pass) Dejafix saved "${ellipsize(r.session.issue.title, 50)}" as resolved`, 8_000),
    );
    return true;
  }

  /** Drops the implicit session unsaved once it has been idle for the set time. */
  async checkIdle(now = new Date()): Promise<boolean> {
    const st = this.current();
    if (!st || !idleExpired(st, now, this.d.settings.get('capture.autoSessionIdleMinutes'))) return false;
    await this.d.sessions.discard(st.sessionId);
    await this.d.state.update(KEY, undefined);
    this.changed.fire();
    this.log.info('implicit session dropped: idle and nothing fixed');
    return true;
  }

  private serial<T>(f: () => Promise<T>): Promise<T> {
    const next = this.queue.then(f, f);
    this.queue = next.catch(() => undefined);
    return next;
  }

  dispose(): void {
    clearInterval(this.timer);
    for (const s of this.subscriptions.splice(0)) s.dispose();
  }
}
