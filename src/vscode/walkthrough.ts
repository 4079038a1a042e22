// The "Get started with Dejafix" walkthrough's progress from real events, not from clicks on its
// buttons: a step is checked when an issue was opened (by any door: the command, a branch, an agent),
// when recall first brought memories back, when a repair was first saved, and when an agent was
// connected. Each event sets a context key (`onContext:` completion events in package.json) and is
// remembered in global state, so the key is set again after a reload.
import * as vscode from 'vscode';
import type { ResolveOffer } from './resolveOffer';
import type { Recaller } from './recaller';
import type { Sessions } from './sessions';
import { WALKTHROUGH_EVENTS, walkthroughKey, type WalkthroughEvent } from './walkthroughKeys';

const STATE = 'dejafix.walkthroughDone';

/** The events the walkthrough listens to (the App provides them; named narrowly so this file does not import it). */
export interface WalkthroughSources {
  readonly sessions: Pick<Sessions, 'onDidChange'>;
  readonly recaller: Pick<Recaller, 'onDidRecall'>;
  readonly offer: Pick<ResolveOffer, 'onDidChange' | 'lastSaved'>;
}

export class WalkthroughProgress implements vscode.Disposable {
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly done: Set<WalkthroughEvent>;

  constructor(
    app: WalkthroughSources,
    private readonly global: vscode.Memento,
  ) {
    this.done = new Set(global.get<WalkthroughEvent[]>(STATE, []).filter((e) => (WALKTHROUGH_EVENTS as readonly string[]).includes(e)));
    for (const e of this.done) void vscode.commands.executeCommand('setContext', walkthroughKey(e), true);
    this.subscriptions.push(
      app.sessions.onDidChange((s) => s && this.reached('issueOpened')),
      app.recaller.onDidRecall((r) => (r.hits.length || r.insights.length) && this.reached('recalled')),
      app.offer.onDidChange(() => app.offer.lastSaved()?.outcome === 'resolved' && this.reached('saved')),
    );
  }

  /** Marks a step's event as happened (once; later calls do nothing). */
  reached(event: WalkthroughEvent): void {
    if (this.done.has(event)) return;
    this.done.add(event);
    void vscode.commands.executeCommand('setContext', walkthroughKey(event), true);
    void this.global.update(STATE, [...this.done]);
  }

  has(event: WalkthroughEvent): boolean {
    return this.done.has(event);
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }
}
