// The Anthropic provider, on the official SDK. The SDK does the retrying: it retries 408, 409,
// 429 and 5xx (and connection errors) with exponential backoff, waiting as long as a
// `retry-after` / `retry-after-ms` header asks; `maxRetries` bounds it. Everything else here is
// mapping to the provider-neutral types and errors, and logging token usage.
import type Anthropic from '@anthropic-ai/sdk';
import { childLogger, silentLogger, type Logger } from '../util/logger';
import { toLlmError } from './anthropicErrors';
import { LlmError } from './errors';
import type { LlmCompletion, LlmProvider, LlmRequest, LlmStopReason, LlmStructured, LlmTool, LlmUsage } from './provider';
import { parseToolInput, toolInputSchema } from './structured';

type Sdk = typeof import('@anthropic-ai/sdk');
type Message = Anthropic.Messages.Message;

/** The default model: the current Claude Sonnet (claude-sonnet-4-5 is deprecated, end of life 2026-11-30). */
export const DEFAULT_ANTHROPIC_MODEL = 'claude-sonnet-5-5';
export const DEFAULT_ANTHROPIC_BASE_URL = 'https://api.anthropic.com';
export const ANTHROPIC_DEFAULTS = { timeoutMs: 120_000, maxRetries: 3, maxTokens: 4096 } as const;

export interface AnthropicProviderOptions {
  /** The API key; the CLI reads ANTHROPIC_API_KEY, the editor its SecretStorage. */
  apiKey: string | undefined;
  model?: string;
  /** Another endpoint speaking the Messages API (a proxy, or the tests' server). */
  baseURL?: string;
  /** Per HTTP attempt, in ms (default 120 s). */
  timeoutMs?: number;
  /** Retries after the first try for 429/5xx/timeouts (default 3). */
  maxRetries?: number;
  /** Default answer length bound (4096). */
  maxTokens?: number;
  /** Streams the structured answer (SSE) instead of one JSON response (default true). */
  streamStructured?: boolean;
  log?: Logger;
}

let sdkModule: Sdk | undefined;
async function loadSdk(): Promise<Sdk> {
  // Loaded on first use: activation and `dejafix --help` must not pay for it.
  sdkModule ??= await import('@anthropic-ai/sdk');
  return sdkModule;
}

export class AnthropicProvider implements LlmProvider {
  readonly model: string;
  readonly id: string;
  private readonly log: Logger;
  private readonly baseURL: string;
  private readonly timeoutMs: number;
  private readonly maxRetries: number;
  private client: Anthropic | undefined;

  constructor(private readonly opts: AnthropicProviderOptions) {
    if (!opts.apiKey?.trim()) {
      throw new LlmError(
        'no-key',
        'No Anthropic API key. Set ANTHROPIC_API_KEY for the CLI, or run "Dejafix: Set Anthropic API Key" in the editor.',
      );
    }
    this.model = opts.model?.trim() || DEFAULT_ANTHROPIC_MODEL;
    this.id = `anthropic:${this.model}`;
    this.log = childLogger(opts.log ?? silentLogger, 'llm');
    this.baseURL = (opts.baseURL?.trim() || DEFAULT_ANTHROPIC_BASE_URL).replace(/\/+$/, '');
    this.timeoutMs = opts.timeoutMs ?? ANTHROPIC_DEFAULTS.timeoutMs;
    this.maxRetries = opts.maxRetries ?? ANTHROPIC_DEFAULTS.maxRetries;
  }

  async complete(req: LlmRequest): Promise<LlmCompletion> {
    return this.call(async (client) => {
      const { data, request_id } = await client.messages.create(this.params(req), { signal: req.signal }).withResponse();
      return this.completion(data, request_id ?? undefined);
    });
  }

  async stream(req: LlmRequest, onText: (delta: string) => void): Promise<LlmCompletion> {
    return this.call(async (client) => {
      const s = client.messages.stream(this.params(req), { signal: req.signal });
      s.on('text', (delta) => onText(delta));
      const msg = await s.finalMessage();
      return this.completion(msg, s.request_id ?? undefined);
    });
  }

  async structured<T>(req: LlmRequest, tool: LlmTool<T>): Promise<LlmStructured<T>> {
    const tools = [
      { name: tool.name, description: tool.description, input_schema: toolInputSchema(tool) as Anthropic.Messages.Tool.InputSchema },
    ];
    const params = { ...this.params(req), tools, tool_choice: { type: 'tool' as const, name: tool.name, disable_parallel_tool_use: true } };
    return this.call(async (client) => {
      let msg: Message;
      let requestId: string | undefined;
      if (this.opts.streamStructured ?? true) {
        const s = client.messages.stream(params, { signal: req.signal });
        msg = await s.finalMessage();
        requestId = s.request_id ?? undefined;
      } else {
        const r = await client.messages.create(params, { signal: req.signal }).withResponse();
        msg = r.data;
        requestId = r.request_id ?? undefined;
      }
      const done = this.completion(msg, requestId);
      if (done.stopReason === 'max-tokens') {
        throw new LlmError(
          'max-tokens',
          `The answer was cut off at ${params.max_tokens} tokens before the ${tool.name} call was complete. The work is kept and retried later.`,
          { requestId },
        );
      }
      const call = msg.content.find((b): b is Anthropic.Messages.ToolUseBlock => b.type === 'tool_use' && b.name === tool.name);
      if (!call)
        throw new LlmError('malformed', `The model answered without calling ${tool.name}. The work is kept and retried later.`, {
          requestId,
        });
      let input: unknown;
      try {
        input = call.input;
      } catch (e) {
        throw new LlmError('malformed', `The model's ${tool.name} call is not valid JSON. The work is kept and retried later.`, {
          cause: e,
          requestId,
        });
      }
      return { value: parseToolInput(tool, input), usage: done.usage, model: done.model, requestId };
    });
  }

  private params(req: LlmRequest): Anthropic.Messages.MessageCreateParamsNonStreaming {
    return {
      model: this.model,
      max_tokens: req.maxTokens ?? this.opts.maxTokens ?? ANTHROPIC_DEFAULTS.maxTokens,
      messages: req.messages.map((m) => ({ role: m.role, content: m.content })),
      ...(req.system ? { system: req.system } : {}),
      ...(req.temperature !== undefined ? { temperature: req.temperature } : {}),
    };
  }

  private async call<T>(work: (client: Anthropic) => Promise<T>): Promise<T> {
    const sdk = await loadSdk();
    try {
      return await work(this.getClient(sdk));
    } catch (e) {
      const err = toLlmError(e, sdk, { baseURL: this.baseURL, timeoutMs: this.timeoutMs, maxRetries: this.maxRetries });
      this.log.warn(`${this.id}: ${err.message}`);
      throw err;
    }
  }

  private getClient(sdk: Sdk): Anthropic {
    const log = childLogger(this.log, 'anthropic');
    this.client ??= new sdk.Anthropic({
      apiKey: this.opts.apiKey,
      baseURL: this.baseURL,
      timeout: this.timeoutMs,
      maxRetries: this.maxRetries,
      openTelemetry: false,
      // The SDK's own lines (one per retry) go to our log, never to the console.
      logLevel: 'info',
      logger: {
        error: (m: string) => log.error(m),
        warn: (m: string) => log.warn(m),
        info: (m: string) => log.debug(m),
        debug: (m: string) => log.debug(m),
      },
    });
    return this.client;
  }

  private completion(msg: Message, requestId: string | undefined): LlmCompletion {
    const usage = usageOf(msg.usage);
    const cache =
      usage.cacheReadTokens || usage.cacheWriteTokens
        ? `, cache ${usage.cacheReadTokens ?? 0} read / ${usage.cacheWriteTokens ?? 0} written`
        : '';
    this.log.info(
      `${msg.model}: ${usage.inputTokens} input + ${usage.outputTokens} output tokens${cache}${requestId ? ` (request ${requestId})` : ''}`,
    );
    const stopReason = stopReasonOf(msg.stop_reason);
    if (stopReason === 'refusal') {
      const why = msg.stop_details?.explanation ?? msg.stop_details?.category ?? 'no reason given';
      throw new LlmError(
        'refusal',
        `The model declined to answer (${why}). The work is kept and retried later; if it keeps happening, check the input.`,
        { requestId },
      );
    }
    const text = msg.content
      .filter((b): b is Anthropic.Messages.TextBlock => b.type === 'text')
      .map((b) => b.text)
      .join('');
    return { text, stopReason, usage, model: msg.model, requestId };
  }
}

function usageOf(u: Anthropic.Messages.Usage | undefined): LlmUsage {
  const out: LlmUsage = { inputTokens: u?.input_tokens ?? 0, outputTokens: u?.output_tokens ?? 0 };
  if (u?.cache_read_input_tokens) out.cacheReadTokens = u.cache_read_input_tokens;
  if (u?.cache_creation_input_tokens) out.cacheWriteTokens = u.cache_creation_input_tokens;
  return out;
}

function stopReasonOf(r: string | null | undefined): LlmStopReason {
  switch (r) {
    case 'end_turn':
      return 'end';
    case 'max_tokens':
      return 'max-tokens';
    case 'stop_sequence':
      return 'stop-sequence';
    case 'tool_use':
      return 'tool-use';
    case 'refusal':
      return 'refusal';
    default:
      return 'other';
  }
}
