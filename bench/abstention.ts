// The three abstention metrics of issue 17, shared by bench:recall and bench:calibrate, over the
// top 5 results a query returns after the relevance threshold:
// - noise: average number of results on queries with NO relevant earlier instance (but some earlier
//   instance of the same repository) — every one of them is noise;
// - precision: share of all returned results that are relevant;
// - Recall@5 over the queries that do have a relevant earlier instance.

export interface Judged {
  /** Relevant earlier instances that exist for the query (0 = nothing relevant to find). */
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
}

export function abstention(queries: Judged[], minRelevance: number): Abstention {
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
  return { noise: noiseResults / Math.max(1, noiseQueries), precision: good / Math.max(1, shown), recall5: recall / Math.max(1, relevantQueries), noiseQueries, relevantQueries };
}

/** "0.84 | 38.0% | 0.712" — one table row's cells. */
export function abstentionRow(queries: Judged[], minRelevance: number): string {
  const a = abstention(queries, minRelevance);
  return `${a.noise.toFixed(2)} | ${(a.precision * 100).toFixed(1)}% | ${a.recall5.toFixed(3)}`;
}
