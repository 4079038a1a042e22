// bench:recall — the retrieval protocol of ../shared/bench/README.md, run side by side for the
// BM25 baseline (ExpeRepair's retrieval, implemented here as the README specifies) and for
// Dejafix's own recall through the CLI's batch contract (`dejafix recall --batch --json`).
// Usage: npm run bench:recall [-- INSTANCES.jsonl]   (default: ../shared/bench/swebench-lite.jsonl)
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bm25Rank } from './bm25';
import { machineLine } from './machine';
import { loadInstances, queries, score, type Metrics } from './protocol';

const DATA = process.argv[2] ?? join(__dirname, '../../shared/bench/swebench-lite.jsonl');
const CLI = join(__dirname, '../dist/cli.js');

function dejafixRankings(file: string, qs: ReturnType<typeof queries>, dir: string, embed: string[] = []): string[][] {
  const store = join(dir, 'store');
  execFileSync(process.execPath, [CLI, 'import', '--store', store, '--format', 'swebench', ...embed, file], { stdio: ['ignore', 'ignore', 'inherit'] });
  const batch = join(dir, 'queries.jsonl');
  // Only the problem statement, the repository and the query's own time: never its patch or hints.
  writeFileSync(batch, qs.map(({ q }) => JSON.stringify({ id: q.instance_id, text: q.problem_statement, repo: q.repo, before: q.created_at, k: 10 })).join('\n'));
  const out = execFileSync(process.execPath, [CLI, 'recall', '--store', store, '--batch', batch, '--json', ...embed], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const byId = new Map<string, string[]>();
  for (const line of out.trim().split('\n')) {
    const r = JSON.parse(line) as { id: string; results: { sourceId: string }[]; error?: string };
    if (r.error) throw new Error(`query ${r.id}: ${r.error}`);
    byId.set(r.id, r.results.map((x) => x.sourceId));
  }
  return qs.map(({ q }) => byId.get(q.instance_id) ?? []);
}

function row(name: string, m: Metrics, base?: Metrics): string {
  const ratio = base ? ` (${(m.recall5 / base.recall5).toFixed(2)}× baseline Recall@5)` : '';
  return `${name.padEnd(22)} Recall@5 ${m.recall5.toFixed(3)}   nDCG@10 ${m.ndcg10.toFixed(3)}   MRR@10 ${m.mrr10.toFixed(3)}${ratio}`;
}

function main(): void {
  const instances = loadInstances(DATA);
  const qs = queries(instances);
  const baseline = score(qs.map(({ q, past, relevant }) => ({ ranked: bm25Rank(q.problem_statement, past.filter((d) => d.repo === q.repo)), relevant })));
  const dir = mkdtempSync(join(tmpdir(), 'dejafix-bench-recall-'));
  try {
    const ranked = dejafixRankings(DATA, qs, dir);
    const ours = score(qs.map(({ relevant }, i) => ({ ranked: ranked[i], relevant })));
    console.log(`bench:recall — ${new Date().toISOString().slice(0, 10)} — ${machineLine()}`);
    console.log(`data: ${DATA} (${instances.length} instances, ${qs.length} queries with a relevant past instance)`);
    console.log(row('BM25 baseline', baseline));
    console.log(row('Dejafix recall', ours, baseline));
    // The same without embeddings (--embedder none): what the code-aware lexical part does alone.
    const lexical = dejafixRankings(DATA, qs, join(dir, 'lexical'), ['--embedder', 'none']);
    console.log(row('Dejafix, lexical only', score(qs.map(({ relevant }, i) => ({ ranked: lexical[i], relevant }))), baseline));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main();
