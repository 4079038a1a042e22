// Token counting for every prompt budget (composed prompts, reflection requests, usage estimates),
// with Anthropic's tokenizer package: one counter, one safety margin.
type Tokenizer = ReturnType<(typeof import('@anthropic-ai/tokenizer'))['getTokenizer']>;

/**
 * The share of a budget kept in reserve. `@anthropic-ai/tokenizer` is the tokenizer of Claude 2;
 * Claude 3 and later models use other tokenizers, so for them its count is an estimate that can
 * be low, and counting in pieces (below) shifts it by about 1%. Fitting to 85% of the budget
 * keeps a prompt fitted to N tokens under N unless a model needs over 17% more tokens than
 * Claude 2 for the same text. For an exact figure, ask the API (`messages.countTokens`).
 */
export const TOKENIZER_SAFETY_MARGIN = 0.15;

/** The budget a prompt is fitted to: the requested one less the safety margin. */
export function limitFor(budget: number): number {
  return Math.floor(budget * (1 - TOKENIZER_SAFETY_MARGIN));
}

export interface TokenCounter {
  count(text: string): number;
}

/** Without the tokenizer (its WebAssembly could not load), a token is taken as 3 characters. */
const CHARS_PER_TOKEN_FALLBACK = 3;

/**
 * Text is counted line by line, and a line longer than PIECE characters in PIECE-sized parts:
 * - the tokenizer's byte-pair merge takes time quadratic in a word's length (a 2 MB minified
 *   line takes minutes whole) and its WebAssembly aborts on multi-megabyte words;
 * - while a budget is fitted, the same lines are counted again and again, so counts are cached.
 * Tokens never span a line end in practice, and a cut inside a long line loses at most the merges
 * across it: measured on this repository's README and demo memory, the sum is 0.2–1% above the
 * count of the whole text, never below it by more than the safety margin could notice.
 */
const PIECE = 256;
/** Cached pieces (each at most PIECE characters, so the cache stays under ~10 MB). */
const CACHE_ENTRIES = 20_000;
const LINE = /[^\n]*\n|[^\n]+/g;

let tokenizer: Tokenizer | null | undefined;
const cache = new Map<string, number>();

function load(): Tokenizer | null {
  if (tokenizer !== undefined) return tokenizer;
  try {
    // Building the tokenizer's tables takes ~100 ms, so one is kept for the life of the process.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    tokenizer = (require('@anthropic-ai/tokenizer') as typeof import('@anthropic-ai/tokenizer')).getTokenizer();
  } catch {
    tokenizer = null;
  }
  return tokenizer;
}

function piece(t: Tokenizer, p: string): number {
  const hit = cache.get(p);
  if (hit !== undefined) return hit;
  const n = t.encode(p, [], []).length;
  if (cache.size >= CACHE_ENTRIES) cache.clear();
  cache.set(p, n);
  return n;
}

/**
 * Tokens of `text` by the Claude 2 tokenizer (loaded on first use). Text is NFKC-normalised as the
 * package's own `countTokens` does; special-token names in the text count as ordinary text.
 */
export function countTokens(text: string): number {
  if (!text) return 0;
  const t = load();
  if (!t) return Math.ceil(text.length / CHARS_PER_TOKEN_FALLBACK);
  let n = 0;
  for (const [line] of text.normalize('NFKC').matchAll(LINE)) {
    if (line.length <= PIECE) n += piece(t, line);
    else
      for (let i = 0; i < line.length;) {
        const end = safeCut(line, Math.min(line.length, i + PIECE));
        n += piece(t, line.slice(i, end));
        i = end;
      }
  }
  return n;
}

/** The counter as an object, for code that takes one (tests hand in their own). */
export async function tokenCounter(): Promise<TokenCounter> {
  return { count: countTokens };
}

/** `at`, or one less when `at` would split a surrogate pair. */
function safeCut(text: string, at: number): number {
  const code = text.charCodeAt(at - 1);
  return at < text.length && code >= 0xd800 && code <= 0xdbff ? at - 1 : at;
}
