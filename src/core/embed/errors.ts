import { DejafixError } from '../util/errors';

/** Why texts could not be embedded, in words a user can act on. */
export type EmbedErrorCode =
  | 'config' // the embedding settings are invalid
  | 'model-load' // the built-in model could not be loaded
  | 'worker' // the built-in model's worker thread failed
  | 'unreachable' // the embedding server could not be reached
  | 'timeout' // the embedding server did not answer in time
  | 'auth' // 401/403
  | 'not-found' // 404: wrong base URL or unknown model
  | 'rate-limited' // 429 after the retries
  | 'server' // 5xx after the retries
  | 'request' // another 4xx: the server refused the request
  | 'bad-response' // the answer is not a valid embeddings response
  | 'disposed'; // used after dispose()

export class EmbedError extends DejafixError {
  declare readonly code: EmbedErrorCode;
  constructor(code: EmbedErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, { code, cause: options?.cause });
    this.name = 'EmbedError';
  }
}

export function disposedError(): EmbedError {
  return new EmbedError('disposed', 'The embedder was disposed.');
}
