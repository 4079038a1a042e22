// The repository memory folder in the editor: when a workspace opens (trusted: finding the
// repository runs git) and whenever files under `<repo>/.dejafix/` change — a pull, a branch
// switch, a hand edit — its records are imported into the local store as `repository` replicas, and
// records deleted from the folder disappear from it (never the user's own). The logic is core's
// RepoFolderSync; this file only feeds it file-system events and reports: a log line per sync, one
// warning line when some lines could not be read, recall refreshed when something changed. A
// repository without the folder (and with nothing imported from it before) costs no store open.
// `dejafix.team.followRepositoryFolder` off: nothing is watched or read (what was imported stays).
import { existsSync, watch, type FSWatcher } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { RepoFolderSync } from '../../core/team/repoFolderSync';
import { repoRootOf } from '../../core/team/repoRoot';
import type { RepoSyncResult } from '../../core/team/repoSync';
import { userMessageOf } from '../../core/util/errors';
import type { App } from '../app';
import { affects } from '../settings';
import { offerLogs } from '../showFailure';
import { embedSynced } from './embedSynced';

/** Repository roots whose folder records are in the local replica (so a folder gone while the editor was closed is still forgotten). */
const IMPORTED_KEY = 'dejafix.repoFolder.imported';

export class RepoFolderWatcher implements vscode.Disposable {
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly watchers = new Map<string, vscode.Disposable>();
  private readonly roots = new Map<string, string>();
  private readonly warned = new Map<string, string | undefined>();
  private sync: RepoFolderSync | undefined;
  private starting: Promise<void> | undefined;
  private disposed = false;

  constructor(private readonly app: App) {
    this.subscriptions.push(
      vscode.workspace.onDidGrantWorkspaceTrust(() => void this.start()),
      vscode.workspace.onDidChangeWorkspaceFolders(() => void this.start()),
      // A different local store: bring the repository records into it too.
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (affects(e, 'team.followRepositoryFolder')) void (this.following() ? this.start(true) : this.stop());
        else if (affects(e, 'store.path')) void this.start(true);
      }),
    );
  }

  /** The setting `dejafix.team.followRepositoryFolder`. */
  private following(): boolean {
    return this.app.settings.get('team.followRepositoryFolder');
  }

  /** (Re)starts following the repositories of the open folders, syncing those with something to import or forget. */
  start(all = false): Promise<void> {
    if (!vscode.workspace.isTrusted || this.disposed || !this.following()) return Promise.resolve();
    const run = (this.starting ?? Promise.resolve()).then(() => this.follow(all));
    this.starting = run.finally(() => this.starting === run && (this.starting = undefined));
    return run;
  }

  private async follow(all: boolean): Promise<void> {
    const roots = new Map<string, string>();
    for (const f of vscode.workspace.workspaceFolders ?? []) {
      if (f.uri.scheme !== 'file') continue;
      const { root, repoId } = await repoRootOf(f.uri.fsPath);
      roots.set(root, repoId);
    }
    for (const root of [...this.watchers.keys()]) if (!roots.has(root)) this.unfollow(root);
    const imported = new Set(this.app.context.globalState.get<string[]>(IMPORTED_KEY, []));
    const now: string[] = [];
    for (const [root, repoId] of roots) {
      this.roots.set(root, repoId);
      if (!this.watchers.has(root)) this.watchers.set(root, this.watch(root));
      if (all || imported.has(root) || existsSync(join(root, '.dejafix'))) now.push(root);
    }
    if (!now.length) return;
    const sync = await this.ensureSync();
    await Promise.all(now.map((root) => sync.add(root, roots.get(root)!)));
  }

  private async ensureSync(): Promise<RepoFolderSync> {
    if (!this.sync) {
      const { RepoFolderSync } = await import('../../core/team/repoFolderSync');
      this.sync ??= new RepoFolderSync({
        open: () => this.app.memory.open(),
        onSynced: (root, r) => this.report(root, r),
        onError: (root, e) => this.app.log.warn(`repository memory ${root}/.dejafix was not imported: ${userMessageOf(e)}`),
      });
      if (this.disposed) this.sync.dispose();
    }
    for (const [root, repoId] of this.roots) this.sync.follow(root, repoId);
    return this.sync;
  }

  private watch(root: string): vscode.Disposable {
    const folder = join(root, '.dejafix');
    let inner: FSWatcher | undefined;
    // VS Code's workspace watcher sees the folder come and go, but on Linux it can miss every change inside a folder
    // created after it started (a first share, a pull that brings .dejafix/): once the folder exists, Node's own
    // recursive watcher follows what is inside, made again when the folder is re-created.
    const watchInside = () => {
      const exists = existsSync(folder);
      if (exists && !inner) {
        try {
          const w = watch(folder, { recursive: true }, (_event, name) => changed(vscode.Uri.file(join(folder, String(name ?? '')))));
          w.on('error', () => {
            w.close();
            if (inner === w) inner = undefined;
          });
          inner = w;
        } catch (e) {
          this.app.log.debug(`repository memory: ${folder} is followed by the editor's watcher only: ${userMessageOf(e)}`);
        }
      } else if (!exists && inner) {
        inner.close();
        inner = undefined;
      }
    };
    const changed = (uri: vscode.Uri) => {
      this.app.log.debug(`repository memory: ${uri.fsPath} changed`);
      watchInside();
      void this.ensureSync().then((s) => s.changed(root));
    };
    // The folder itself too: a branch without it deletes the folder in one event.
    const w = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(root), '{.dejafix,.dejafix/**}'));
    watchInside();
    return vscode.Disposable.from(w, w.onDidCreate(changed), w.onDidChange(changed), w.onDidDelete(changed), {
      dispose: () => inner?.close(),
    });
  }

  private async report(root: string, r: RepoSyncResult): Promise<void> {
    const { repoSyncSummary, repoSyncWarning } = await import('../../core/team/repoFolderSync');
    const { issueText } = await import('../../core/team/repoFolder');
    const embedded = await embedSynced(this.app, r.pulledEpisodeIds);
    if (r.pulled || r.forgotten) this.app.recaller.invalidate();
    const imported = new Set(this.app.context.globalState.get<string[]>(IMPORTED_KEY, []));
    const has = r.pulled + r.unchanged + r.forgetDeferred > 0;
    if (has !== imported.has(root)) {
      if (has) imported.add(root);
      else imported.delete(root);
      await this.app.context.globalState.update(IMPORTED_KEY, [...imported]);
    }
    this.app.log.info(`${repoSyncSummary(root, r)}, embedded ${embedded}`);
    for (const i of r.issues.slice(0, 50)) this.app.log.warn(issueText(i));
    const warning = repoSyncWarning(r);
    // Once per distinct problem: the same bad line is not announced again on every later change.
    if (warning && this.warned.get(root) !== warning) void offerLogs(`Dejafix: ${warning}`, 'warning');
    this.warned.set(root, warning);
  }

  /** Waits until no start or sync is pending (tests). */
  async idle(): Promise<void> {
    await this.starting;
    await this.sync?.idle();
  }

  /** Stops watching and syncing one repository root (its imported records stay). */
  private unfollow(root: string): void {
    this.watchers.get(root)?.dispose();
    this.watchers.delete(root);
    this.roots.delete(root);
    this.sync?.remove(root);
  }

  /** Stops following every repository (the setting turned off): no watcher, no sync; imported records stay. */
  private async stop(): Promise<void> {
    await this.starting;
    for (const root of [...this.watchers.keys()]) this.unfollow(root);
    this.app.log.info('repository memory folders are not followed (dejafix.team.followRepositoryFolder is off)');
  }

  dispose(): void {
    this.disposed = true;
    this.sync?.dispose();
    for (const w of this.watchers.values()) w.dispose();
    this.watchers.clear();
    for (const s of this.subscriptions.splice(0)) s.dispose();
  }
}
