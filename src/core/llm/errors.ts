import { DejafixError } from '../util/errors';

/** Why an LLM request failed, in words a user can act on. */
export type LlmErrorCode =
  | 'no-key' // no API key configured
  | 'auth' // 401/403: the key was refused
  | 'rate-limited' // 429, still after the retries
  | 'overloaded' // 529 / overloaded_error, still after the retries
  | 'server' // another 5xx, still after the retries
  | 'timeout' // no answer in time
  | 'unreachable' // the API could not be reached (DNS, refused, reset)
  | 'bad-request' // another 4xx: the request was refused (too long, unknown model…)
  | 'refusal' // the model declined to answer (stop_reason `refusal`)
  | 'max-tokens' // the answer was cut off at the token limit
  | 'malformed' // the answer is not what was asked for (bad JSON, wrong shape, no tool call)
  | 'aborted'; // the caller cancelled

/** Codes worth trying again later (a reflection that failed this way goes to the retry queue). */
export const TRANSIENT_CODES: ReadonlySet<LlmErrorCode> = new Set([
  'rate-limited',
  'overloaded',
  'server',
  'timeout',
  'unreachable',
  'refusal',
  'max-tokens',
  'malformed',
  'aborted',
]);

export class LlmError extends DejafixError {
  declare readonly code: LlmErrorCode;
  constructor(code: LlmErrorCode, message: string, options?: { cause?: unknown; requestId?: string; status?: number }) {
    super(message, { code, cause: options?.cause });
    this.name = 'LlmError';
    this.requestId = options?.requestId;
    this.status = options?.status;
  }

  readonly requestId?: string;
  readonly status?: number;

  /** True when trying again later may succeed without the user changing anything. */
  get transient(): boolean {
    return TRANSIENT_CODES.has(this.code);
  }
}

export function isLlmError(e: unknown): e is LlmError {
  return e instanceof LlmError;
}
