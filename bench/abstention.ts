// The three abstention metrics of issue 17 (src/core/eval/metrics.ts, where `dejafix eval` uses
// them too), and the table cells bench:calibrate prints.
import { abstention, type Judged } from '../src/core/eval/metrics';
export { abstention, type Abstention, type Judged } from '../src/core/eval/metrics';

/** "0.84 | 38.0% | 0.712" — one table row's cells. */
export function abstentionRow(queries: Judged[], minRelevance: number): string {
  const a = abstention(queries, minRelevance);
  return `${a.noise.toFixed(2)} | ${(a.precision * 100).toFixed(1)}% | ${a.recall5.toFixed(3)}`;
}
