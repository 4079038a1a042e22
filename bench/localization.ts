// How often the checkout's ranking of its files (codeIndex.ts, localize) puts the file a SWE-bench
// Lite fix changed first, and among the first five, with and without the content match (CONTENT):
// the figures codeIndex.ts cites for choosing it. Needs WORKSPACES (bench/workspaceIndexes.ts); the
// split is recall's: the older 60% of the issues by creation time chose CONTENT, the newer 40% did not.
import { loadInstances, nonTestFiles } from './protocol';
import { workspaceFor } from './workspaces';
import { localize, rankFiles } from '../src/core/workspace/codeIndex';

interface Tally {
  queries: number;
  top1: number;
  top5: number;
}

/** One line per part and mode: "older, names only: top-1 0.411, top-5 0.606 (172 issues)". */
export function localizationLines(liteFile: string): string[] {
  const lite = loadInstances(liteFile);
  const cut = Math.floor(lite.length * 0.6);
  const tallies = new Map<string, Tally>();
  for (const [qi, q] of lite.entries()) {
    const ws = workspaceFor(q.instance_id, q.repo);
    if (!ws) continue;
    const gold = nonTestFiles(q.patch);
    for (const content of [false, true]) {
      const { rankOf } = rankFiles(localize(ws.index, q.problem_statement, { content }));
      const best = Math.min(...[...gold].map((f) => rankOf.get(f) ?? Infinity));
      const key = `${qi < cut ? 'older' : 'newer'}, ${content ? 'with the content match' : 'names only'}`;
      const t = tallies.get(key) ?? { queries: 0, top1: 0, top5: 0 };
      t.queries++;
      if (best <= 1) t.top1++;
      if (best <= 5) t.top5++;
      tallies.set(key, t);
    }
  }
  return [...tallies].map(
    ([key, t]) =>
      `localizing Lite issues in their checkouts, ${key}: gold file first ${(t.top1 / t.queries).toFixed(3)}, among the first five ${(t.top5 / t.queries).toFixed(3)} (${t.queries} issues)`,
  );
}
