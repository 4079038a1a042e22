// bench:editing — recall mid-repair: the issue, plus the files an agent's attempt changed in the
// checkout (workspace/editing.ts). Each Lite query with an earlier instance of its repository is
// asked once per FAILED agent attempt on it (swebench-lite-agent-runs.jsonl: real AutoCodeRover and
// SWE-agent runs; the attempt's non-test files are the changes): the moment a test has failed and
// the agent asks memory again. Relevance is the protocol's (a shared non-test file with the gold
// patch); the attempt's files are the agent's own guess, right for about half of them.
// The older 60% of the queries fit relevance's EDITING update (bias, slope on the issue-time
// log-odds, and a repair of a changed file); the newer 40% check it. It prints, for both parts:
// the issue-time figures (no changes) and the mid-repair figures with the fitted and the shipped
// update, as the abstention metrics at each threshold and Recall@5 with none.
// WORKSPACES=dir adds each query's checkout (bench/workspaceIndexes.ts), as the product has it.
// CHANGES=unrelated asks with unrelated work in progress instead (changesFor): what changes that have
// nothing to do with the issue cost.
// Usage: npm run bench:editing [-- INSTANCES.jsonl RUNS.jsonl]
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { episodeFromInstance } from '../src/core/ingest';
import { recall } from '../src/core/recall/recall';
import { EDITING, editedLogOdds, relevanceOf, type Evidence } from '../src/core/recall/relevance';
import { codeIndexOf } from '../src/core/workspace/codeIndex';
import { changedSources } from '../src/core/workspace/editing';
import type { WorkspaceCode } from '../src/core/workspace/workspaceCode';
import { ExperienceStore } from '../src/core/store';
import { createEmbedder } from '../src/core/embed/factory';
import { vectorizePending } from '../src/core/recall/vectorize';
import { machineLine } from './machine';
import { loadInstances, nonTestFiles } from './protocol';
import { abstentionRow, abstention, type Judged } from './abstention';
import { fit } from './logistic';
import { WORKSPACES, workspaceFor } from './workspaces';

const DATA = process.argv[2] ?? join(__dirname, '../../shared/bench/swebench-lite.jsonl');
const RUNS = process.argv[3] ?? join(__dirname, '../../shared/bench/swebench-lite-agent-runs.jsonl');
const FIT_SHARE = 0.6;
const K = 10;

interface Hit {
  y: number;
  evidence: Evidence;
}
interface Scenario {
  query: number;
  relevantCount: number;
  issueTime: Hit[];
  midRepair: Hit[];
}
type Update = { bias: number; slope: number; edited: number };

/** The failed attempts' changed files per instance (as `git diff --name-only` would list them). */
function failedAttempts(file: string): Map<string, string[][]> {
  const out = new Map<string, string[][]>();
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const r = JSON.parse(line) as { instance_id: string; resolved: boolean; model_patch?: string };
    if (r.resolved || !r.model_patch) continue;
    const files = changedSources(nonTestFiles(r.model_patch));
    if (files.length) out.set(r.instance_id, [...(out.get(r.instance_id) ?? []), files]);
  }
  return out;
}

/**
 * The changes each ask is made with: the failed attempts' files, or with CHANGES=unrelated as many
 * unrelated uncommitted changes (work in progress on something else): for each attempt, one file an
 * earlier repair of the repository touched that the query's repair did not (a seeded draw).
 */
function changesFor(query: number, failed: string[][], past: { instance_id: string; patch: string }[], gold: Set<string>): string[][] {
  if (process.env.CHANGES !== 'unrelated') return failed;
  const others = [...new Set(past.flatMap((d) => [...nonTestFiles(d.patch)]))].filter((f) => !gold.has(f)).sort();
  let seed = query * 7919 + 13;
  const draw = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
  return others.length ? failed.map(() => [others[draw() % others.length]]) : [];
}

const logit = (p: number) => Math.log(Math.max(1e-6, p) / Math.max(1e-6, 1 - p));
/** Relevance of a mid-repair hit under `u`: the issue-time model's log-odds, updated. */
function updated(e: Evidence, u: Update): number {
  const z = logit(relevanceOf({ ...e, edited: undefined }));
  return 1 / (1 + Math.exp(-editedLogOdds(z, e.edited ?? 0, u)));
}

function judged(ss: Scenario[], hits: (s: Scenario) => Hit[], rel: (e: Evidence) => number): Judged[] {
  return ss.map((s) => ({
    relevantCount: s.relevantCount,
    hits: hits(s).map((h) => ({ relevance: rel(h.evidence), relevant: h.y === 1 })),
  }));
}

async function main(): Promise<void> {
  const instances = loadInstances(DATA);
  const attempts = failedAttempts(RUNS);
  const files = new Map(instances.map((i) => [i.instance_id, nonTestFiles(i.patch)]));
  const dir = mkdtempSync(join(tmpdir(), 'dejafix-bench-editing-'));
  const store = await ExperienceStore.open(join(dir, 'store'));
  const embedder = process.env.EMBED === 'none' ? undefined : createEmbedder({ provider: 'builtin' });
  const none = codeIndexOf([]);
  try {
    await store.upsertEpisodes(instances.map((i) => episodeFromInstance(i as never)));
    if (embedder) await vectorizePending(store, embedder);
    const scenarios: Scenario[] = [];
    let queries = 0;
    let guessedRight = 0;
    for (const q of instances) {
      const t = Date.parse(q.created_at);
      const past = instances.filter((d) => d.repo === q.repo && Date.parse(d.created_at) < t);
      if (past.length === 0) continue;
      const query = queries++;
      const qf = files.get(q.instance_id)!;
      const relevant = new Set(past.filter((d) => [...files.get(d.instance_id)!].some((f) => qf.has(f))).map((d) => d.instance_id));
      const label = (hits: Awaited<ReturnType<typeof recall>>): Hit[] =>
        hits.map((h) => ({ y: relevant.has(h.sourceId ?? '') ? 1 : 0, evidence: h.why.evidence }));
      const ws: WorkspaceCode = workspaceFor(q.instance_id, q.repo) ?? { repo: q.repo, index: none };
      const ask = (editing?: string[]) =>
        recall(
          store,
          { text: q.problem_statement, repo: q.repo, before: q.created_at, k: K, minRelevance: 0 },
          { embedder, workspaceCode: { ...ws, editing } },
        );
      const issueTime = label(await ask());
      for (const changed of changesFor(query, attempts.get(q.instance_id) ?? [], past, qf)) {
        if (changed.some((f) => qf.has(f))) guessedRight++;
        scenarios.push({ query, relevantCount: relevant.size, issueTime, midRepair: label(await ask(changed)) });
      }
    }
    const cut = Math.floor(queries * FIT_SHARE);
    const older = scenarios.filter((s) => s.query < cut);
    const newer = scenarios.filter((s) => s.query >= cut);
    const rows = older.flatMap((s) =>
      s.midRepair.map((h) => ({ x: [1, logit(relevanceOf({ ...h.evidence, edited: undefined })), h.evidence.edited ? 1 : 0], y: h.y })),
    );
    // The penalty pulls the slope towards 1 (the issue-time model as it is) and the new term towards 0.
    const w = fit(rows, 1, [0, 1, 0]);
    const fitted: Update = { bias: w[0], slope: w[1], edited: w[2] };
    console.log(`bench:editing — ${new Date().toISOString().slice(0, 10)} — ${machineLine()}`);
    console.log(
      `data: ${DATA}; attempts: ${RUNS} (failed ones with changed source files)${process.env.CHANGES === 'unrelated' ? '; CHANGES=unrelated: one unrelated earlier-repaired file per attempt instead' : ''}`,
    );
    console.log(`workspaces: ${WORKSPACES ?? 'none (memory alone; set WORKSPACES=dir, see bench/workspaceIndexes.ts)'}`);
    console.log(
      `${scenarios.length} mid-repair asks on ${new Set(scenarios.map((s) => s.query)).size} queries; the attempt changed a gold file in ${((100 * guessedRight) / Math.max(1, scenarios.length)).toFixed(1)}%. Fit on the older ${older.length}, checked on the newer ${newer.length}.`,
    );
    const round = (u: Update) => JSON.stringify(Object.fromEntries(Object.entries(u).map(([k, v]) => [k, Math.round(v * 100) / 100])));
    console.log(`fitted EDITING: ${round(fitted)}   shipped (relevance.ts): ${round(EDITING)}\n`);
    const lines: [string, (s: Scenario) => Hit[], (e: Evidence) => number][] = [
      ['issue time (no changes)', (s) => s.issueTime, (e) => relevanceOf(e)],
      ['mid-repair, fitted update', (s) => s.midRepair, (e) => updated(e, fitted)],
      ['mid-repair, shipped', (s) => s.midRepair, (e) => relevanceOf(e)],
    ];
    console.log(
      '| asked | part | Recall@5, no threshold | 0.05: results, nothing relevant | share relevant | Recall@5 | 0.10 | | | 0.15 | | | 0.20 | | |',
    );
    console.log(`|---|---|${'---:|'.repeat(13)}`);
    for (const [name, hits, rel] of lines)
      for (const [part, ss] of [
        ['older', older],
        ['newer', newer],
        ['all', scenarios],
      ] as const) {
        const j = judged(ss, hits, rel);
        const cells = [0.05, 0.1, 0.15, 0.2].map((t) => abstentionRow(j, t)).join(' | ');
        console.log(`| ${name} | ${part} | ${abstention(j, 0).recall5.toFixed(3)} | ${cells} |`);
      }
  } finally {
    await embedder?.dispose();
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
