// Keeps the local replica in step with the repositories' `.dejafix/` folders while an editor is
// open: a sync per repository root when it is added, and one more whenever its folder changes (a
// pull, a branch switch, a hand edit). A burst of file events is debounced into one sync; events
// arriving while a sync runs make exactly one more run after it; syncs of one root never overlap.
// vscode-free: the editor feeds it file events, tests drive it directly. The sync itself is
// syncFromRepo (import as `repository` replicas, never over the user's own records; forget what the
// folder no longer holds).
import type { ExperienceStore } from '../store';
import { oneLine } from '../util/text';
import { issueText } from './repoFolder';
import { syncFromRepo, type RepoSyncResult } from './repoSync';

export interface RepoFolderSyncOptions {
  /** The local store (opened lazily, shared with the rest of the app). */
  open: () => Promise<ExperienceStore>;
  /** Quiet time after the last file event before syncing (ms). */
  debounceMs?: number;
  /** After each completed sync. */
  onSynced?: (root: string, result: RepoSyncResult) => void | Promise<void>;
  /** A sync that failed as a whole (the store could not be opened, the folder is a link, …). */
  onError?: (root: string, error: unknown) => void;
}

interface Watched {
  repoId: string;
  timer?: ReturnType<typeof setTimeout>;
  running?: Promise<void>;
  again: boolean;
}

export class RepoFolderSync {
  private readonly roots = new Map<string, Watched>();
  private disposed = false;

  constructor(private readonly opts: RepoFolderSyncOptions) {}

  /** Starts following a repository root (idempotent) and syncs it now. */
  add(root: string, repoId: string): Promise<void> {
    this.follow(root, repoId);
    return this.syncNow(root);
  }

  /** Starts following a root without syncing it now (its folder's next change syncs it). */
  follow(root: string, repoId: string): void {
    if (!this.roots.has(root)) this.roots.set(root, { repoId, again: false });
  }

  /** Stops following a root (a removed workspace folder); a running sync finishes. */
  remove(root: string): void {
    const w = this.roots.get(root);
    if (w?.timer) clearTimeout(w.timer);
    this.roots.delete(root);
  }

  has(root: string): boolean {
    return this.roots.has(root);
  }

  /** A file under `<root>/.dejafix` (or the folder itself) changed: sync after the quiet time. */
  changed(root: string): void {
    const w = this.roots.get(root);
    if (!w || this.disposed) return;
    if (w.timer) clearTimeout(w.timer);
    w.timer = setTimeout(() => {
      w.timer = undefined;
      void this.syncNow(root);
    }, this.opts.debounceMs ?? 400);
    w.timer.unref?.();
  }

  /** Syncs a root now, or once more after the running sync when one is under way. */
  syncNow(root: string): Promise<void> {
    const w = this.roots.get(root);
    if (!w || this.disposed) return Promise.resolve();
    if (w.running) {
      w.again = true;
      return w.running;
    }
    w.running = this.loop(root, w).finally(() => (w.running = undefined));
    return w.running;
  }

  private async loop(root: string, w: Watched): Promise<void> {
    do {
      w.again = false;
      try {
        const result = await syncFromRepo(await this.opts.open(), root, w.repoId);
        await this.opts.onSynced?.(root, result);
      } catch (e) {
        this.opts.onError?.(root, e);
      }
    } while (w.again && !this.disposed && this.roots.get(root) === w);
  }

  /** Resolves when no sync is pending or running (tests, shutdown). */
  async idle(): Promise<void> {
    for (;;) {
      const busy = [...this.roots.values()].filter((w) => w.running || w.timer);
      if (!busy.length) return;
      await Promise.all(busy.map((w) => w.running ?? new Promise((r) => setTimeout(r, this.opts.debounceMs ?? 400))));
    }
  }

  dispose(): void {
    this.disposed = true;
    for (const w of this.roots.values()) if (w.timer) clearTimeout(w.timer);
    this.roots.clear();
  }
}

/** One line for the user when a sync could not read everything (undefined when all was read). */
export function repoSyncWarning(result: RepoSyncResult): string | undefined {
  const n = result.issues.length;
  if (!n) return undefined;
  const kept = result.forgetDeferred ? `; ${result.forgetDeferred} record(s) no longer there were kept until it reads cleanly` : '';
  return `${n} line(s) of .dejafix/ could not be read and were skipped (first: ${oneLine(issueText(result.issues[0]), 240)}); the rest was imported${kept}.`;
}

/** The log line of a sync. */
export function repoSyncSummary(root: string, r: RepoSyncResult): string {
  return `repository memory ${root}/.dejafix: imported ${r.pulled}, unchanged ${r.unchanged}, kept own ${r.keptOwn}, forgot ${r.forgotten}, unreadable ${r.issues.length}`;
}
