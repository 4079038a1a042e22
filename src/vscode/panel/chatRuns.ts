// The reply being streamed, if any: one at a time per panel. It lives in the host, so a reply keeps
// streaming (and is saved) while the panel is hidden, and a reloaded panel picks it up again.
import type { ProviderId } from '../../shared/viewModel';

export interface ChatRun {
  readonly requestId: string;
  /** The conversation it belongs to. */
  readonly key: string;
  readonly provider: ProviderId;
  /** The reply so far. */
  text: string;
  readonly abort: AbortController;
  /** The conversation was cleared meanwhile: the reply must not be saved into it. */
  discarded: boolean;
}

export class ChatRuns {
  private current: ChatRun | null = null;

  get active(): ChatRun | null {
    return this.current;
  }

  /** Starts a run, or returns null when one is already streaming. */
  start(requestId: string, key: string, provider: ProviderId): ChatRun | null {
    if (this.current) return null;
    this.current = { requestId, key, provider, text: '', abort: new AbortController(), discarded: false };
    return this.current;
  }

  finish(run: ChatRun): void {
    if (this.current === run) this.current = null;
  }

  /** Aborts the run with this request id; false when there is none. */
  stop(requestId: string): boolean {
    if (!this.current || this.current.requestId !== requestId) return false;
    this.current.abort.abort();
    return true;
  }

  stopAll(): void {
    this.current?.abort.abort();
  }
}
