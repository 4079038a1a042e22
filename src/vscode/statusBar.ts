// The status bar item: the active issue and how many memories it recalled; click for the panel.
import * as vscode from 'vscode';
import { ellipsize } from '../core/util/text';
import type { App } from './app';
import { errorText } from '../core/util/errors';

export class StatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('dejafix.status', vscode.StatusBarAlignment.Left, 50);
  private readonly subscriptions: vscode.Disposable[] = [];
  private generation = 0;

  constructor(private readonly app: App) {
    this.item.name = 'Dejafix';
    this.subscriptions.push(
      this.item,
      app.sessions.onDidChange(() => void this.update()),
      app.recaller.onDidChange(() => void this.update()),
      app.offer.onDidChange(() => void this.update()),
      app.autoSession.onDidChange(() => void this.update()),
    );
    void this.update();
    this.item.show();
  }

  /** The text shown now (for tests and logs). */
  get text(): string {
    return this.item.text;
  }

  async update(): Promise<void> {
    const gen = ++this.generation;
    const s = this.app.sessions.active();
    if (!s) {
      this.item.text = '$(history) Dejafix';
      this.item.tooltip = 'Dejafix: no repair session. Click to open an issue.';
      this.item.command = 'dejafix.openIssue';
      this.item.accessibilityInformation = { label: 'Dejafix: no repair session; open an issue' };
      return;
    }
    const title = ellipsize(s.issue.title, 40);
    if (this.app.offer.current(s.id)) {
      // Stays until answered (the toast may have gone to the notification centre).
      this.item.text = '$(pass) Looks fixed — save as resolved?';
      this.item.tooltip = `Dejafix: the tests pass now after failing. Click to save "${s.issue.title}" as resolved (or answer in the Dejafix panel).`;
      this.item.command = 'dejafix.endSessionResolved';
      this.item.accessibilityInformation = { label: `Dejafix: looks fixed. Save ${s.issue.title} as resolved` };
      return;
    }
    this.item.command = 'dejafix.showPanel';
    // An implicit session (opened by a failing run) is marked, quietly: no toast, just "auto".
    const auto = this.app.autoSession.isImplicit(s.id) ? 'auto: ' : '';
    this.item.text = `$(history) ${auto}${title}`;
    try {
      const r = await this.app.recaller.for(s);
      if (gen !== this.generation) return;
      this.item.text = `$(history) ${auto}${title} · ${r.hits.length}`;
      this.item.tooltip = `Dejafix: "${s.issue.title}" — ${r.hits.length} past repairs and ${r.insights.length} lessons recalled, ${s.attempts.length} attempts so far.${auto ? ' Opened by itself from a failing test run: saved as resolved when those tests pass, dropped if nothing is fixed.' : ''} Click for the panel.`;
      this.item.accessibilityInformation = { label: `Dejafix: ${s.issue.title}, ${r.hits.length} memories recalled` };
    } catch (e) {
      if (gen !== this.generation) return;
      this.item.text = `$(warning) ${title}`;
      this.item.tooltip = `Dejafix could not recall: ${errorText(e)}`;
    }
  }

  dispose(): void {
    for (const s of this.subscriptions.splice(0)) s.dispose();
  }
}
