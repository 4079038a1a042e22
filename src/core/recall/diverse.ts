// Diversity among the top hits: maximal marginal relevance over the files each repair touched,
// and copies of the same repair dropped outright.
import { isTestPath } from '../model/patch';
import type { Candidate } from './candidate';

/** How much file overlap with repairs already picked costs a candidate (MMR; 0 = none). */
const DIVERSITY = 0.05;

/**
 * The top k by maximal marginal relevance: each pick is the candidate with the best relevance
 * (score over the best score) minus DIVERSITY × its file overlap (Jaccard) with the repairs
 * already picked, so a fifth repair of the same file makes room for one of another file when
 * their scores are close. The same repair recorded twice (same title up to numbers and
 * punctuation, same files) is dropped outright: a second copy would only push another out.
 * (Exported for its unit test.)
 */
export function diverse<T extends { c: Candidate; score: number }>(hits: T[], k: number): T[] {
  const pool = hits.slice(0, k * 4).map((h) => ({ h, key: dupKey(h.c), files: new Set(h.c.files.filter((f) => !isTestPath(f))) }));
  const top = pool[0]?.h.score ?? 0;
  const out: typeof pool = [];
  const seen = new Set<string>();
  while (out.length < k && pool.length) {
    let bestAt = -1;
    let bestValue = -Infinity;
    for (let i = 0; i < pool.length; i++) {
      const p = pool[i];
      if (seen.has(p.key)) continue;
      const overlap = Math.max(0, ...out.map((o) => jaccard(p.files, o.files)));
      const value = p.h.score / top - DIVERSITY * overlap;
      if (value > bestValue) [bestAt, bestValue] = [i, value];
    }
    if (bestAt < 0) break;
    const [pick] = pool.splice(bestAt, 1);
    seen.add(pick.key);
    out.push(pick);
  }
  return out.map((p) => p.h);
}

function dupKey(c: Candidate): string {
  return `${c.title
    .toLowerCase()
    .replace(/[^a-z]+/g, ' ')
    .trim()}|${[...c.files].sort().join(',')}`;
}

function jaccard(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let both = 0;
  for (const x of a) if (b.has(x)) both++;
  return both / (a.size + b.size - both);
}
