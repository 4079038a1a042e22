/** Preparing texts before they are embedded. */

/**
 * The built-in model (Universal Sentence Encoder lite, a small Transformer) reads at most this
 * many SentencePiece tokens: its graph clips the input (`ClipToMaxLength`), and tokens after the
 * 128th were checked not to change the output. English prose is ~3–4 characters a token, so the
 * model effectively sees the first ~400–500 characters: put the title and error first.
 */
export const BUILTIN_MAX_TOKENS = 128;

/**
 * Characters kept before tokenising for the built-in model. The longest piece in its vocabulary
 * is 16 characters, so 128 × 16 characters always hold the 128 tokens the model reads; more would
 * only cost time — the bundled tokenizer grows faster than linearly (a 100 KB text took ~26 s).
 */
export const BUILTIN_MAX_CHARS = BUILTIN_MAX_TOKENS * 16;

/**
 * Characters sent to a remote model per text: ~2,000 tokens, within the context of the usual
 * embedding models (OpenAI 8k, nomic-embed-text 2k–8k, Voyage 32k), so servers that reject
 * over-long input (OpenAI does) do not fail a whole batch for one long text.
 */
export const REMOTE_MAX_CHARS = 8000;

/** `text` cut to at most `max` UTF-16 units without splitting a surrogate pair. */
export function truncateChars(text: string, max: number): string {
  if (text.length <= max) return text;
  const code = text.charCodeAt(max - 1);
  const end = code >= 0xd800 && code <= 0xdbff ? max - 1 : max;
  return text.slice(0, end);
}

/**
 * A text as the built-in model should see it: whitespace runs collapsed to one space (its
 * tokenizer turns a newline or tab into the unknown token and every extra space into a token of
 * its own, wasting the 128-token budget), then cut to BUILTIN_MAX_CHARS.
 */
export function prepareForBuiltin(text: string): string {
  // cut first (collapsing only shortens), so a huge text costs no more than a long one
  const head = truncateChars(text.trimStart(), BUILTIN_MAX_CHARS * 4);
  return truncateChars(head.replace(/\s+/g, ' '), BUILTIN_MAX_CHARS).trim();
}

/** Rejects anything but an array of strings, whatever the types said. */
export function assertTexts(texts: unknown): asserts texts is string[] {
  if (!Array.isArray(texts)) throw new TypeError('embed() expects an array of strings');
  const bad = texts.findIndex((t) => typeof t !== 'string');
  if (bad >= 0) throw new TypeError(`embed() expects strings; item ${bad} is ${texts[bad] === null ? 'null' : typeof texts[bad]}`);
}
