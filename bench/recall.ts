// bench:recall — the retrieval protocol of ../shared/bench/README.md, run side by side for the
// BM25 baseline (ExpeRepair's retrieval, implemented here as the README specifies) and for
// Dejafix's own recall through the CLI's batch contract (`dejafix recall --batch --json`).
// Ranking metrics (Recall@5, nDCG@10, MRR@10) run with `--min-relevance 0` (always the top k, as
// before relevance existed); the abstention metrics of issue 17 run with the default threshold over
// every query with an earlier instance of its repository (see abstention.ts), for all of them and
// for the newer 40% that bench:calibrate holds out.
// Usage: npm run bench:recall [-- INSTANCES.jsonl]   (default: ../shared/bench/swebench-lite.jsonl)
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bm25Rank } from './bm25';
import { machineLine } from './machine';
import { instancesWithHistory, loadInstances, queries, score, type Instance, type Metrics } from './protocol';
import { abstention, type Judged } from './abstention';
import { DEFAULT_MIN_RELEVANCE } from '../src/core/recall/relevance';
import { recall } from '../src/core/recall/recall';
import { ExperienceStore } from '../src/core/store';
import { createEmbedder } from '../src/core/embed/factory';
import { WORKSPACES, workspaceFor } from './workspaces';

const DATA = process.argv[2] ?? join(__dirname, '../../shared/bench/swebench-lite.jsonl');
const CLI = join(__dirname, '../dist/cli.js');

interface Result {
  sourceId: string;
  relevance: number;
}

/** Imports the instances once; returns a function that runs a batch of queries against the store. */
function dejafixStore(file: string, dir: string, embed: string[] = []): (qs: Instance[], extra: string[]) => Result[][] {
  const store = storeIn(dir);
  execFileSync(process.execPath, [CLI, 'import', '--store', store, '--format', 'swebench', ...embed, file], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return (qs, extra) => {
    const batch = join(dir, 'queries.jsonl');
    // Only the problem statement, the repository and the query's own time: never its patch or hints.
    writeFileSync(
      batch,
      qs.map((q) => JSON.stringify({ id: q.instance_id, text: q.problem_statement, repo: q.repo, before: q.created_at, k: 10 })).join('\n'),
    );
    // The CLI would read the folder it runs in as the workspace: these runs are memory alone (see workspaceLines).
    const out = execFileSync(
      process.execPath,
      [CLI, 'recall', '--store', store, '--batch', batch, '--json', '--no-workspace', ...embed, ...extra],
      {
        encoding: 'utf8',
        maxBuffer: 256 * 1024 * 1024,
      },
    );
    const byId = new Map<string, Result[]>();
    for (const line of out.trim().split('\n')) {
      const r = JSON.parse(line) as { id: string; results: Result[]; error?: string };
      if (r.error) throw new Error(`query ${r.id}: ${r.error}`);
      byId.set(r.id, r.results);
    }
    return qs.map((q) => byId.get(q.instance_id) ?? []);
  };
}

const storeIn = (dir: string) => join(dir, 'store');

/**
 * With WORKSPACES=dir (bench/workspaceIndexes.ts): the same queries through recall() in process, each
 * with its repository's code at its base commit, on the store the CLI run built (with vectors).
 */
async function workspaceLines(dir: string, all: { q: Instance; relevant: Set<string> }[], base: Metrics): Promise<string[]> {
  const store = await ExperienceStore.open(storeIn(dir));
  const embedder = createEmbedder({ provider: 'builtin' });
  try {
    const results: Result[][] = [];
    for (const { q } of all) {
      const hits = await recall(
        store,
        { text: q.problem_statement, repo: q.repo, before: q.created_at, k: 10, minRelevance: 0 },
        { embedder, workspaceCode: workspaceFor(q.instance_id, q.repo) },
      );
      results.push(hits.map((h) => ({ sourceId: h.sourceId ?? '', relevance: h.relevance })));
    }
    const cut = (min: number) => results.map((rs) => rs.filter((r) => r.relevance >= min));
    const ranked = all.flatMap(({ relevant }, i) => (relevant.size ? [{ ranked: results[i].map((r) => r.sourceId), relevant }] : []));
    return [
      row('Dejafix + workspaces', score(ranked), base),
      abstentionLine(`  with workspaces, min relevance ${DEFAULT_MIN_RELEVANCE}`, all, cut(DEFAULT_MIN_RELEVANCE)),
      abstentionLine('  with workspaces, min relevance 0', all, cut(0)),
    ];
  } finally {
    await embedder?.dispose();
    store.close();
  }
}

function row(name: string, m: Metrics, base?: Metrics): string {
  const ratio = base ? ` (${(m.recall5 / base.recall5).toFixed(2)}× baseline Recall@5)` : '';
  return `${name.padEnd(22)} Recall@5 ${m.recall5.toFixed(3)}   nDCG@10 ${m.ndcg10.toFixed(3)}   MRR@10 ${m.mrr10.toFixed(3)}${ratio}`;
}

/** Every instance with an earlier one of its repository, and which earlier ones are relevant. */
function withHistory(instances: Instance[]): { q: Instance; relevant: Set<string> }[] {
  return instancesWithHistory(instances).map(({ case: c, relevant }) => ({ q: c.instance, relevant }));
}

/** The held-out part bench:calibrate tests on: the newer 40% of the queries with history. */
const HELD_OUT = 0.4;

function abstentionLine(name: string, all: { relevant: Set<string> }[], results: Result[][]): string {
  const judged: Judged[] = all.map(({ relevant }, i) => ({
    relevantCount: relevant.size,
    hits: results[i].map((r) => ({ relevance: r.relevance, relevant: relevant.has(r.sourceId) })),
  }));
  const cell = (js: Judged[]) => {
    const a = abstention(js, 0);
    return `results on ${a.noiseQueries} queries with nothing relevant ${a.noise.toFixed(2)}   relevant share ${(a.precision * 100).toFixed(1)}%   Recall@5 ${a.recall5.toFixed(3)} (${a.relevantQueries} queries)`;
  };
  const newer = judged.slice(Math.floor(judged.length * (1 - HELD_OUT)));
  return `${name.padEnd(22)} all: ${cell(judged)}\n${''.padEnd(22)} newer ${newer.length}: ${cell(newer)}`;
}

async function main(): Promise<void> {
  const instances = loadInstances(DATA);
  const qs = queries(instances);
  const all = withHistory(instances);
  const baseline = score(
    qs.map(({ q, past, relevant }) => ({
      ranked: bm25Rank(
        q.problem_statement,
        past.filter((d) => d.repo === q.repo),
      ),
      relevant,
    })),
  );
  const dir = mkdtempSync(join(tmpdir(), 'dejafix-bench-recall-'));
  try {
    console.log(`bench:recall — ${new Date().toISOString().slice(0, 10)} — ${machineLine()}`);
    console.log(
      `data: ${DATA} (${instances.length} instances, ${qs.length} queries with a relevant past instance, ${all.length} with an earlier instance of their repository)`,
    );
    console.log(row('BM25 baseline', baseline));
    // The same without embeddings (--embedder none): what the code-aware lexical part does alone.
    for (const [name, embed] of [
      ['Dejafix recall', []],
      ['Dejafix, lexical only', ['--embedder', 'none']],
    ] as const) {
      const run = dejafixStore(DATA, join(dir, embed.length ? 'lexical' : 'default'), [...embed]);
      const ranked = run(
        qs.map(({ q }) => q),
        ['--min-relevance', '0'],
      );
      console.log(row(name, score(qs.map(({ relevant }, i) => ({ ranked: ranked[i].map((r) => r.sourceId), relevant }))), baseline));
      // The default threshold every front door uses, passed explicitly so the label cannot lie
      // about what ran (recall()'s own default is checked by test/unit/relevanceDefault.test.ts).
      console.log(
        abstentionLine(
          `  min relevance ${DEFAULT_MIN_RELEVANCE} (the default)`,
          all,
          run(
            all.map(({ q }) => q),
            ['--min-relevance', String(DEFAULT_MIN_RELEVANCE)],
          ),
        ),
      );
      console.log(
        abstentionLine(
          '  min relevance 0',
          all,
          run(
            all.map(({ q }) => q),
            ['--min-relevance', '0'],
          ),
        ),
      );
      if (!embed.length)
        console.log(
          WORKSPACES
            ? (await workspaceLines(join(dir, 'default'), all, baseline)).join('\n')
            : "  (WORKSPACES=dir adds the figures with each query's repository code: bench/workspaceIndexes.ts)",
        );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
