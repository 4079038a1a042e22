// The precision/recall frontier of abstention, printed by bench:calibrate: what each way of cutting
// the hits gives on the three targets of issue 17 (≤ 1.0 results on queries with nothing relevant,
// ≥ 35% of shown results relevant, Recall@5 ≥ 0.70), and how the default threshold is chosen
// without looking at the held-out part.
// - the threshold curve (every 0.01) on the older and the newer part;
// - the default rule: the lowest threshold on a 0.05 grid at which the OLDER part meets the noise and
//   precision targets (Recall@5 is then as high as the rule allows);
// - two other policies chosen on the older part and checked on the newer: a query gate (show
//   anything only when the best hit reaches G) plus a cut relative to the best hit (keep hits at
//   ≥ a × the best), and the same with a floor;
// - bounds that are not products (they peek at the labels): a perfect query gate ("is anything
//   relevant at all?") with the relative cut, and how well the best hit's relevance separates queries
//   with something relevant from queries with nothing (AUC) — the decision the targets hinge on.
import { abstention, type Judged } from './abstention';

export interface Policy {
  name: string;
  keep: (q: Judged) => Judged['hits'];
}

const TARGET = { noise: 1, precision: 0.35, recall5: 0.7 };

function judgedBy(qs: Judged[], p: Policy): Judged[] {
  return qs.map((q) => ({ relevantCount: q.relevantCount, hits: p.keep(q) }));
}

function cells(qs: Judged[], p: Policy): string {
  const a = abstention(judgedBy(qs, p), 0);
  return `${a.noise.toFixed(2)} | ${(a.precision * 100).toFixed(1)}% | ${a.recall5.toFixed(3)}`;
}

function meets(qs: Judged[], p: Policy, withRecall = false): boolean {
  const a = abstention(judgedBy(qs, p), 0);
  return a.noise <= TARGET.noise && a.precision >= TARGET.precision && (!withRecall || a.recall5 >= TARGET.recall5);
}

export function threshold(t: number): Policy {
  return { name: `threshold ${t.toFixed(2)}`, keep: (q) => q.hits.filter((h) => h.relevance >= t) };
}

/** Nothing unless the best hit reaches `gate`; then the hits at ≥ `share` × the best and ≥ `floor`. */
export function gated(gate: number, share: number, floor = 0): Policy {
  return {
    name: `gate ${gate.toFixed(2)}, ≥ ${share.toFixed(1)} × best${floor ? `, ≥ ${floor.toFixed(2)}` : ''}`,
    keep: (q) => {
      const best = Math.max(0, ...q.hits.slice(0, 5).map((h) => h.relevance));
      return best < gate ? [] : q.hits.filter((h) => h.relevance >= share * best && h.relevance >= floor);
    },
  };
}

/** Not a product: shows hits only on queries that have something relevant (it reads the labels). */
function perfectGate(share: number): Policy {
  const inner = gated(0, share);
  return { name: `perfect query gate, ≥ ${share.toFixed(1)} × best`, keep: (q) => (q.relevantCount > 0 ? inner.keep(q) : []) };
}

/** The default rule: the lowest threshold on a 0.05 grid at which `older` meets the noise and precision targets. */
export function chooseDefault(older: Judged[]): number | undefined {
  for (let i = 1; i <= 10; i++) {
    const t = (i * 5) / 100;
    if (meets(older, threshold(t))) return t;
  }
  return undefined;
}

/** Of the policies meeting noise and precision on `older`, the one with the best older Recall@5. */
function bestOn(older: Judged[], policies: Policy[]): Policy | undefined {
  let best: Policy | undefined;
  let r = -1;
  for (const p of policies) {
    if (!meets(older, p)) continue;
    const a = abstention(judgedBy(older, p), 0);
    if (a.recall5 > r) [best, r] = [p, a.recall5];
  }
  return best;
}

function queryAuc(qs: Judged[]): number {
  const best = (q: Judged) => Math.max(0, ...q.hits.slice(0, 5).map((h) => h.relevance));
  const pos = qs.filter((q) => q.relevantCount > 0).map(best);
  const neg = qs.filter((q) => q.relevantCount === 0).map(best);
  let s = 0;
  for (const a of pos) for (const b of neg) s += a > b ? 1 : a === b ? 0.5 : 0;
  return s / Math.max(1, pos.length * neg.length);
}

/** The frontier section as markdown lines. */
export function frontier(older: Judged[], newer: Judged[]): string[] {
  const out: string[] = [];
  const head =
    '| policy | older: results, nothing relevant | share relevant | Recall@5 | newer: results, nothing relevant | share relevant | Recall@5 |';
  const rule = '|---|---:|---:|---:|---:|---:|---:|';
  const row = (p: Policy) => `| ${p.name} | ${cells(older, p)} | ${cells(newer, p)} |`;
  out.push('#### Threshold curve', '', head, rule);
  for (let t = 0; t <= 0.5001; t += 0.01) out.push(row(threshold(Math.round(t * 100) / 100)));
  const def = chooseDefault(older);
  out.push(
    '',
    `Default rule (older part only): lowest threshold on a 0.05 grid with ≤ 1.0 results on nothing-relevant queries and ≥ 35% relevant → ${def ?? 'none'}.`,
  );
  const grid: Policy[] = [];
  for (let g = 0; g <= 0.5001; g += 0.02)
    for (const s of [0, 0.2, 0.3, 0.4, 0.5, 0.6]) for (const f of [0, 0.05, 0.1]) grid.push(gated(Math.round(g * 100) / 100, s, f));
  const thresholds = Array.from({ length: 51 }, (_, i) => threshold(i / 100));
  out.push(
    '',
    '#### Policies chosen on the older part (best older Recall@5 meeting noise and precision), checked on the newer',
    '',
    head,
    rule,
  );
  for (const p of [bestOn(older, thresholds), bestOn(older, grid)]) if (p) out.push(row(p));
  out.push('', '#### Bounds that read the labels (not products)', '', head, rule);
  for (const s of [0, 0.2, 0.3]) out.push(row(perfectGate(s)));
  const all = [...older, ...newer];
  const anyAll = [...thresholds, ...grid].filter((p) => meets(all, p, true));
  const inSample = bestOn(all, [...thresholds, ...grid]);
  out.push(
    '',
    `Best of all ${thresholds.length + grid.length} threshold and gate policies chosen on the whole file (in-sample, optimistic): ${
      inSample ? `${inSample.name} → ${cells(all, inSample)}` : 'none meets noise and precision'
    }; policies meeting all three targets in-sample: ${anyAll.length}.`,
    `How well the best hit's relevance tells queries with something relevant from queries with nothing (AUC): older ${queryAuc(older).toFixed(3)}, newer ${queryAuc(newer).toFixed(3)}.`,
  );
  return out;
}
