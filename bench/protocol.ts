// The retrieval protocol of ../shared/bench/README.md, shared by bench:recall's baseline and ours:
// chronological order, only earlier instances in memory, relevance by shared non-test files.
import { readFileSync } from 'node:fs';
import { isTestPath } from '../src/core/model/patch';

export interface Instance {
  instance_id: string;
  repo: string;
  created_at: string;
  problem_statement: string;
  patch: string;
}

export function loadInstances(file: string): Instance[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Instance)
    .sort((a, b) => Date.parse(a.created_at) - Date.parse(b.created_at));
}

/** Paths from `diff --git a/X b/X` lines. */
export function goldFiles(patch: string): string[] {
  const out = new Set<string>();
  for (const m of patch.matchAll(/^diff --git a\/(\S+) b\/(\S+)$/gm)) out.add(m[2]);
  return [...out];
}

/**
 * Test files as the protocol defines them: a `test`/`tests`/`testing` directory, `test_*.py`,
 * `*_test.*`, `*.test.*` — the same rule the product uses (isTestPath).
 */
export const isTestFile = isTestPath;

export function nonTestFiles(patch: string): Set<string> {
  return new Set(goldFiles(patch).filter((f) => !isTestFile(f)));
}

export interface Query {
  q: Instance;
  /** Instances created strictly before q. */
  past: Instance[];
  relevant: Set<string>;
}

/** The queries that have at least one relevant past instance. */
export function queries(instances: Instance[]): Query[] {
  const files = new Map(instances.map((i) => [i.instance_id, nonTestFiles(i.patch)]));
  const out: Query[] = [];
  for (const q of instances) {
    const t = Date.parse(q.created_at);
    const past = instances.filter((d) => Date.parse(d.created_at) < t);
    const qf = files.get(q.instance_id)!;
    const relevant = new Set(past.filter((d) => d.repo === q.repo && [...files.get(d.instance_id)!].some((f) => qf.has(f))).map((d) => d.instance_id));
    if (relevant.size > 0) out.push({ q, past, relevant });
  }
  return out;
}

export interface Metrics {
  recall5: number;
  ndcg10: number;
  mrr10: number;
  n: number;
}

/** Mean Recall@5, nDCG@10 (binary gains) and MRR@10 over queries. */
export function score(results: { ranked: string[]; relevant: Set<string> }[]): Metrics {
  let r5 = 0;
  let ndcg = 0;
  let mrr = 0;
  for (const { ranked, relevant } of results) {
    r5 += ranked.slice(0, 5).filter((id) => relevant.has(id)).length / relevant.size;
    let dcg = 0;
    ranked.slice(0, 10).forEach((id, i) => {
      if (relevant.has(id)) dcg += 1 / Math.log2(i + 2);
    });
    let ideal = 0;
    for (let i = 0; i < Math.min(10, relevant.size); i++) ideal += 1 / Math.log2(i + 2);
    ndcg += dcg / ideal;
    const first = ranked.slice(0, 10).findIndex((id) => relevant.has(id));
    mrr += first >= 0 ? 1 / (first + 1) : 0;
  }
  const n = results.length;
  return { recall5: r5 / n, ndcg10: ndcg / n, mrr10: mrr / n, n };
}
