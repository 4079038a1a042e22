// bench:calibrate — fits the relevance model of src/core/recall/relevance.ts on SWE-bench Lite,
// validated by time. Every Lite instance with an earlier instance of its repository is a query
// (its problem statement, repo and created_at as `before`, as in bench:recall); recall returns its
// top 10 with minRelevance 0, and each hit is labelled relevant when it shares a non-test file with
// the query's gold patch (the protocol's relevance). The older 60% of the queries fit a logistic
// regression (L2, Newton's method); the newer 40% check it: reliability table, and the abstention
// metrics at each threshold. It prints the fitted weights to copy into relevance.ts (rounded) and
// the same figures for the weights the code ships with, and the frontier of every way of cutting the hits
// (frontier.ts: threshold curve, query gate + relative cut, bounds that read the labels).
// Recall runs with the built-in embedding model (as the product does by default); EMBED=none runs it
// lexical only. DUMP=file.json keeps the labelled hits; LOAD=file.json refits from such a dump.
// Usage: npm run bench:calibrate [-- INSTANCES.jsonl]
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { episodeFromInstance } from '../src/core/ingest';
import { recall } from '../src/core/recall/recall';
import { featureVector, relevanceOf, WEIGHTS, WORKSPACE_WEIGHTS, workspaceFeatures, type Evidence } from '../src/core/recall/relevance';
import { WORKSPACES, workspaceFor } from './workspaces';
import { ExperienceStore } from '../src/core/store';
import { createEmbedder } from '../src/core/embed/factory';
import { vectorizePending } from '../src/core/recall/vectorize';
import { readFileSync } from 'node:fs';
import { machineLine } from './machine';
import { loadInstances, nonTestFiles } from './protocol';
import { abstentionRow, type Judged } from './abstention';
import { frontier } from './frontier';
import { fit } from './logistic';

const DATA = process.argv[2] ?? join(__dirname, '../../shared/bench/swebench-lite.jsonl');
const FIT_SHARE = 0.6;
const L2 = 1;
type Weights = Record<keyof typeof WEIGHTS, number> & Partial<Record<keyof typeof WORKSPACE_WEIGHTS, number>>;
const NAMES = Object.keys(WEIGHTS).filter((k) => k !== 'bias') as Exclude<keyof typeof WEIGHTS, 'bias'>[];
const WS_NAMES = Object.keys(WORKSPACE_WEIGHTS).filter((k) => !(k in WEIGHTS)) as (keyof ReturnType<typeof workspaceFeatures>)[];

interface Row {
  sid?: string | null;
  x: number[];
  y: number;
  evidence: Evidence;
}
interface QueryRows {
  id: string;
  rows: Row[];
  relevantCount: number;
}

function x(e: Evidence): number[] {
  const f = featureVector(e);
  return [1, ...NAMES.map((n) => f[n])];
}

/** The workspace model's features: the base ones, then the workspace's. */
function xw(e: Evidence): number[] {
  const f = workspaceFeatures(e);
  return [...x(e), ...WS_NAMES.map((n) => f[n])];
}

function reliability(rows: { p: number; y: number }[]): string {
  const edges = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.8, 1.0001];
  const out = ['| predicted relevance | hits | mean predicted | observed relevant |', '|---|---:|---:|---:|'];
  for (let i = 0; i < edges.length - 1; i++) {
    const bin = rows.filter((r) => r.p >= edges[i] && r.p < edges[i + 1]);
    if (!bin.length) continue;
    const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;
    out.push(
      `| ${edges[i].toFixed(1)}–${Math.min(1, edges[i + 1]).toFixed(1)} | ${bin.length} | ${mean(bin.map((r) => r.p)).toFixed(3)} | ${mean(bin.map((r) => r.y)).toFixed(3)} |`,
    );
  }
  const brier = rows.reduce((s, r) => s + (r.p - r.y) ** 2, 0) / rows.length;
  return `${out.join('\n')}\n\nBrier score ${brier.toFixed(4)}, AUC ${auc(rows).toFixed(3)} over ${rows.length} hits.`;
}

/** Probability that a relevant hit is rated above an irrelevant one (ties count half). */
function auc(rows: { p: number; y: number }[]): number {
  const pos = rows.filter((r) => r.y === 1).map((r) => r.p);
  const neg = rows.filter((r) => r.y === 0).map((r) => r.p);
  let s = 0;
  for (const a of pos) for (const b of neg) s += a > b ? 1 : a === b ? 0.5 : 0;
  return s / Math.max(1, pos.length * neg.length);
}

async function main(): Promise<void> {
  const instances = loadInstances(DATA);
  const files = new Map(instances.map((i) => [i.instance_id, nonTestFiles(i.patch)]));
  const dir = mkdtempSync(join(tmpdir(), 'dejafix-bench-calibrate-'));
  const store = await ExperienceStore.open(join(dir, 'store'));
  const embedder = process.env.EMBED === 'none' ? undefined : createEmbedder({ provider: 'builtin' });
  try {
    let queries: QueryRows[];
    if (process.env.LOAD) {
      queries = (JSON.parse(readFileSync(process.env.LOAD, 'utf8')) as QueryRows[]).map((q) => ({
        ...q,
        rows: q.rows.map((r) => ({ ...r, x: x(r.evidence) })),
      }));
    } else {
      queries = [];
      await store.upsertEpisodes(instances.map((i) => episodeFromInstance(i as never)));
      if (embedder) await vectorizePending(store, embedder);
      for (const q of instances) {
        const t = Date.parse(q.created_at);
        const past = instances.filter((d) => d.repo === q.repo && Date.parse(d.created_at) < t);
        if (past.length === 0) continue;
        const qf = files.get(q.instance_id)!;
        const relevant = new Set(past.filter((d) => [...files.get(d.instance_id)!].some((f) => qf.has(f))).map((d) => d.instance_id));
        const hits = await recall(
          store,
          { text: q.problem_statement, repo: q.repo, before: q.created_at, k: 10, minRelevance: 0 },
          { embedder, workspaceCode: workspaceFor(q.instance_id, q.repo) },
        );
        queries.push({
          id: q.instance_id,
          relevantCount: relevant.size,
          rows: hits.map((h) => ({
            sid: h.sourceId,
            x: x(h.why.evidence),
            y: relevant.has(h.sourceId ?? '') ? 1 : 0,
            evidence: h.why.evidence,
          })),
        });
      }
    }
    if (process.env.DUMP) writeFileSync(process.env.DUMP, JSON.stringify(queries));
    const cut = Math.floor(queries.length * FIT_SHARE);
    const older = queries.slice(0, cut);
    const newer = queries.slice(cut);
    const w = fit(
      older.flatMap((q) => q.rows),
      L2,
    );
    const base = Object.fromEntries([['bias', w[0]], ...NAMES.map((n, i) => [n, w[i + 1]])]) as Weights;
    // With workspaces, a second model over the hits that carry the workspace's evidence.
    const wsRows = older.flatMap((q) => q.rows.filter((r) => r.evidence.wsRank !== undefined).map((r) => ({ ...r, x: xw(r.evidence) })));
    const ww = wsRows.length ? fit(wsRows, L2) : undefined;
    const wsFitted = ww
      ? (Object.fromEntries([['bias', ww[0]], ...[...NAMES, ...WS_NAMES].map((n, i) => [n, ww[i + 1]])]) as Weights)
      : undefined;
    const fitted = { base, ws: wsFitted };
    console.log(`bench:calibrate — ${new Date().toISOString().slice(0, 10)} — ${machineLine()}`);
    console.log(
      `data: ${DATA}: ${queries.length} queries with same-repository history; fit on the older ${older.length} (${older.flatMap((q) => q.rows).length} hits), test on the newer ${newer.length} (${newer.flatMap((q) => q.rows).length} hits)`,
    );
    const rounded = (w: Weights) => JSON.stringify(Object.fromEntries(Object.entries(w).map(([k, v]) => [k, Math.round(v * 100) / 100])));
    console.log(`workspaces: ${WORKSPACES ?? 'none (set WORKSPACES=dir, see bench/workspaceIndexes.ts)'}`);
    console.log(`fitted weights: ${rounded(base)}`);
    if (wsFitted) console.log(`fitted workspace weights (${wsRows.length} hits): ${rounded(wsFitted)}`);
    const shipped = { base: WEIGHTS as Weights, ws: WORKSPACE_WEIGHTS as Weights };
    for (const [name, weights] of [
      ['fitted', fitted],
      ['shipped (relevance.ts)', shipped],
    ] as const) {
      const rel = (e: Evidence) => relevanceOf(e, e.wsRank !== undefined && weights.ws ? weights.ws : weights.base);
      const judged = (qs: QueryRows[]): Judged[] =>
        qs.map((q) => ({
          relevantCount: q.relevantCount,
          hits: q.rows.map((r) => ({ relevance: rel(r.evidence), relevant: r.y === 1 })),
        }));
      console.log(`\n### ${name} weights — reliability on the newer ${newer.length} queries (all top-10 hits)\n`);
      console.log(reliability(newer.flatMap((q) => q.rows.map((r) => ({ p: rel(r.evidence), y: r.y })))));
      console.log(`\nAbstention (top 5 after the threshold): older part | newer part\n`);
      console.log(
        '| minRelevance | avg results, nothing relevant | share relevant | Recall@5 (queries with a relevant one) | | avg results, nothing relevant | share relevant | Recall@5 |',
      );
      console.log('|---:|---:|---:|---:|---|---:|---:|---:|');
      for (const th of [0, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5])
        console.log(`| ${th.toFixed(2)} | ${abstentionRow(judged(older), th)} | | ${abstentionRow(judged(newer), th)} |`);
      if (name !== 'fitted') {
        console.log(`\n### Frontier — shipped weights (top 5 after each cut)\n`);
        console.log(frontier(judged(older), judged(newer)).join('\n'));
      }
    }
  } finally {
    await embedder?.dispose();
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
