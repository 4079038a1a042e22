export type { LlmCompletion, LlmMessage, LlmProvider, LlmRequest, LlmStopReason, LlmStructured, LlmTool, LlmUsage } from './provider';
export { LlmError, isLlmError, TRANSIENT_CODES, type LlmErrorCode } from './errors';
export {
  AnthropicProvider,
  ANTHROPIC_DEFAULTS,
  DEFAULT_ANTHROPIC_BASE_URL,
  DEFAULT_ANTHROPIC_MODEL,
  type AnthropicProviderOptions,
} from './anthropic';
export { parseToolInput, toolInputSchema } from './structured';
export { countTokens, limitFor, tokenCounter, TOKENIZER_SAFETY_MARGIN, type TokenCounter } from './tokens';
