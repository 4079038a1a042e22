// Near-duplicate detection between insight texts: with an embedding model, cosine similarity of
// their vectors; without one, a lexical similarity (Dice overlap of word stems and word pairs).
import type { Embedder } from '../embed/embedder';
import { dot } from '../embed/vectors';
import { errorText } from '../util/errors';

/**
 * Above these, two insights of one scope × role say the same thing and are merged. Measured with
 * the built-in model (USE lite): paraphrased lessons score 0.70–0.96, unrelated ones 0.41–0.56;
 * 0.8 merges only close paraphrases (the lexical test catches the reworded copies).
 */
export const MERGE_THRESHOLD = { lexical: 0.6, vector: 0.8 } as const;

const STOP = new Set(
  'a an the and or of to in on at for by with from is are be been it its this that these those as if when before after into than then so do does not no use using check make sure always never should must can may'.split(
    ' ',
  ),
);

function stems(text: string): string[] {
  return (text.toLowerCase().match(/[\p{L}\p{N}_]+/gu) ?? [])
    .filter((w) => w.length > 1 && !STOP.has(w))
    .map((w) => w.replace(/(ing|ed|es|s)$/u, '') || w);
}

function dice(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 && b.size === 0) return 1;
  let common = 0;
  for (const x of a) if (b.has(x)) common++;
  return (2 * common) / (a.size + b.size);
}

/** 0…1: how much two texts share, by words (ignoring stop words and endings) and word pairs. */
export function lexicalSimilarity(a: string, b: string): number {
  const sa = stems(a);
  const sb = stems(b);
  const pairs = (s: string[]) => new Set(s.slice(1).map((w, i) => `${s[i]} ${w}`));
  const words = dice(new Set(sa), new Set(sb));
  const bigrams = sa.length > 1 && sb.length > 1 ? dice(pairs(sa), pairs(sb)) : words;
  return 0.7 * words + 0.3 * bigrams;
}

export interface Similarity {
  /** Pairwise similarities of `texts` against `others`: result[i][j] = sim(texts[i], others[j]). */
  matrix(texts: string[], others: string[]): Promise<number[][]>;
  threshold: number;
  kind: 'lexical' | 'vector';
}

export function lexical(): Similarity {
  return {
    kind: 'lexical',
    threshold: MERGE_THRESHOLD.lexical,
    matrix: async (texts, others) => texts.map((t) => others.map((o) => lexicalSimilarity(t, o))),
  };
}

/** Vector similarity with the given embedder; falls back to lexical when embedding fails. */
export function withEmbedder(embedder: Embedder, onFallback: (why: string) => void): Similarity {
  return {
    kind: 'vector',
    threshold: MERGE_THRESHOLD.vector,
    matrix: async (texts, others) => {
      if (texts.length === 0 || others.length === 0) return texts.map(() => others.map(() => 0));
      try {
        const v = await embedder.embed([...texts, ...others]);
        const a = v.slice(0, texts.length);
        const b = v.slice(texts.length);
        // Texts that are lexical near-duplicates count as duplicates with a vector model too.
        return a.map((x, i) =>
          b.map((y, j) => Math.max(dot(x, y), lexicalSimilarity(texts[i], others[j]) >= MERGE_THRESHOLD.lexical ? 1 : 0)),
        );
      } catch (e) {
        onFallback(errorText(e));
        return lexical().matrix(texts, others);
      }
    },
  };
}
