/** Waiting between retries of a remote embedding request. */

/** HTTP statuses worth retrying: rate limits and transient server trouble. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status === 500 || status === 502 || status === 503 || status === 504;
}

/**
 * How long the server asked us to wait, in ms: `retry-after-ms` (OpenAI), else `retry-after` as
 * seconds or an HTTP date. `undefined` when it did not say (or said something unreadable).
 */
export function retryAfterMs(headers: Headers, now = Date.now()): number | undefined {
  const ms = headers.get('retry-after-ms');
  if (ms !== null && ms.trim() !== '' && Number.isFinite(Number(ms)) && Number(ms) >= 0) return Number(ms);
  const value = headers.get('retry-after');
  if (value === null || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return seconds >= 0 ? seconds * 1000 : undefined;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Exponential backoff with jitter: base, 2×base, 4×base … each ×0.5–1.5, capped at `max`. */
export function backoffMs(attempt: number, baseMs: number, maxMs: number): number {
  return Math.min(maxMs, baseMs * 2 ** attempt * (0.5 + Math.random()));
}

/** Resolves after `ms`, or rejects with the reason of the first of `signals` to abort. */
export function sleep(ms: number, signals: Array<AbortSignal | undefined>): Promise<void> {
  return new Promise((resolve, reject) => {
    const live = signals.filter((s): s is AbortSignal => s !== undefined);
    const already = live.find((s) => s.aborted);
    if (already) {
      reject(already.reason);
      return;
    }
    const listeners = live.map((s) => {
      const onAbort = () => {
        done();
        reject(s.reason);
      };
      s.addEventListener('abort', onAbort, { once: true });
      return () => s.removeEventListener('abort', onAbort);
    });
    const timer = setTimeout(() => {
      done();
      resolve();
    }, ms);
    function done() {
      clearTimeout(timer);
      for (const remove of listeners) remove();
    }
  });
}
