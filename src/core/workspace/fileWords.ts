// The identifiers a source file uses, with how often: the content half of localizing an issue in a
// checkout (codeIndex.ts scores them with BM25). Names an issue writes are often used, not defined,
// in the file a fix changes (a keyword argument, a setting, an attribute), which the defined names
// alone miss. Only identifier-like words count, the same rule the words pass.
import { eachReadableLine } from './lines';

/** Identifier-like words: a letter, `_` or `$`, then at least two more word characters. */
export const WORD = /[A-Za-z_$][A-Za-z0-9_$]{2,120}/g;

/** Long enough, or written like code (`_` or a capital), that an English word like "add" does not count. */
export function isNameLike(w: string): boolean {
  return w.length >= 4 || /[_A-Z]/.test(w);
}

/** A file's distinct words kept (the first ones met): bounds the index on huge generated files. */
export const MAX_FILE_WORDS = 5_000;

/** How often `text` uses each identifier-like word (lines past MAX_LINE skipped: lines.ts). */
export function wordCounts(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  eachReadableLine(text, (line) => {
    for (const w of line.match(WORD) ?? []) {
      if (!isNameLike(w)) continue;
      const n = counts.get(w);
      if (n !== undefined) counts.set(w, n + 1);
      else if (counts.size < MAX_FILE_WORDS) counts.set(w, 1);
    }
  });
  return counts;
}
