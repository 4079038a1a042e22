// Token counts for prompt budgets. @anthropic-ai/tokenizer is the tokenizer of earlier Claude
// models; current models split the same text into somewhat more tokens, so every count is
// scaled by TOKEN_MARGIN before it is compared with a budget.
type Tokenizer = ReturnType<(typeof import('@anthropic-ai/tokenizer'))['getTokenizer']>;

/** Counts are multiplied by this: newer Claude tokenizers give up to ~35% more tokens. */
export const TOKEN_MARGIN = 1.35;

/** Without the tokenizer (its WebAssembly could not load), a token is taken as 3 characters. */
const CHARS_PER_TOKEN_FALLBACK = 3;

let tokenizer: Tokenizer | null | undefined;

function load(): Tokenizer | null {
  if (tokenizer !== undefined) return tokenizer;
  try {
    // Building the tokenizer takes ~150 ms, so one is kept for the life of the process.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    tokenizer = (require('@anthropic-ai/tokenizer') as typeof import('@anthropic-ai/tokenizer')).getTokenizer();
  } catch {
    tokenizer = null;
  }
  return tokenizer;
}

/** Tokens of `text` by the Claude tokenizer, times TOKEN_MARGIN, rounded up. */
export function estimateTokens(text: string): number {
  if (!text) return 0;
  const t = load();
  const raw = t ? t.encode(text.normalize('NFKC'), 'all').length : text.length / CHARS_PER_TOKEN_FALLBACK;
  return Math.ceil(raw * TOKEN_MARGIN);
}
