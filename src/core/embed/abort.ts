/** One request's abort signal: fires when any of `signals` does, or after `timeoutMs`. */
export interface LinkedSignal {
  readonly signal: AbortSignal;
  /** True when the timeout, not one of the signals, aborted it. */
  readonly timedOut: boolean;
  /** Detaches from the long-lived signals and clears the timer; call when the request is over. */
  release(): void;
}

/**
 * Like `AbortSignal.any([...signals, AbortSignal.timeout(ms)])`, but releases its listeners and
 * timer explicitly, so a long-lived signal (the embedder's lifetime) does not collect one
 * dependent per request in a long-running extension host.
 */
export function linkSignals(signals: Array<AbortSignal | undefined>, timeoutMs: number): LinkedSignal {
  const controller = new AbortController();
  let timedOut = false;
  const detach: Array<() => void> = [];
  for (const s of signals) {
    if (!s) continue;
    if (s.aborted) {
      controller.abort(s.reason);
      break;
    }
    const onAbort = () => controller.abort(s.reason);
    s.addEventListener('abort', onAbort, { once: true });
    detach.push(() => s.removeEventListener('abort', onAbort));
  }
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new DOMException(`timed out after ${timeoutMs} ms`, 'TimeoutError'));
  }, timeoutMs);
  return {
    signal: controller.signal,
    get timedOut() {
      return timedOut;
    },
    release() {
      clearTimeout(timer);
      for (const d of detach) d();
    },
  };
}
