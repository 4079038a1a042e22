// Token counting for the prompt budget, with Anthropic's tokenizer package.

/**
 * The share of the budget kept in reserve. `@anthropic-ai/tokenizer` is the tokenizer of Claude 2;
 * Claude 3 and later models use other tokenizers, so for them its count is an estimate that can
 * be low, and counting in pieces (below) shifts it by about 1%. Composing to 85% of the budget
 * keeps a prompt composed for N tokens under N unless a model needs over 17% more tokens than
 * Claude 2 for the same text. For an exact figure, ask the API (`messages.countTokens`).
 */
export const TOKENIZER_SAFETY_MARGIN = 0.15;

/** Tokens the Messages API adds around the system prompt and one user message (role markers). */
export const FRAMING_TOKENS = 8;

/** The budget a prompt is composed to: the requested one less the safety margin. */
export function limitFor(budget: number): number {
  return Math.floor(budget * (1 - TOKENIZER_SAFETY_MARGIN));
}

export interface TokenCounter {
  count(text: string): number;
}

let shared: Promise<TokenCounter> | undefined;

/**
 * Text is counted line by line, and a line longer than PIECE characters in PIECE-sized parts:
 * - the tokenizer's byte-pair merge takes time quadratic in a word's length (a 2 MB minified
 *   line takes minutes whole) and its WebAssembly aborts on multi-megabyte words;
 * - while the budget is fitted, the same lines are counted again and again, so counts are cached.
 * Tokens never span a line end in practice, and a cut inside a long line loses at most the merges
 * across it: measured on this repository's README and demo memory, the sum is 0.2–1% above the
 * count of the whole text, never below it by more than the safety margin could notice.
 */
const PIECE = 256;
/** Cached pieces (each at most PIECE characters, so the cache stays under ~10 MB). */
const CACHE_ENTRIES = 20_000;
const LINE = /[^\n]*\n|[^\n]+/g;

/**
 * The counter, loaded on first use (the tokenizer's tables take ~100 ms to build) and shared.
 * Text is NFKC-normalised as the package's own `countTokens` does; special-token names in the
 * text are counted as ordinary text, never as one special token.
 */
export function tokenCounter(): Promise<TokenCounter> {
  shared ??= import('@anthropic-ai/tokenizer').then((m) => {
    const tokenizer = m.getTokenizer();
    const cache = new Map<string, number>();
    const piece = (p: string): number => {
      const hit = cache.get(p);
      if (hit !== undefined) return hit;
      const n = tokenizer.encode(p, [], []).length;
      if (cache.size >= CACHE_ENTRIES) cache.clear();
      cache.set(p, n);
      return n;
    };
    return {
      count(text: string): number {
        let n = 0;
        for (const [line] of text.normalize('NFKC').matchAll(LINE)) {
          if (line.length <= PIECE) n += piece(line);
          else for (let i = 0; i < line.length; ) {
            const end = safeCut(line, Math.min(line.length, i + PIECE));
            n += piece(line.slice(i, end));
            i = end;
          }
        }
        return n;
      },
    };
  });
  return shared;
}

/** `at`, or one less when `at` would split a surrogate pair. */
function safeCut(text: string, at: number): number {
  const code = text.charCodeAt(at - 1);
  return at < text.length && code >= 0xd800 && code <= 0xdbff ? at - 1 : at;
}
