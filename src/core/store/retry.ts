import { errorText } from '../util/errors';
/**
 * Lance commits optimistically: two writers that touch the same files race, and the loser gets a
 * commit conflict. Lance retries most of these itself; what still reaches us is retried here with
 * jittered backoff so that several VS Code windows and CLI runs can write to one store.
 */
const RETRYABLE = /conflict|retryable|concurrent|commit.*(failed|retry)|too many concurrent writers/i;

export interface RetryOptions {
  attempts?: number;
  baseDelayMs?: number;
}

export function isRetryableCommitError(e: unknown): boolean {
  return RETRYABLE.test(errorText(e));
}

export async function withCommitRetry<T>(op: () => Promise<T>, opts: RetryOptions = {}): Promise<T> {
  const attempts = opts.attempts ?? 8;
  const base = opts.baseDelayMs ?? 20;
  for (let i = 1; ; i++) {
    try {
      return await op();
    } catch (e) {
      if (i >= attempts || !isRetryableCommitError(e)) throw e;
      const delay = base * 2 ** (i - 1) * (0.5 + Math.random());
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}
