// bench:latency — recall latency at 1k / 10k / 100k episodes built from the real SWE-bench Lite
// data (bench/corpus.ts), p50/p95 over real issue texts as queries, plus the cold first recall
// (a new process: open the store, first query). Embedding time is reported separately when an
// embedder is in use.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { recall } from '../src/core/recall/recall';
import { ExperienceStore } from '../src/core/store';
import { perturbedEpisodes, realEpisodes } from './corpus';
import { machineLine } from './machine';

const SIZES = (process.env.BENCH_SIZES ?? '1000,10000,100000').split(',').map(Number);
const QUERIES = Number(process.env.BENCH_QUERIES ?? 100);

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

async function main(): Promise<void> {
  const base = realEpisodes();
  const queries = base.filter((_, i) => i % Math.max(1, Math.floor(base.length / QUERIES)) === 0).slice(0, QUERIES);
  console.log(`bench:latency — ${new Date().toISOString().slice(0, 10)} — ${machineLine()}`);
  console.log(`${queries.length} queries (real problem statements, with repo and before), k = 5; embedding excluded`);
  for (const n of SIZES) {
    const dir = mkdtempSync(join(tmpdir(), 'dejafix-bench-latency-'));
    try {
      const store = await ExperienceStore.open(dir);
      const all = perturbedEpisodes(n, base);
      await store.bulk(async () => {
        for (let i = 0; i < all.length; i += 2000) await store.upsertEpisodes(all.slice(i, i + 2000));
      });
      await store.maintain();
      const times: number[] = [];
      for (const q of [...queries, ...queries]) {
        const t = performance.now();
        await recall(store, { text: `${q.issue.title}\n${q.issue.body}`, repo: q.repo, before: '2100-01-01T00:00:00Z', k: 5 });
        times.push(performance.now() - t);
      }
      store.close();
      const warm = times.slice(queries.length);
      const cold = coldFirstRecall(dir, queries[0].issue.title);
      console.log(`${String(n).padStart(6)} episodes: p50 ${pct(warm, 50).toFixed(1)} ms, p95 ${pct(warm, 95).toFixed(1)} ms; cold first recall (new process, open + query) ${cold} ms`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

/** Time from process start to the first answer, measured inside a fresh process. */
function coldFirstRecall(dir: string, text: string): number {
  const script = join(dir, 'cold.js');
  writeFileSync(script, `
    const t = performance.now();
    const { ExperienceStore } = require(${JSON.stringify(join(__dirname, '../src/core/store'))});
    const { recall } = require(${JSON.stringify(join(__dirname, '../src/core/recall/recall'))});
    ExperienceStore.open(${JSON.stringify(dir)}, { mode: 'read' })
      .then((s) => recall(s, { text: ${JSON.stringify(text)}, k: 5 }).then(() => { s.close(); console.log(Math.round(performance.now() - t)); }));
  `);
  return Number(execFileSync(process.execPath, ['--require', 'tsx/cjs', script], { encoding: 'utf8' }).trim());
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
