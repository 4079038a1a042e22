// The one error convention: use cases throw a DejafixError (or a subclass) with a stable `code`
// for programs and a `userMessage` for people; the front door (editor, CLI, MCP) decides how to
// show it. Only Node built-ins, so the editor can use it at activation.

export interface DejafixErrorOptions {
  /** Stable, machine-readable reason (e.g. `not-found`, `read-only`); defaults to `error`. */
  code?: string;
  /** What a person should read; defaults to the message. */
  userMessage?: string;
  cause?: unknown;
}

export class DejafixError extends Error {
  readonly code: string;
  readonly userMessage: string;

  constructor(message: string, options: DejafixErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'DejafixError';
    this.code = options.code ?? 'error';
    this.userMessage = options.userMessage ?? message;
  }
}

/** The message of any thrown value (an Error's message, anything else as a string). */
export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** What to tell a person: a DejafixError's user message, else the message. */
export function userMessageOf(e: unknown): string {
  return e instanceof DejafixError ? e.userMessage : errorText(e);
}

/** The code of a DejafixError (or of any error carrying a string `code`, like Node's `ENOENT`). */
export function errorCode(e: unknown): string | undefined {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** Causes followed at most this deep (a cycle of causes must not loop). */
const MAX_CAUSES = 8;

/**
 * For logs: the error's stack (or message) and every `cause` below it, one "caused by:" line
 * each — what went wrong at the top and the underlying failure at the bottom.
 */
export function errorDetail(e: unknown): string {
  const lines = [e instanceof Error ? (e.stack ?? `${e.name}: ${e.message}`) : String(e)];
  const seen = new Set<unknown>([e]);
  let cause = e instanceof Error ? e.cause : undefined;
  while (cause !== undefined && !seen.has(cause) && seen.size <= MAX_CAUSES) {
    seen.add(cause);
    lines.push(`caused by: ${cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause)}`);
    cause = cause instanceof Error ? cause.cause : undefined;
  }
  return lines.join('\n');
}
