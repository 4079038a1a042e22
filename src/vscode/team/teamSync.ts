// Team sync in the editor: pulls the team memory (dejafix.team.uri) into the local store as a
// replica through the same core code as `dejafix sync --team` — by hand (Dejafix: Sync Team Memory,
// cancellable) and in the background when the window opens and every N minutes, unless paused.
// Recall never reads the team store: it reads the local replica. The state feeds the status bar.
import * as vscode from 'vscode';
import type { SyncResult } from '../../core/team/sync';
import { DejafixError } from '../../core/util/errors';
import type { Logger } from '../../core/util/logger';
import type { App } from '../app';
import { affects } from '../settings';
import { memberName } from './member';
import { embedSynced } from './embedSynced';

export type TeamSyncState =
  | { kind: 'off'; lastAt?: undefined }
  | { kind: 'paused'; lastAt?: number }
  | { kind: 'syncing'; lastAt?: number }
  | { kind: 'synced'; lastAt: number; result: SyncResult; embedded: number }
  | { kind: 'never'; lastAt?: undefined }
  | { kind: 'offline'; lastAt?: number; message: string }
  | { kind: 'error'; lastAt?: number; message: string };

const PAUSED_KEY = 'dejafix.team.syncPaused';

export class TeamSync implements vscode.Disposable {
  private current: TeamSyncState = { kind: 'off' };
  private readonly changed = new vscode.EventEmitter<TeamSyncState>();
  readonly onDidChange = this.changed.event;
  private readonly subscriptions: vscode.Disposable[] = [];
  private timer: ReturnType<typeof setInterval> | undefined;
  private running: Promise<SyncResult> | undefined;
  private lastAt: number | undefined;
  private readonly log: Logger;

  constructor(private readonly app: App) {
    this.log = app.log;
    this.subscriptions.push(
      this.changed,
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (affects(e, 'team.uri', 'team.autoSync', 'team.syncIntervalMinutes')) this.start();
      }),
      app.credentials.onDidChange(() => this.current.kind === 'error' && this.start()),
    );
  }

  get state(): TeamSyncState {
    return this.current;
  }

  get paused(): boolean {
    return this.app.context.globalState.get<boolean>(PAUSED_KEY, false);
  }

  /** The team store location, or undefined when no (valid) team URI is set. */
  uri(): string | undefined {
    return this.app.settings.get('team.uri').trim() || undefined;
  }

  /** (Re)starts background sync from the settings: a sync now, then one every N minutes. */
  start(): void {
    this.stopTimer();
    if (!this.uri()) return this.set({ kind: 'off' });
    if (this.paused) return this.set({ kind: 'paused', lastAt: this.lastAt });
    if (!this.app.settings.get('team.autoSync')) {
      if (this.current.kind === 'off' || this.current.kind === 'paused') this.set({ kind: 'never' });
      return;
    }
    const minutes = this.app.settings.get('team.syncIntervalMinutes');
    this.timer = setInterval(() => void this.background(), minutes * 60_000);
    this.timer.unref?.(); // never what keeps a process alive (the activation probe, tests)
    void this.background();
  }

  async setPaused(paused: boolean): Promise<void> {
    await this.app.context.globalState.update(PAUSED_KEY, paused);
    this.log.info(`team sync ${paused ? 'paused' : 'resumed'}`);
    if (paused) {
      this.stopTimer();
      if (this.uri()) this.set({ kind: 'paused', lastAt: this.lastAt });
    } else this.start();
  }

  /** A background sync: skipped while paused or already syncing; failures only change the state (and the log). */
  private async background(): Promise<void> {
    if (this.paused || this.running || !this.uri()) return;
    await this.sync().catch(() => undefined);
  }

  /**
   * Pulls the team memory into the local store. One at a time: a second call joins the running one.
   * Throws a DejafixError with a one-line message (offline, access denied, …) on failure.
   */
  sync(signal?: AbortSignal): Promise<SyncResult> {
    this.running ??= this.pull(signal).finally(() => (this.running = undefined));
    return this.running;
  }

  private async pull(signal?: AbortSignal): Promise<SyncResult> {
    const raw = this.uri();
    if (!raw)
      throw new DejafixError('no team uri', {
        code: 'team-off',
        userMessage: 'no team memory is set: set dejafix.team.uri to s3://bucket/prefix, gs://… or az://… first.',
      });
    const previous = this.current;
    this.set({ kind: 'syncing', lastAt: this.lastAt });
    try {
      const { teamLocation, syncFromTeam } = await import('../../core/team');
      const { ExperienceStore } = await import('../../core/store/store');
      const location = teamLocation(raw);
      const local = await this.app.memory.open();
      signal?.throwIfAborted();
      const team = await ExperienceStore.open(location, {
        mode: 'read',
        log: this.log,
        remote: await this.app.credentials.optionsFor(location),
      }).catch(async (e) => {
        const { StoreError } = await import('../../core/store/errors');
        // Nobody has shared into it yet: nothing to pull.
        if (e instanceof StoreError && (e.code === 'missing' || e.code === 'not-a-store')) return undefined;
        throw e;
      });
      if (!team) {
        this.lastAt = Date.now();
        const empty: SyncResult = { pulled: 0, unchanged: 0, keptOwn: 0, forgotten: 0 };
        this.log.info(`team sync from ${location}: the team store is empty (nothing shared yet)`);
        this.set({ kind: 'synced', lastAt: this.lastAt, result: empty, embedded: 0 });
        return empty;
      }
      let result: SyncResult;
      try {
        const member = await memberName(this.app);
        result = await syncFromTeam(local, team, location, { member, signal });
      } finally {
        team.close();
      }
      const embedded = await embedSynced(this.app, result.pulledEpisodeIds ?? []);
      if (result.pulled || result.forgotten || result.countsMerged) this.app.recaller.invalidate();
      this.lastAt = Date.now();
      this.log.info(
        `team sync from ${location}: pulled ${result.pulled}, unchanged ${result.unchanged}, kept own ${result.keptOwn}, forgot ${result.forgotten}, embedded ${embedded}`,
      );
      this.set({ kind: 'synced', lastAt: this.lastAt, result, embedded });
      return result;
    } catch (e) {
      if (signal?.aborted) {
        this.log.info('team sync cancelled; the next sync resumes from the last complete one');
        this.set(previous.kind === 'syncing' ? { kind: 'never' } : previous);
        throw new DejafixError('team sync cancelled', { code: 'cancelled', userMessage: 'team sync cancelled.', cause: e });
      }
      const state = await failureState(e, this.lastAt);
      this.log.error(e, `team sync from ${raw} failed`);
      this.set(state);
      throw new DejafixError(`team sync failed: ${state.message}`, {
        code: 'team-sync',
        userMessage: `team sync failed: ${state.message}`,
        cause: e,
      });
    }
  }

  private set(s: TeamSyncState): void {
    this.current = s;
    this.changed.fire(s);
  }

  private stopTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Waits for a running sync (tests). */
  async idle(): Promise<void> {
    await this.running?.catch(() => undefined);
  }

  dispose(): void {
    this.stopTimer();
    for (const s of this.subscriptions.splice(0)) s.dispose();
  }
}

/** Offline (unreachable, timed out) or an error, with the store's one-line cloud message. */
async function failureState(e: unknown, lastAt: number | undefined): Promise<Extract<TeamSyncState, { kind: 'offline' | 'error' }>> {
  const { classify } = await import('../../core/store/remote/errors');
  const { userMessageOf } = await import('../../core/util/errors');
  const message = userMessageOf(e).split('\n')[0].slice(0, 400);
  const kind = classify(message);
  return kind === 'unreachable' || kind === 'timeout' ? { kind: 'offline', lastAt, message } : { kind: 'error', lastAt, message };
}
