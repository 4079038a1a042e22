// The team sync status bar item, shown while a team memory is set: synced N min ago, syncing,
// offline, paused or error. A click pauses or resumes background sync.
import * as vscode from 'vscode';
import type { TeamSync, TeamSyncState } from './teamSync';

export class TeamSyncStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('dejafix.teamSync', vscode.StatusBarAlignment.Left, 49);
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly ticker: ReturnType<typeof setInterval>;

  constructor(
    private readonly sync: TeamSync,
    private readonly now: () => number = Date.now,
  ) {
    this.item.name = 'Dejafix Team Sync';
    this.subscriptions.push(
      this.item,
      sync.onDidChange(() => this.update()),
    );
    // "synced N min ago" ages while nothing happens.
    this.ticker = setInterval(() => this.update(), 60_000);
    this.ticker.unref?.(); // never what keeps a process alive (the activation probe, tests)
    this.update();
  }

  get text(): string {
    return this.item.text;
  }

  get tooltip(): string {
    return typeof this.item.tooltip === 'string' ? this.item.tooltip : '';
  }

  get visible(): boolean {
    return this.sync.state.kind !== 'off';
  }

  update(): void {
    const s = this.sync.state;
    if (s.kind === 'off') {
      this.item.hide();
      return;
    }
    const view = describe(s, this.now(), this.sync.uri() ?? '');
    this.item.text = view.text;
    this.item.tooltip = `${view.tooltip}\n${s.kind === 'paused' ? 'Click to resume background sync.' : 'Click to pause background sync.'} Run "Dejafix: Sync Team Memory" to sync now.`;
    this.item.command = 'dejafix.toggleTeamSync';
    this.item.accessibilityInformation = { label: view.tooltip };
    this.item.show();
  }

  dispose(): void {
    clearInterval(this.ticker);
    for (const s of this.subscriptions.splice(0)) s.dispose();
  }
}

/** Status bar words for a state (exported for tests). */
export function describe(s: TeamSyncState, now: number, uri: string): { text: string; tooltip: string } {
  const ago = s.lastAt === undefined ? undefined : agoText(now - s.lastAt);
  const since = ago ? `; last synced ${ago}` : '';
  switch (s.kind) {
    case 'syncing':
      return { text: '$(sync~spin) Team: syncing', tooltip: `Dejafix team memory ${uri}: syncing${since}.` };
    case 'synced':
      return {
        text: `$(cloud) Team: synced ${ago}`,
        tooltip: `Dejafix team memory ${uri}: synced ${ago} — pulled ${s.result.pulled}, forgot ${s.result.forgotten}, ${s.result.unchanged} unchanged. Recall reads the local replica.`,
      };
    case 'paused':
      return { text: '$(debug-pause) Team: paused', tooltip: `Dejafix team memory ${uri}: background sync paused${since}.` };
    case 'offline':
      return {
        text: '$(cloud-offline) Team: offline',
        tooltip: `Dejafix team memory ${uri}: offline (${s.message})${since}. Recall keeps working on the local replica.`,
      };
    case 'error':
      return { text: '$(warning) Team: sync error', tooltip: `Dejafix team memory ${uri}: ${s.message}${since}` };
    case 'never':
      return { text: '$(cloud) Team: not synced', tooltip: `Dejafix team memory ${uri}: not synced yet (background sync is off).` };
    default:
      return { text: '', tooltip: '' };
  }
}

function agoText(ms: number): string {
  const min = Math.floor(Math.max(0, ms) / 60_000);
  if (min < 1) return 'just now';
  if (min < 60) return `${min} min ago`;
  const h = Math.floor(min / 60);
  return h < 48 ? `${h} h ago` : `${Math.floor(h / 24)} days ago`;
}
