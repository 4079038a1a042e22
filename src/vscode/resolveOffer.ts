// "Looks fixed — save as resolved?": the offer made when a test run passes after a failing one. It
// stays (panel banner, status bar, a notification that lasts exactly as long as the offer) until it
// is answered anywhere, a later run fails again, or the session ends. Also remembers the last save,
// so the panel can confirm it with a link to the episode. Plain TypeScript (no `vscode` import), so
// the state machine is unit-tested in Node.
import type { Episode } from '../core/model/episode';
import { ellipsize } from '../core/util/text';
import type { ResolveOfferView, SavedView } from '../shared/viewModel';

/** How an offer ended: saved, declined ("Keep Working"), a later run failed, or its session ended. */
export type OfferEnd = 'saved' | 'declined' | 'failed-again' | 'session-ended';

export const SAVE_COMMAND = 'dejafix.endSessionResolved';
export const KEEP_WORKING_COMMAND = 'dejafix.keepWorking';

/**
 * The notification's text after its title "Looks fixed": the two answers first, as command links (a
 * collapsed notification shows one line, so they must not be cut off by a long title), then the
 * issue. Brackets and parentheses of the title go, so an issue title cannot add a command link.
 */
export function offerMessage(title: string): string {
  const quoted = ellipsize(title.replace(/[[\]()]/g, ' '), 60);
  return `[Save as Resolved](command:${SAVE_COMMAND}) · [Keep Working](command:${KEEP_WORKING_COMMAND}) — the tests pass now for “${quoted}”`;
}

interface OpenOffer extends ResolveOfferView {
  sessionId: string;
}

export class ResolveOffer {
  private offer: OpenOffer | null = null;
  private saved: SavedView | null = null;
  private readonly listeners = new Set<() => void>();
  private readonly waiting = new Map<OpenOffer, (end: OfferEnd) => void>();

  /** Called after every change (VS Code's event shape: returns something to dispose). */
  onDidChange = (listener: () => void): { dispose(): void } => {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  };

  /** The open offer for a session (null when none or when it belongs to another session). */
  current(activeSessionId: string | undefined): ResolveOfferView | null {
    return this.offer && this.offer.sessionId === activeSessionId ? { title: this.offer.title } : null;
  }

  lastSaved(): SavedView | null {
    return this.saved;
  }

  /**
   * Opens the offer for a session (an older one ends as `session-ended`). The promise settles once it
   * is answered or gone — a notification shown with it closes then, so no stale "Looks fixed" stays
   * behind after the user answered in the panel or the status bar. Undefined when this session's
   * offer is already open (nothing new to show).
   */
  make(sessionId: string, title: string): Promise<OfferEnd> | undefined {
    if (this.offer?.sessionId === sessionId) return undefined;
    this.close('session-ended');
    const offer: OpenOffer = { sessionId, title };
    this.offer = offer;
    const ended = new Promise<OfferEnd>((resolve) => this.waiting.set(offer, resolve));
    this.fire();
    return ended;
  }

  /** "Keep Working": the offer goes until the next passing run after a failing one. */
  withdraw(end: OfferEnd = 'declined'): void {
    if (this.close(end)) this.fire();
  }

  /** A run was recorded for a session: a failing one takes back that session's offer. */
  runRecorded(sessionId: string, passed: boolean): void {
    if (!passed && this.offer?.sessionId === sessionId) this.withdraw('failed-again');
  }

  /** The active session changed: an offer for any other session (or none) ends. */
  sessionChanged(activeSessionId: string | undefined): void {
    if (this.offer && this.offer.sessionId !== activeSessionId) this.withdraw('session-ended');
    // A new session: the last save's confirmation has done its job.
    if (activeSessionId !== undefined) this.dismissSaved();
  }

  recordSaved(ep: Episode): void {
    this.close('saved');
    this.saved = { episodeId: ep.id, title: ep.issue.title, outcome: ep.outcome, attempts: ep.attempts.length };
    this.fire();
  }

  dismissSaved(): void {
    if (!this.saved) return;
    this.saved = null;
    this.fire();
  }

  dispose(): void {
    this.close('session-ended');
    this.listeners.clear();
  }

  private close(end: OfferEnd): boolean {
    const open = this.offer;
    if (!open) return false;
    this.offer = null;
    const settle = this.waiting.get(open);
    this.waiting.delete(open);
    settle?.(end);
    return true;
  }

  private fire(): void {
    for (const l of [...this.listeners]) l();
  }
}
