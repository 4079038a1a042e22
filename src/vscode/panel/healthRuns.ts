// The Memory Health measurements in progress (one per request id, so Cancel stops the right one),
// and whether the command asked for the view before the panel was there to receive it.
export class HealthRuns {
  private readonly runs = new Map<string, AbortController>();
  /** Set by "Show Memory Health"; cleared when the panel starts measuring. */
  wanted = false;

  start(requestId: string): AbortSignal {
    this.runs.get(requestId)?.abort();
    const c = new AbortController();
    this.runs.set(requestId, c);
    return c.signal;
  }

  finish(requestId: string): void {
    this.runs.delete(requestId);
  }

  cancel(requestId: string): boolean {
    const c = this.runs.get(requestId);
    c?.abort();
    return c !== undefined;
  }

  stopAll(): void {
    for (const c of this.runs.values()) c.abort();
    this.runs.clear();
  }
}
