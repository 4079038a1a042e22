// The LLM seam of the core: reflection (and later prompt composition) talk to a model only through
// this interface. The Anthropic provider implements it on the official SDK; the editor adds a
// VS Code language-model provider behind the same interface. Nothing here names a vendor.
import type { z } from 'zod';

export interface LlmMessage {
  role: 'user' | 'assistant';
  content: string;
}

export interface LlmRequest {
  /** Standing instructions; kept apart from `messages`, which carry data. */
  system?: string;
  messages: LlmMessage[];
  /** Upper bound on the answer's length in tokens (default: the provider's). */
  maxTokens?: number;
  temperature?: number;
  /** Cancels the request; the call then rejects with an `LlmError` of code `aborted`. */
  signal?: AbortSignal;
}

/** Why the model stopped, in provider-neutral words. */
export type LlmStopReason = 'end' | 'max-tokens' | 'stop-sequence' | 'tool-use' | 'refusal' | 'other';

export interface LlmUsage {
  inputTokens: number;
  outputTokens: number;
  /** Prompt-cache reads and writes, when the provider reports them. */
  cacheReadTokens?: number;
  cacheWriteTokens?: number;
}

export interface LlmCompletion {
  text: string;
  stopReason: LlmStopReason;
  usage: LlmUsage;
  /** The model that answered (as the provider names it). */
  model: string;
  /** The provider's id for the request, for support and logs. */
  requestId?: string;
}

/**
 * A tool the model must call to answer, which gives structured output: its input is validated
 * with `schema`, so a value that reaches the caller always has the schema's type.
 */
export interface LlmTool<T> {
  /** `^[a-zA-Z0-9_-]{1,64}$`. */
  name: string;
  /** Tells the model what the tool is for and how to fill it in. */
  description: string;
  schema: z.ZodType<T>;
}

export interface LlmStructured<T> {
  value: T;
  usage: LlmUsage;
  model: string;
  requestId?: string;
}

export interface LlmProvider {
  /** `vendor:model`, e.g. `anthropic:claude-sonnet-5-5`; used in logs and in the retry queue. */
  readonly id: string;
  readonly model: string;
  /** One answer as text. */
  complete(req: LlmRequest): Promise<LlmCompletion>;
  /** One answer, delivered piece by piece to `onText` as it arrives; resolves to the whole. */
  stream(req: LlmRequest, onText: (delta: string) => void): Promise<LlmCompletion>;
  /**
   * Makes the model answer by calling `tool`; resolves to the validated tool input. Rejects with
   * `LlmError` code `malformed` when the answer is not a valid call (not JSON, wrong shape, no
   * call at all), `refusal` when the model declined, `max-tokens` when the answer was cut off.
   */
  structured<T>(req: LlmRequest, tool: LlmTool<T>): Promise<LlmStructured<T>>;
}
