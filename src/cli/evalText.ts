// The text form of `dejafix eval`'s report: the three figures at the threshold and without it (and
// again for the repairs asked after a failed attempt), then per repository, per month, and the feedback counters.
import type { EvalReport, Figures } from '../core/eval/evaluate';

/** Months in the text table: a year; the JSON report has every month. */
const MONTHS = 12;

const pct = (x: number | null) => (x === null ? 'n/a' : `${(x * 100).toFixed(1)}%`);
const num = (x: number | null, digits: number) => (x === null ? 'n/a' : x.toFixed(digits));

export function evalText(store: string, r: EvalReport): string {
  const th = r.minRelevance.toFixed(2);
  const o = r.overall;
  const u = r.unfiltered;
  const lines = [
    `Memory evaluation of ${store}${r.repo === undefined ? '' : ` (repository ${r.repo})`}`,
    `Asked ${o.queries} resolved repair${o.queries === 1 ? '' : 's'} as new issues, each against only the older memory (${r.episodes} episodes, ${r.resolved} resolved).`,
    `${o.relevantQueries} had a relevant earlier repair (one that touched a file they touched); ${o.noiseQueries} had none.`,
    '',
    `${''.padEnd(34)}${`relevance >= ${th}`.padEnd(22)}always top 5`,
    `${'Recall@5 (relevant repair found)'.padEnd(34)}${num(o.recall5, 3).padEnd(22)}${num(u.recall5, 3)}`,
    `${'Precision (results relevant)'.padEnd(34)}${`${pct(o.precision)} (${o.relevantShown} of ${o.shown})`.padEnd(22)}${pct(u.precision)} (${u.relevantShown} of ${u.shown})`,
    `${'Noise (results, nothing relevant)'.padEnd(34)}${num(o.noise, 2).padEnd(22)}${num(u.noise, 2)}`,
    '',
    ...midRepairLines(r),
    `By repository (relevance >= ${th}):`,
    ...table(r.repos.map((x) => [x.repo, x])),
    '',
    `By month of the asked repair${r.months.length > MONTHS ? ` (the last ${MONTHS}; --json has all ${r.months.length})` : ''}:`,
    ...table(r.months.slice(-MONTHS).map((x) => [x.month, x])),
    '',
    r.utility
      ? `Feedback: ${r.utility.lessons.voted} lessons voted on, ${r.utility.lessons.helpful} helpful, ${r.utility.lessons.unhelpful} not helpful.`
      : 'Feedback: none recorded yet.',
  ];
  return `${lines.join('\n')}\n`;
}

function table(rows: [string, Figures][]): string[] {
  const w = Math.max(10, ...rows.map(([k]) => k.length)) + 2;
  return [
    `  ${''.padEnd(w)}${'asked'.padStart(6)}${'Recall@5'.padStart(10)}${'precision'.padStart(11)}${'noise'.padStart(7)}`,
    ...rows.map(
      ([k, f]) =>
        `  ${k.padEnd(w)}${String(f.queries).padStart(6)}${num(f.recall5, 3).padStart(10)}${pct(f.precision).padStart(11)}${num(f.noise, 2).padStart(7)}`,
    ),
  ];
}

/** The repairs asked again after a failed attempt, with the files it changed (nothing when none had one). */
function midRepairLines(r: EvalReport): string[] {
  if (!r.midRepair) return [];
  const { overall: o, unfiltered: u } = r.midRepair;
  return [
    `Asked again after a failed attempt, with the files it changed (${o.queries} of them):`,
    `${'  Recall@5'.padEnd(34)}${num(o.recall5, 3).padEnd(22)}${num(u.recall5, 3)}`,
    `${'  Precision'.padEnd(34)}${`${pct(o.precision)} (${o.relevantShown} of ${o.shown})`.padEnd(22)}${pct(u.precision)} (${u.relevantShown} of ${u.shown})`,
    `${'  Noise'.padEnd(34)}${num(o.noise, 2).padEnd(22)}${num(u.noise, 2)}`,
    '',
  ];
}
