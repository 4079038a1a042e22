// The baseline the bench compares against: BM25 over the problem statements of past instances
// in the same repository (ExpeRepair's retrieval), as ../shared/bench/README.md specifies.
import type { Instance } from './protocol';

const K1 = 1.5;
const B = 0.75;

export function tokens(text: string): string[] {
  return (text.toLowerCase().match(/[a-z0-9_]+/g) ?? []).filter((t) => t.length >= 2);
}

export function bm25Rank(query: string, docs: Instance[]): string[] {
  const docTokens = docs.map((d) => tokens(d.problem_statement));
  const N = docs.length;
  const avgdl = docTokens.reduce((s, t) => s + t.length, 0) / Math.max(1, N);
  const df = new Map<string, number>();
  for (const t of docTokens) for (const w of new Set(t)) df.set(w, (df.get(w) ?? 0) + 1);
  const q = tokens(query);
  const scores = docTokens.map((t, i) => {
    const tf = new Map<string, number>();
    for (const w of t) tf.set(w, (tf.get(w) ?? 0) + 1);
    let s = 0;
    for (const w of q) {
      const f = tf.get(w);
      if (!f) continue;
      const n = df.get(w) ?? 0;
      const idf = Math.log(1 + (N - n + 0.5) / (n + 0.5));
      s += idf * ((f * (K1 + 1)) / (f + K1 * (1 - B + (B * t.length) / avgdl)));
    }
    return { id: docs[i].instance_id, s };
  });
  return scores
    .filter((x) => x.s > 0)
    .sort((a, b) => b.s - a.s)
    .map((x) => x.id);
}
