// The figures of the bench:recall protocol, shared by the benchmark and `dejafix eval`:
// ranking metrics over queries with a relevant earlier case (Recall@5, nDCG@10, MRR@10), and the
// three abstention metrics of issue 17 over the top 5 results a query returns after a threshold:
// - noise: average number of results on queries with NO relevant earlier case (but some earlier
//   case of the same repository) — every one of them is noise;
// - precision: share of all returned results that are relevant;
// - Recall@5 over the queries that do have a relevant earlier case.

export interface Judged {
  /** Relevant earlier cases that exist for the query (0 = nothing relevant to find). */
  relevantCount: number;
  /** The results in rank order, with their relevance and whether they are relevant. */
  hits: { relevance: number; relevant: boolean }[];
}

export interface Abstention {
  noise: number;
  precision: number;
  recall5: number;
  noiseQueries: number;
  relevantQueries: number;
  /** Results returned (top 5 after the threshold) and how many of them are relevant. */
  shown: number;
  relevantShown: number;
}

export function abstention(queries: readonly Judged[], minRelevance: number): Abstention {
  let noiseResults = 0;
  let noiseQueries = 0;
  let shown = 0;
  let good = 0;
  let recall = 0;
  let relevantQueries = 0;
  for (const q of queries) {
    const top = q.hits.filter((h) => h.relevance >= minRelevance).slice(0, 5);
    shown += top.length;
    const hit = top.filter((h) => h.relevant).length;
    good += hit;
    if (q.relevantCount === 0) {
      noiseQueries++;
      noiseResults += top.length;
    } else {
      relevantQueries++;
      recall += hit / q.relevantCount;
    }
  }
  return {
    noise: noiseResults / Math.max(1, noiseQueries),
    precision: good / Math.max(1, shown),
    recall5: recall / Math.max(1, relevantQueries),
    noiseQueries,
    relevantQueries,
    shown,
    relevantShown: good,
  };
}

export interface Metrics {
  recall5: number;
  ndcg10: number;
  mrr10: number;
  n: number;
}

/** Mean Recall@5, nDCG@10 (binary gains) and MRR@10 over queries that have something relevant. */
export function score(results: readonly { ranked: string[]; relevant: ReadonlySet<string> }[]): Metrics {
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
