// Turns what the Anthropic SDK throws into an LlmError whose message says what to do.
import { LlmError } from './errors';
import { errorText } from '../util/errors';

type Sdk = typeof import('@anthropic-ai/sdk');

export interface ErrorContext {
  baseURL: string;
  timeoutMs: number;
  maxRetries: number;
}

export function toLlmError(e: unknown, sdk: Sdk, ctx: ErrorContext): LlmError {
  if (e instanceof LlmError) return e;
  const tries = `${ctx.maxRetries + 1} tries`;
  if (e instanceof sdk.APIUserAbortError || (e instanceof Error && e.name === 'AbortError')) {
    return new LlmError('aborted', 'The request to the Anthropic API was cancelled.', { cause: e });
  }
  if (e instanceof sdk.APIConnectionTimeoutError) {
    return new LlmError(
      'timeout',
      `The Anthropic API did not answer within ${Math.round(ctx.timeoutMs / 1000)} s (${tries}). Try again later, or raise the timeout.`,
      { cause: e },
    );
  }
  if (e instanceof sdk.APIConnectionError) {
    const why = e.cause instanceof Error ? e.cause.message : e.message;
    return new LlmError(
      'unreachable',
      `Cannot reach the Anthropic API at ${ctx.baseURL} (${why}). Check the network connection and the base URL.`,
      { cause: e },
    );
  }
  if (e instanceof sdk.APIError) {
    const opts = { cause: e, requestId: e.requestID ?? undefined, status: e.status };
    const detail = e.apiMessage ?? e.message;
    const req = e.requestID ? ` (request ${e.requestID})` : '';
    if (e instanceof sdk.AuthenticationError || e instanceof sdk.PermissionDeniedError) {
      return new LlmError(
        'auth',
        `The Anthropic API refused the API key (${e.status}: ${detail}). Check the key (ANTHROPIC_API_KEY for the CLI, "Dejafix: Set Anthropic API Key" in the editor).`,
        opts,
      );
    }
    if (e instanceof sdk.RateLimitError || e.type === 'rate_limit_error') {
      const after = e.headers?.get('retry-after');
      return new LlmError(
        'rate-limited',
        `The Anthropic API is rate limiting this key (429) and still was after ${tries}${after ? `; it asks to wait ${after} s` : ''}. The work is kept and retried later.${req}`,
        opts,
      );
    }
    if (e instanceof sdk.OverloadedError || e.type === 'overloaded_error') {
      return new LlmError('overloaded', `The Anthropic API is overloaded (${detail}). The work is kept and retried later.${req}`, opts);
    }
    if (e instanceof sdk.InternalServerError || e.status === undefined || e.type === 'api_error') {
      return new LlmError(
        'server',
        `The Anthropic API failed (${e.status ?? 'stream error'}: ${detail}) after ${tries}. The work is kept and retried later.${req}`,
        opts,
      );
    }
    if (e instanceof sdk.NotFoundError) {
      return new LlmError(
        'bad-request',
        `The Anthropic API does not know this model or endpoint (404: ${detail}). Check the model name and the base URL.${req}`,
        opts,
      );
    }
    return new LlmError('bad-request', `The Anthropic API refused the request (${e.status}: ${detail}).${req}`, opts);
  }
  if (e instanceof SyntaxError || e instanceof sdk.AnthropicError) {
    return new LlmError(
      'malformed',
      `The Anthropic API sent an answer that cannot be read (${e.message.slice(0, 200)}). The work is kept and retried later.`,
      { cause: e },
    );
  }
  const msg = errorText(e);
  return new LlmError('unreachable', `The request to the Anthropic API failed: ${msg.slice(0, 300)}`, { cause: e });
}
