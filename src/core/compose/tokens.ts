// Token counting for the prompt budget: the one counter of core/llm, plus what the Messages API adds.
export { TOKENIZER_SAFETY_MARGIN, limitFor, tokenCounter, countTokens, type TokenCounter } from '../llm/tokens';

/** Tokens the Messages API adds around the system prompt and one user message (role markers). */
export const FRAMING_TOKENS = 8;
