// Switching to a branch whose name carries an issue number (`fix/123-…`) opens that issue, through
// the built-in git extension's API. Without git (or the extension), nothing happens.
import * as vscode from 'vscode';
import { issueNumberFromBranch } from '../core/capture/issueRef';
import type { App } from './app';
import { errorText } from './log';

interface GitRepository {
  rootUri: vscode.Uri;
  state: { HEAD?: { name?: string }; onDidChange: vscode.Event<void> };
}
interface GitApi {
  repositories: GitRepository[];
  onDidOpenRepository: vscode.Event<GitRepository>;
}

export class BranchWatcher implements vscode.Disposable {
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly lastBranch = new Map<string, string | undefined>();

  constructor(
    private readonly app: App,
    private readonly openIssue: (ref: string) => Promise<unknown>,
  ) {}

  async start(): Promise<void> {
    const ext = vscode.extensions.getExtension<{ getAPI(v: 1): GitApi }>('vscode.git');
    if (!ext) return;
    try {
      const api = (ext.isActive ? ext.exports : await ext.activate()).getAPI(1);
      for (const r of api.repositories) this.watch(r);
      this.subscriptions.push(api.onDidOpenRepository((r) => this.watch(r)));
    } catch (e) {
      this.app.log.warn(`branch watcher off: the git extension is not available (${errorText(e)})`);
    }
  }

  private watch(repo: GitRepository): void {
    const key = repo.rootUri.toString();
    this.lastBranch.set(key, repo.state.HEAD?.name);
    this.subscriptions.push(
      repo.state.onDidChange(() => {
        const name = repo.state.HEAD?.name;
        if (name === this.lastBranch.get(key)) return;
        this.lastBranch.set(key, name);
        const n = name ? issueNumberFromBranch(name) : undefined;
        if (!n || this.app.sessions.active()?.issue.number === n) return;
        this.app.log.info(`branch ${name} names issue #${n}: opening it`);
        void this.openIssue(`#${n}`);
      }),
    );
  }

  dispose(): void {
    for (const s of this.subscriptions.splice(0)) s.dispose();
  }
}
