import { EmbedError } from './errors';

/** What an error message about a remote embedding request may mention. */
export interface EndpointContext {
  baseUrl: string;
  url: string;
  model: string;
  /** Redacted from anything the server echoes back. */
  apiKey?: string;
}

/** The gist of an error body: `error.message` (OpenAI), `error` (Ollama), `detail`/`message` (vLLM, FastAPI), else the text. */
export function serverSays(body: string, apiKey?: string): string {
  let text = body;
  try {
    const json: unknown = JSON.parse(body);
    const pick = (o: unknown, key: string): unknown => (o && typeof o === 'object' ? (o as Record<string, unknown>)[key] : undefined);
    const err = pick(json, 'error');
    const candidates = [pick(err, 'message'), err, pick(json, 'detail'), pick(json, 'message')];
    const found = candidates.find((c) => typeof c === 'string' && c.trim() !== '');
    if (typeof found === 'string') text = found;
  } catch {
    // not JSON: use the text itself
  }
  if (apiKey) text = text.split(apiKey).join('***');
  text = text
    .replace(/\p{Cc}+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

function withServerSays(message: string, body: string, ctx: EndpointContext): string {
  const said = serverSays(body, ctx.apiKey);
  return said ? `${message} Server said: "${said}"` : message;
}

/** The error for a non-2xx answer we will not (or no longer) retry. */
export function httpStatusError(status: number, statusText: string, body: string, ctx: EndpointContext, retries: number): EmbedError {
  const what = `${status}${statusText ? ` ${statusText}` : ''}`;
  const after = retries > 0 ? ` after ${retries} ${retries === 1 ? 'retry' : 'retries'}` : '';
  if (status === 401 || status === 403) {
    const hint = ctx.apiKey ? 'check the API key' : 'no API key is set, and this server needs one: check the API key setting';
    return new EmbedError(
      'auth',
      withServerSays(`The embedding server at ${ctx.baseUrl} refused the request (${what}): ${hint}.`, body, ctx),
    );
  }
  if (status === 404) {
    return new EmbedError(
      'not-found',
      withServerSays(
        `The embedding endpoint ${ctx.url} answered ${what}: check the base URL (OpenAI-compatible servers usually end in /v1, ` +
          `e.g. http://127.0.0.1:11434/v1 for Ollama) and the model "${ctx.model}" (does the server have it? Ollama: ollama pull ${ctx.model}).`,
        body,
        ctx,
      ),
    );
  }
  if (status === 429) {
    return new EmbedError(
      'rate-limited',
      withServerSays(
        `The embedding server at ${ctx.baseUrl} is rate-limiting requests (${what})${after}: try again later or use a smaller batch size.`,
        body,
        ctx,
      ),
    );
  }
  if (status >= 500) {
    return new EmbedError(
      'server',
      withServerSays(`The embedding server at ${ctx.baseUrl} failed (${what})${after} for model "${ctx.model}".`, body, ctx),
    );
  }
  return new EmbedError(
    'request',
    withServerSays(
      `The embedding server at ${ctx.baseUrl} rejected the request (${what}): check that "${ctx.model}" is an embedding model.`,
      body,
      ctx,
    ),
  );
}

/** The error for a request that got no HTTP answer at all. */
export function networkError(e: unknown, ctx: EndpointContext): EmbedError {
  const code = errorCode(e);
  const host = safeHost(ctx.baseUrl);
  if (code === 'ECONNREFUSED') {
    return new EmbedError(
      'unreachable',
      `Could not connect to the embedding server (connection refused): is the server running at ${ctx.baseUrl}?`,
      { cause: e },
    );
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return new EmbedError(
      'unreachable',
      `Could not resolve the host "${host}" of the embedding base URL ${ctx.baseUrl}: check the base URL and the network.`,
      { cause: e },
    );
  }
  const detail = code ?? (e instanceof Error ? (causeMessage(e) ?? e.message) : String(e));
  return new EmbedError(
    'unreachable',
    `Could not reach the embedding server at ${ctx.baseUrl} (${detail}): is the server running, and is the base URL right?`,
    { cause: e },
  );
}

/** Connection resets are worth another try; refused connections and unknown hosts are not. */
export function isRetryableNetworkError(e: unknown): boolean {
  const code = errorCode(e);
  return code === 'ECONNRESET' || code === 'EPIPE' || code === 'UND_ERR_SOCKET' || code === 'ETIMEDOUT';
}

/** Node's fetch wraps the system error: `TypeError('fetch failed', { cause: { code } })`. */
function errorCode(e: unknown): string | undefined {
  for (let cur: unknown = e, depth = 0; cur && depth < 4; cur = (cur as { cause?: unknown }).cause, depth++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    const nested = (cur as { errors?: unknown }).errors; // AggregateError from happy eyeballs
    if (Array.isArray(nested) && nested.length > 0) return errorCode(nested[0]);
  }
  return undefined;
}

function causeMessage(e: Error): string | undefined {
  const cause = (e as { cause?: unknown }).cause;
  return cause instanceof Error ? cause.message : undefined;
}

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
