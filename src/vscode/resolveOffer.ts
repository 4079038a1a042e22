// "Looks fixed — save as resolved?": the offer made when a test run passes after a failing one. It
// stays (panel banner, status bar) until answered or the session ends, instead of living only in a
// toast that slides into the notification centre. Also remembers the last save, so the panel can
// confirm it with a link to the episode.
import * as vscode from 'vscode';
import type { Episode } from '../core/model/episode';
import type { ResolveOfferView, SavedView } from '../shared/viewModel';

export class ResolveOffer implements vscode.Disposable {
  private offer: (ResolveOfferView & { sessionId: string }) | null = null;
  private saved: SavedView | null = null;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  /** The open offer for a session (null when none or when it belongs to another session). */
  current(activeSessionId: string | undefined): ResolveOfferView | null {
    return this.offer && this.offer.sessionId === activeSessionId ? { title: this.offer.title } : null;
  }

  lastSaved(): SavedView | null {
    return this.saved;
  }

  make(sessionId: string, title: string): void {
    this.offer = { sessionId, title };
    this.changed.fire();
  }

  /** The user answered (or the session ended): the offer goes. */
  withdraw(): void {
    if (!this.offer) return;
    this.offer = null;
    this.changed.fire();
  }

  recordSaved(ep: Episode): void {
    this.offer = null;
    this.saved = { episodeId: ep.id, title: ep.issue.title, outcome: ep.outcome, attempts: ep.attempts.length };
    this.changed.fire();
  }

  dismissSaved(): void {
    if (!this.saved) return;
    this.saved = null;
    this.changed.fire();
  }

  dispose(): void {
    this.changed.dispose();
  }
}
