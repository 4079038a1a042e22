// The extension's parts wired together: settings, the lazily opened store, the repair session,
// recall for it, capture of test runs, the LLM providers and background reflection.
import * as vscode from 'vscode';
import { headCommit } from '../core/capture/gitDiff';
import { isRemoteStore } from '../core/store/location';
import type { EpisodeOutcome, Episode, Issue } from '../core/model/episode';
import { DejafixError, errorText } from '../core/util/errors';
import type { Logger } from '../core/util/logger';
import { AutoSession } from './autoSession';
import { Capture, type CapturedRun } from './capture';
import { LlmProviders } from './llm/providers';
import { showOfferNotification } from './offerNotification';
import { Memory } from './memory';
import { Recaller } from './recaller';
import { ResolveOffer } from './resolveOffer';
import { repoOfFolder } from './repo';
import { Sessions, type AttemptRecorded } from './sessions';
import { affects, Settings } from './settings';
import { TeamCredentials } from './team/credentials';
import { WalkthroughProgress } from './walkthrough';

export class App implements vscode.Disposable {
  readonly settings: Settings;
  readonly memory: Memory;
  /** Team/remote storage secrets (SecretStorage) and the remote settings. */
  readonly credentials: TeamCredentials;
  readonly sessions: Sessions;
  readonly recaller: Recaller;
  readonly llm: LlmProviders;
  readonly capture: Capture;
  readonly autoSession: AutoSession;
  /** "Looks fixed — save as resolved?" until answered, and the last save (panel, status bar). */
  readonly offer = new ResolveOffer();
  /** The Get Started walkthrough's steps, checked on real events. */
  readonly walkthrough: WalkthroughProgress;
  private readonly subscriptions: vscode.Disposable[] = [];
  /** Background reflections still running (awaited by tests and on dispose). */
  private readonly background = new Set<Promise<unknown>>();

  constructor(
    readonly context: vscode.ExtensionContext,
    readonly log: Logger,
  ) {
    this.settings = new Settings(log);
    this.credentials = new TeamCredentials(context.secrets, this.settings);
    this.memory = new Memory(context.globalStorageUri, this.settings, log, (where) => this.credentials.optionsFor(where));
    this.sessions = new Sessions(context.workspaceState);
    this.recaller = new Recaller(this.memory, this.settings, log);
    this.llm = new LlmProviders(context.secrets, this.settings, log);
    this.autoSession = new AutoSession({
      sessions: this.sessions,
      settings: this.settings,
      state: context.workspaceState,
      log,
      startSession: (i, f, o) => this.startSession(i, f, o),
      endSession: (o) => this.endSession(o),
    });
    this.capture = new Capture(
      this.sessions,
      this.settings,
      log,
      (r, run) => void this.recorded(r, run),
      (run) => this.autoSession.maybeOpen(run),
    );
    this.walkthrough = new WalkthroughProgress(this, context.globalState);
    this.subscriptions.push(
      this.credentials,
      this.memory,
      this.sessions,
      this.recaller,
      this.llm,
      this.capture,
      this.autoSession,
      this.offer,
      this.walkthrough,
      this.sessions.onDidChange(() => this.offer.sessionChanged(this.sessions.active()?.id)),
      this.sessions.onDidChange(() => this.recaller.invalidate()),
      // New credentials for a remote store: open it again with them.
      this.credentials.onDidChange(async () => {
        if (!isRemoteStore(this.memory.location())) return;
        await this.memory.reset();
        this.recaller.invalidate();
      }),
      vscode.workspace.onDidChangeConfiguration(async (e) => {
        if (
          affects(e, 'store.path', 'embeddings.provider', 'embeddings.url', 'embeddings.model') ||
          (isRemoteStore(this.memory.location()) &&
            affects(
              e,
              'store.unsafeSingleWriter',
              'remote.s3.endpoint',
              'remote.s3.region',
              'remote.azure.accountName',
              'remote.azure.endpoint',
              'remote.gcs.credentialsFile',
            ))
        ) {
          await this.memory.reset();
          this.recaller.invalidate();
          // A new model (or store) needs its own vectors: made in the background, with progress.
          this.track(this.embedPending());
        }
      }),
    );
  }

  /** The workspace folder to work in: the active editor's, else the only one, else the user picks. */
  async pickFolder(): Promise<vscode.WorkspaceFolder | undefined> {
    const folders = vscode.workspace.workspaceFolders ?? [];
    const active = vscode.window.activeTextEditor?.document.uri;
    const fromEditor = active ? vscode.workspace.getWorkspaceFolder(active) : undefined;
    if (fromEditor) return fromEditor;
    if (folders.length <= 1) return folders[0];
    return vscode.window.showWorkspaceFolderPick({ placeHolder: 'Which folder is the issue about?' });
  }

  /**
   * Starts a repair session for an issue in a folder; an open one is ended as abandoned first.
   * Shows nothing: asking before replacing a session is the command's business. Throws a
   * DejafixError when the open session cannot be saved (it then stays open).
   */
  async startSession(issue: Issue, folder: vscode.WorkspaceFolder | undefined, opts: { source?: string } = {}): Promise<void> {
    if (this.sessions.active()) await this.endSession('abandoned');
    const repo = folder ? await repoOfFolder(folder) : 'unknown';
    const baseCommit = folder ? await headCommit(folder.uri.fsPath) : undefined;
    await this.sessions.start({ repo, issue, baseCommit, folder: folder?.uri.fsPath, source: opts.source });
    // Lessons whose evidence files are gone from this checkout are marked stale (and ranked lower).
    if (folder && vscode.workspace.isTrusted) this.track(this.checkStaleness(folder.uri.fsPath, repo));
    this.log.info(`session opened: "${issue.title.slice(0, 100)}" in ${repo}${baseCommit ? ` at ${baseCommit.slice(0, 12)}` : ''}`);
  }

  /**
   * Ends the active session, saves its episode and reflects on it in the background. `finalPatch`
   * (an agent's) replaces the one taken from the last passing run. Undefined when no session is
   * open; throws a DejafixError (`session-not-saved`) when saving fails — the session stays open.
   */
  async endSession(outcome: EpisodeOutcome, finalPatch?: string): Promise<Episode | undefined> {
    let ep: Episode | undefined;
    const sessionId = this.sessions.active()?.id;
    try {
      ep = await this.sessions.end(outcome, (e) => this.saveEpisode(e), finalPatch);
    } catch (e) {
      throw new DejafixError(`saving the session failed: ${errorText(e)}`, {
        code: 'session-not-saved',
        userMessage: `could not save the session (it is still open): ${errorText(e)}`,
        cause: e,
      });
    }
    if (ep) {
      this.log.info(`session ended ${outcome}: episode ${ep.id} with ${ep.attempts.length} attempts`);
      this.track(this.reflect(ep.id));
      if (sessionId) this.track(this.credit(sessionId, outcome));
    }
    return ep;
  }

  /** Credits the memories shown in the session by how it ended (core/feedback). */
  private async credit(sessionId: string, outcome: EpisodeOutcome): Promise<void> {
    const { creditSession } = await import('../core/feedback/feedback');
    const r = await creditSession(await this.memory.open(), { sessionId, outcome });
    this.log.info(`session ${sessionId} credited: helped ${r.helped.length}, harmed ${r.harmed.length}, used ${r.used.length}`);
    this.recaller.invalidate();
  }

  async saveEpisode(ep: Episode): Promise<void> {
    const store = await this.memory.open();
    await store.upsertEpisodes([ep]);
    const embedder = await this.memory.embedderOrNone();
    if (embedder) {
      const { vectorizePending } = await import('../core/recall/vectorize');
      await vectorizePending(store, embedder, { ids: [ep.id] }).catch((e) =>
        this.log.warn(`embedding episode ${ep.id} failed (recall stays lexical for it): ${errorText(e)}`),
      );
    }
    this.recaller.invalidate();
  }

  /** Distils lessons from an episode with the preferred model; without one, queues it for later. */
  async reflect(episodeId: string): Promise<void> {
    if (!this.settings.get('reflection.enabled')) return;
    const store = await this.memory.open();
    const reflect = await import('../core/reflect');
    const provider = await this.llm.preferred();
    if (!provider) {
      await reflect.queueReflection(store, [episodeId], 'no-model');
      this.log.info(`reflection on ${episodeId} queued: no language model available yet`);
      return;
    }
    const r = await reflect.reflectOnEpisode(store, provider, episodeId, {
      requireApproval: this.settings.get('reflection.requireApproval'),
      cap: this.settings.get('insights.maxPerRole'),
      log: this.log,
    });
    this.log.info(`reflection on ${episodeId}: ${r.error ? `queued (${r.error.message})` : reflect.summarize(r.outcomes) || 'no change'}`);
    this.recaller.invalidate();
  }

  /** Embeds the episodes that have no vector for the current model yet (after a model change). */
  async embedPending(): Promise<void> {
    const embedder = await this.memory.embedderOrNone();
    if (!embedder) return;
    const store = await this.memory.open();
    const { vectorizePending } = await import('../core/recall/vectorize');
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: 'Dejafix: embedding memories', cancellable: false },
      async (p) => {
        const r = await vectorizePending(store, embedder, {
          onProgress: (x) => x.total && p.report({ message: `${x.done}/${x.total} with ${embedder.id}` }),
        });
        if (r.total) this.log.info(`embedded ${r.done} episodes with ${embedder.id}`);
      },
    );
    this.recaller.invalidate();
  }

  async checkStaleness(workspaceRoot: string, scope: string): Promise<void> {
    const store = await this.memory.open();
    const { checkStaleness } = await import('../core/reflect');
    const r = await checkStaleness(store, { workspaceRoot, scope });
    this.log.debug(`staleness check for ${scope}: ${JSON.stringify(r).slice(0, 200)}`);
  }

  private async recorded(r: AttemptRecorded, run: CapturedRun): Promise<void> {
    // An implicit session resolves by itself when its tests pass: no question.
    if (await this.autoSession.afterRecorded(r, run).catch((e) => (this.log.error(e, 'implicit session update failed'), false))) return;
    this.offer.runRecorded(r.session.id, r.attempt.outcome === 'passed');
    if (!r.looksFixed) return;
    // Kept in the panel and the status bar until answered; the notification lasts as long as the offer
    // (not tracked as background work: it waits for the user).
    const ended = this.offer.make(r.session.id, r.session.issue.title);
    if (ended) void showOfferNotification(r.session.issue.title, ended);
  }

  track(p: Promise<unknown>): void {
    const q = p.catch((e) => this.log.error(e, 'background work failed')).finally(() => this.background.delete(q));
    this.background.add(q);
  }

  /** Waits for background work (reflection, embedding) to finish. */
  async idle(): Promise<void> {
    while (this.background.size) await Promise.all([...this.background]);
  }

  dispose(): void {
    for (const s of this.subscriptions.splice(0)) s.dispose();
  }
}
