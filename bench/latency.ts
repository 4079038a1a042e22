// bench:latency — recall latency at 1k / 10k / 100k episodes built from the real SWE-bench Lite
// data (bench/corpus.ts), p50/p95 over real issue texts as queries, plus the cold first recall
// (a new process: open the store, first query). Each store also holds a vector per episode for
// the built-in model: the real episode's vector, with a little noise for each copy. Latency is
// given without query embedding (the query's vector is precomputed), the embedding itself
// separately, and end to end. Each store also holds 200 feedback verdicts (giveFeedback; BENCH_FEEDBACK
// sets how many), so the utility prior and the "not relevant" lookup are paid for.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BuiltinEmbedder, type Embedder } from '../src/core/embed';
import type { Episode } from '../src/core/model';
import { recordFeedback } from '../src/core/feedback/feedback';
import { recall } from '../src/core/recall/recall';
import { embedText } from '../src/core/recall/vectorize';
import { ExperienceStore } from '../src/core/store';
import { VectorTable, textHash } from '../src/core/store/vectors';
import { perturbedEpisodes, realEpisodes } from './corpus';
import { machineLine } from './machine';

const SIZES = (process.env.BENCH_SIZES ?? '1000,10000,100000').split(',').map(Number);
const QUERIES = Number(process.env.BENCH_QUERIES ?? 100);

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

const ms = (xs: number[]) => `p50 ${pct(xs, 50).toFixed(1)} ms, p95 ${pct(xs, 95).toFixed(1)} ms`;

/** Gives the vectors computed beforehand: recall timed without the embedding. */
function precomputed(id: string, vectors: Map<string, Float32Array>): Embedder {
  return { id, dimensions: 512, embed: async (texts) => texts.map((t) => vectors.get(t)!), dispose: async () => {} };
}

/** A copy's vector: the real one plus small noise, unit length, seeded by the copy's index. */
function jitter(v: Float32Array, seed: number): Float32Array {
  let h = (seed * 2654435761) >>> 0;
  const out = new Float32Array(v.length);
  let norm = 0;
  for (let i = 0; i < v.length; i++) {
    h = Math.imul(h ^ (h >>> 15), 2246822507) >>> 0;
    out[i] = v[i] + ((h % 1000) / 1000 - 0.5) * 0.02;
    norm += out[i] * out[i];
  }
  for (let i = 0; i < v.length; i++) out[i] /= Math.sqrt(norm);
  return out;
}

async function main(): Promise<void> {
  const base = realEpisodes();
  const queries = base.filter((_, i) => i % Math.max(1, Math.floor(base.length / QUERIES)) === 0).slice(0, QUERIES);
  const embedder = new BuiltinEmbedder();
  console.log(`bench:latency — ${new Date().toISOString().slice(0, 10)} — ${machineLine()}`);
  const baseVectors = await embedder.embed(
    base.map((e) => embedText({ title: e.issue.title, errorSignature: e.errorSignature, body: e.issue.body })),
  );
  const vectorOf = new Map(base.map((e, i) => [e.id, baseVectors[i]]));
  const queryTexts = queries.map((q) => `${q.issue.title}\n${q.issue.body}`);
  const embedTimes: number[] = [];
  const queryVectors = new Map<string, Float32Array>();
  for (const t of queryTexts) {
    const t0 = performance.now();
    queryVectors.set(t, (await embedder.embed([t]))[0]);
    embedTimes.push(performance.now() - t0);
  }
  console.log(
    `${queries.length} queries (real problem statements, with repo and before), k = 5; query embedding with ${embedder.id}: ${ms(embedTimes)}`,
  );
  const fixed = precomputed(embedder.id, queryVectors);
  for (const n of SIZES) {
    const dir = mkdtempSync(join(tmpdir(), 'dejafix-bench-latency-'));
    try {
      const store = await ExperienceStore.open(dir);
      const all = perturbedEpisodes(n, base);
      await store.bulk(async () => {
        for (let i = 0; i < all.length; i += 2000) await store.upsertEpisodes(all.slice(i, i + 2000));
      });
      await writeVectors(store, embedder.id, all, (e, i) => jitter(vectorOf.get(e.id.replace(/-\d+$/, ''))!, i));
      await giveFeedback(store, all, queryTexts);
      const lexical: number[] = [];
      const hybrid: number[] = [];
      for (const round of [0, 1]) {
        for (const text of queryTexts) {
          const q = { text, repo: queries[queryTexts.indexOf(text)].repo, before: '2100-01-01T00:00:00Z', k: 5 };
          let t = performance.now();
          await recall(store, q);
          if (round) lexical.push(performance.now() - t);
          t = performance.now();
          await recall(store, q, { embedder: fixed });
          if (round) hybrid.push(performance.now() - t);
        }
      }
      store.close();
      const cold = coldFirstRecall(dir, queries[0].issue.title);
      console.log(
        `${String(n).padStart(6)} episodes: with vectors ${ms(hybrid)}; lexical only ${ms(lexical)}; end to end with query embedding ≈ p50 ${(pct(hybrid, 50) + pct(embedTimes, 50)).toFixed(1)} ms; cold first recall ${cold} ms`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  await embedder.dispose();
}

async function writeVectors(
  store: ExperienceStore,
  id: string,
  episodes: Episode[],
  vector: (e: Episode, i: number) => Float32Array,
): Promise<void> {
  const table = new VectorTable(store, id);
  for (let i = 0; i < episodes.length; i += 5000) {
    await table.upsert(
      episodes
        .slice(i, i + 5000)
        .map((e, j) => ({ id: e.id, repo: e.repo, createdAt: e.createdAt, textHash: textHash(id, e.id), vector: vector(e, i + j) })),
    );
  }
  // as vectorizePending does after embedding
  await table.ensureIndex();
}

/**
 * Feedback as a user gives it, so recall pays for the utility prior and the "not relevant" lookup:
 * FEEDBACK verdicts through the core API, alternately "not relevant" for one of the bench queries
 * (hidden there) and "helpful" (a credit that lifts the episode everywhere), on spread-out episodes.
 */
/** BENCH_FEEDBACK=0 leaves feedback out: the paired figure for what the prior costs. */
const FEEDBACK = Number(process.env.BENCH_FEEDBACK ?? 200);
async function giveFeedback(store: ExperienceStore, episodes: Episode[], queries: string[]): Promise<void> {
  const step = Math.max(1, Math.floor(episodes.length / FEEDBACK));
  for (let i = 0; i < FEEDBACK && i * step < episodes.length; i++) {
    const kind = i % 2 ? 'helpful' : 'not-relevant';
    await recordFeedback(store, { subject: episodes[i * step].id, kind, query: queries[i % queries.length] });
  }
}

/** Time from process start to the first answer (lexical), measured inside a fresh process. */
function coldFirstRecall(dir: string, text: string): number {
  const script = join(dir, 'cold.js');
  writeFileSync(
    script,
    `
    const t = performance.now();
    const { ExperienceStore } = require(${JSON.stringify(join(__dirname, '../src/core/store'))});
    const { recall } = require(${JSON.stringify(join(__dirname, '../src/core/recall/recall'))});
    ExperienceStore.open(${JSON.stringify(dir)}, { mode: 'read' })
      .then((s) => recall(s, { text: ${JSON.stringify(text)}, k: 5 }).then(() => { s.close(); console.log(Math.round(performance.now() - t)); }));
  `,
  );
  return Number(execFileSync(process.execPath, ['--require', 'tsx/cjs', script], { encoding: 'utf8' }).trim());
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
