import { silentLogger, type Logger } from '../util/logger';
import type { Embedder } from './embedder';
import { linkSignals } from './abort';
import { disposedError, EmbedError } from './errors';
import { httpStatusError, isRetryableNetworkError, networkError, type EndpointContext } from './httpErrors';
import { parseEmbeddingsResponse } from './openaiResponse';
import { backoffMs, isRetryableStatus, retryAfterMs, sleep } from './retry';
import { assertTexts, REMOTE_MAX_CHARS, truncateChars } from './text';
import { inBatches, normalized } from './vectors';

export const REMOTE_DEFAULT_TIMEOUT_MS = 30_000;
export const REMOTE_DEFAULT_BATCH_SIZE = 32;

export interface OpenAiCompatibleOptions {
  /** e.g. `http://127.0.0.1:11434/v1` (Ollama), `https://api.openai.com/v1`; `…/embeddings` is accepted too. */
  baseUrl: string;
  model: string;
  /** Sent as `Authorization: Bearer …` when set. */
  apiKey?: string;
  /** Per HTTP request (default 30 s). */
  timeoutMs?: number;
  /** Texts per request (default 32). */
  batchSize?: number;
  /** Expected vector length: makes `id` known before the first call; other lengths are rejected. */
  dimensions?: number;
  /** Retries after 429/5xx or a reset connection (default 4). */
  maxRetries?: number;
  /** First backoff when the server gives no retry-after (default 500 ms; doubles each time). */
  retryBaseDelayMs?: number;
  /** Longest single wait; a server asking for more fails the call instead (default 20 s). */
  maxRetryDelayMs?: number;
  log?: Logger;
}

/**
 * Embeddings from any server speaking the OpenAI embeddings wire format: POST
 * `{baseUrl}/embeddings` with `{ model, input: [...] }`, answer `{ data: [{ embedding, index }] }`.
 * Works with Ollama, LM Studio, vLLM, llama.cpp server, OpenAI and Voyage. Vectors are
 * L2-normalised here, since not every server does it.
 */
export class OpenAiCompatibleEmbedder implements Embedder {
  private dims: number | undefined;
  private readonly ctx: EndpointContext;
  private readonly timeoutMs: number;
  private readonly batchSize: number;
  private readonly maxRetries: number;
  private readonly retryBaseDelayMs: number;
  private readonly maxRetryDelayMs: number;
  private readonly log: Logger;
  private readonly lifetime = new AbortController();

  constructor(options: OpenAiCompatibleOptions) {
    const target = new URL(options.baseUrl);
    if (target.username || target.password) {
      // fetch refuses such URLs; and a key belongs in apiKey, not in logs
      throw new EmbedError(
        'config',
        'The embedding base URL must not contain a user name or password: put the key in the API key setting.',
      );
    }
    const path = target.pathname.replace(/\/+$/, '');
    target.pathname = /\/embeddings$/.test(path) ? path : `${path}/embeddings`;
    // messages and logs show the base URL without its query
    const baseUrl = `${target.origin}${path}`;
    this.ctx = { baseUrl, url: target.href, model: options.model, apiKey: options.apiKey || undefined };
    this.dims = options.dimensions;
    this.timeoutMs = options.timeoutMs ?? REMOTE_DEFAULT_TIMEOUT_MS;
    this.batchSize = options.batchSize ?? REMOTE_DEFAULT_BATCH_SIZE;
    this.maxRetries = options.maxRetries ?? 4;
    this.retryBaseDelayMs = options.retryBaseDelayMs ?? 500;
    this.maxRetryDelayMs = options.maxRetryDelayMs ?? 20_000;
    this.log = options.log ?? silentLogger;
  }

  /** `openai:<model>:<dimensions>`; Ollama's implicit `:latest` tag is dropped so both spellings match. */
  get id(): string {
    return `openai:${this.ctx.model.replace(/:latest$/, '')}:${this.dims ?? '?'}`;
  }

  get dimensions(): number | undefined {
    return this.dims;
  }

  async embed(texts: string[], signal?: AbortSignal): Promise<Float32Array[]> {
    if (this.lifetime.signal.aborted) throw disposedError();
    signal?.throwIfAborted();
    assertTexts(texts);
    if (texts.length === 0) return [];
    const out: Float32Array[] = [];
    for (const batch of inBatches(
      texts.map((t) => truncateChars(t, REMOTE_MAX_CHARS)),
      this.batchSize,
    )) {
      const vectors = await this.request(batch, signal);
      const width = vectors[0].length;
      if (this.dims !== undefined && width !== this.dims) {
        throw new EmbedError(
          'bad-response',
          `The embedding server at ${this.ctx.baseUrl} returned ${width}-dimensional vectors for model "${this.ctx.model}", ` +
            `but ${this.dims} were expected: the model behind that name changed, or the dimensions setting is wrong. ` +
            'Vectors of different models cannot be mixed.',
        );
      }
      for (let i = 0; i < vectors.length; i++) {
        const v = normalized(vectors[i]);
        if (!v)
          throw new EmbedError(
            'bad-response',
            `The embedding server at ${this.ctx.baseUrl} returned an all-zero vector (text ${out.length + 1}).`,
          );
        out.push(v);
      }
      this.dims = width;
    }
    return out;
  }

  async dispose(): Promise<void> {
    this.lifetime.abort(disposedError());
  }

  /** One batch, with retries; resolves to the vectors in input order. */
  private async request(input: string[], signal: AbortSignal | undefined): Promise<number[][]> {
    const body = JSON.stringify({ model: this.ctx.model, input });
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
    if (this.ctx.apiKey) headers.authorization = `Bearer ${this.ctx.apiKey}`;

    for (let attempt = 0; ; attempt++) {
      const call = linkSignals([signal, this.lifetime.signal], this.timeoutMs);
      let status: number;
      let statusText: string;
      let text: string;
      let headersIn: Headers;
      try {
        const res = await fetch(this.ctx.url, { method: 'POST', headers, body, signal: call.signal });
        ({ status, statusText, headers: headersIn } = res);
        text = await res.text();
      } catch (e) {
        if (signal?.aborted) throw signal.reason;
        if (this.lifetime.signal.aborted) throw disposedError();
        if (call.timedOut) {
          throw new EmbedError(
            'timeout',
            `The embedding server at ${this.ctx.baseUrl} did not answer within ${this.timeoutMs} ms (model "${this.ctx.model}"): ` +
              'it may be overloaded or still loading the model; raise the timeout if it is just slow.',
            { cause: e },
          );
        }
        if (attempt < this.maxRetries && isRetryableNetworkError(e)) {
          await this.wait(backoffMs(attempt, this.retryBaseDelayMs, this.maxRetryDelayMs), 'a dropped connection', attempt, signal);
          continue;
        }
        throw networkError(e, this.ctx);
      } finally {
        call.release();
      }
      if (status >= 200 && status < 300) return parseEmbeddingsResponse(text, input.length, this.ctx.baseUrl);
      if (attempt < this.maxRetries && isRetryableStatus(status)) {
        const asked = retryAfterMs(headersIn);
        if (asked === undefined || asked <= this.maxRetryDelayMs) {
          const delay = asked ?? backoffMs(attempt, this.retryBaseDelayMs, this.maxRetryDelayMs);
          await this.wait(delay, `HTTP ${status}`, attempt, signal);
          continue;
        }
        this.log.warn(`Embedding server asked to wait ${Math.ceil(asked / 1000)} s after HTTP ${status}; not waiting that long`);
      }
      throw httpStatusError(status, statusText, text, this.ctx, attempt);
    }
  }

  private async wait(ms: number, why: string, attempt: number, signal: AbortSignal | undefined): Promise<void> {
    this.log.warn(`Embedding request to ${this.ctx.baseUrl} got ${why}; retry ${attempt + 1}/${this.maxRetries} in ${Math.round(ms)} ms`);
    try {
      await sleep(ms, [signal, this.lifetime.signal]);
    } catch (e) {
      if (this.lifetime.signal.aborted) throw disposedError();
      throw e;
    }
  }
}
