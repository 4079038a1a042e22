// `npm run bench:team`: share and sync through a team store on Azurite (Microsoft's Azure Storage
// emulator) and on s3rver with S3's conditional writes (test/helpers), both on 127.0.0.1, with the
// real builtin embedding model. Each measured step is one `dejafix`
// process (start-up included), as a user or the editor's background sync runs it; recall is also
// timed in one warm process (model loaded), which isolates the store. Prints Markdown for
// bench/RESULTS.md. Size: `-- --episodes 10000` (or BENCH_TEAM_N); default 200 (real SWE-bench rows).
// Above the 300 real rows, episodes are copies of them that differ after the first 4,000 characters
// of their text: the builtin model reads only the first 2,048 (prepareForBuiltin), so each copy's
// vector is exactly its original's, embedded once per original (checked below) instead of 10k times.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { BuiltinEmbedder } from '../src/core/embed/builtin';
import { prepareForBuiltin } from '../src/core/embed/text';
import { recall } from '../src/core/recall/recall';
import { embedText, vectorizePending } from '../src/core/recall/vectorize';
import { ExperienceStore } from '../src/core/store';
import { VectorTable, textHash } from '../src/core/store/vectors';
import { startAzurite, startS3rver } from '../test/helpers/remoteBackends';
import { machineLine, median } from './machine';

const CLI = join(__dirname, '../dist/cli.js');
const SOURCE = join(__dirname, '../../shared/bench/swebench-lite.jsonl');

function cli(args: string[], env: NodeJS.ProcessEnv): Promise<{ ms: number; stdout: string }> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) =>
      code === 0
        ? resolve({ ms: performance.now() - t0, stdout })
        : reject(new Error(`dejafix ${args[0]} exited ${code}: ${stderr.slice(-2000)}`)),
    );
  });
}

type Row = Record<string, unknown> & { instance_id: string; problem_statement: string };

/** `count` rows from `start`: the real rows while they last, then copies that differ only after 4,000 characters. */
function rowsFor(real: Row[], start: number, count: number): Row[] {
  const out: Row[] = [];
  for (let k = start; k < start + count; k++) {
    const base = real[k % real.length];
    if (k < real.length) {
      out.push(base);
      continue;
    }
    let body = base.problem_statement;
    while (body.length < 4000) body += `\n\n${base.problem_statement}`;
    out.push({
      ...base,
      instance_id: `${base.instance_id}-copy${k}`,
      problem_statement: `${body}\n\nBenchmark copy ${k} of ${base.instance_id}.`,
    });
  }
  return out;
}

/** Vectors for a store whose episodes are copies: one real embedding per distinct model input. */
async function embedByGroup(dir: string, embedder: BuiltinEmbedder, cache: Map<string, Float32Array>): Promise<number> {
  const store = await ExperienceStore.open(dir);
  try {
    const rows = await store.table('episodes').query().select(['id', 'repo', 'createdAt', 'title', 'errorSignature', 'body']).toArray();
    const groups = new Map<string, { text: string; rows: typeof rows }>();
    for (const r of rows) {
      const text = embedText({ title: String(r.title ?? ''), errorSignature: String(r.errorSignature ?? ''), body: String(r.body ?? '') });
      const key = prepareForBuiltin(text);
      const g = groups.get(key) ?? { text, rows: [] };
      g.rows.push(r);
      groups.set(key, g);
    }
    const list = [...groups.values()];
    // One real embedding per distinct model input, kept across calls (the second import adds 100).
    const todo = [...groups.entries()].filter(([key]) => !cache.has(key));
    const fresh = await embedder.embed(todo.map(([, g]) => g.text));
    todo.forEach(([key], i) => cache.set(key, fresh[i]));
    const vectors = [...groups.keys()].map((key) => cache.get(key)!);
    const table = new VectorTable(store, embedder.id);
    const all = list.flatMap((g, i) =>
      g.rows.map((r) => {
        const text = embedText({
          title: String(r.title ?? ''),
          errorSignature: String(r.errorSignature ?? ''),
          body: String(r.body ?? ''),
        });
        return {
          id: String(r.id),
          repo: String(r.repo ?? ''),
          createdAt: String(r.createdAt ?? ''),
          textHash: textHash(embedder.id, text, String(r.repo ?? ''), String(r.createdAt ?? '')),
          vector: vectors[i],
        };
      }),
    );
    for (let i = 0; i < all.length; i += 1000) await table.upsert(all.slice(i, i + 1000));
    await table.ensureIndex();
    // Checks: nothing is left for the model to embed (the hashes are the real ones), and a real
    // embedding of a few copies equals the stored vector.
    const pending = await vectorizePending(store, embedder, { ids: all.slice(0, 50).map((r) => r.id) });
    if (pending.total !== 0) throw new Error(`${pending.total} copies would be embedded again: hashes differ`);
    const sample = all.filter((_, i) => i % Math.max(1, Math.floor(all.length / 5)) === 0).slice(0, 5);
    const texts = sample.map((s) => embedText(rows.find((r) => String(r.id) === s.id) as never));
    const real = await embedder.embed(texts);
    real.forEach((v, i) => {
      const dot = v.reduce((acc, x, j) => acc + x * sample[i].vector[j], 0);
      if (dot < 0.9999) throw new Error(`copy ${sample[i].id}: stored vector differs from the model's (cosine ${dot})`);
    });
    return list.length;
  } finally {
    store.close();
  }
}

async function warmRecallP50(dir: string, queries: string[], embedder: BuiltinEmbedder, env: NodeJS.ProcessEnv): Promise<number> {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  const store = await ExperienceStore.open(dir, { mode: 'read' });
  try {
    await recall(store, { text: queries[0] }, { embedder }); // warm-up: model and store loaded
    const ms: number[] = [];
    for (const q of queries) {
      const t0 = performance.now();
      await recall(store, { text: q }, { embedder });
      ms.push(performance.now() - t0);
    }
    return median(ms);
  } finally {
    store.close();
    process.env = saved;
  }
}

function sizeArg(): number {
  const i = process.argv.indexOf('--episodes');
  const v = Number(i >= 0 ? process.argv[i + 1] : (process.env.BENCH_TEAM_N ?? 200));
  if (!Number.isInteger(v) || v < 10 || v > 100_000) throw new Error('--episodes: a whole number from 10 to 100000');
  return v;
}

type SyncOut = { pulled: number; embedded: number; vectorsCopied?: number };
type ShareOut = { written: number; vectors?: number };

const f = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${ms.toFixed(0)} ms`);
const rate = (k: number, ms: number) => (k / (ms / 1000)).toFixed(0);

async function main(): Promise<void> {
  const n = sizeArg();
  const extra = n >= 1000 ? 100 : 20;
  const real = readFileSync(SOURCE, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Row);
  const synthetic = n + extra > real.length;
  const dir = mkdtempSync(join(tmpdir(), 'dejafix-bench-team-'));
  const [az, s3] = await Promise.all([startAzurite(), startS3rver(['team'], { strict: true })]);
  const embedder = new BuiltinEmbedder();
  const loads: number[] = [loadavg()[0]];
  const started = new Date().toISOString();
  try {
    await az.createContainer('team');
    const base = { DEJAFIX_TEAM_NAME: 'Bench', AWS_EC2_METADATA_DISABLED: 'true' };
    const backends = [
      { name: 'az:// (Azurite)', team: 'az://team/bench', env: { ...base, ...az.env } },
      { name: 's3:// (s3rver with conditional writes)', team: 's3://team/bench', env: { ...base, ...s3.env } },
    ];
    const env = base;
    const a = join(dir, 'a');
    const cache = new Map<string, Float32Array>();
    writeFileSync(
      join(dir, 'first.jsonl'),
      `${rowsFor(real, 0, n)
        .map((r) => JSON.stringify(r))
        .join('\n')}\n`,
    );
    writeFileSync(
      join(dir, 'more.jsonl'),
      `${rowsFor(real, n, extra)
        .map((r) => JSON.stringify(r))
        .join('\n')}\n`,
    );
    const embedFlag = synthetic ? ['--embedder', 'none'] : [];
    const t0 = performance.now();
    await cli(['import', join(dir, 'first.jsonl'), '--format', 'swebench', '--store', a, ...embedFlag], env);
    const groups = synthetic ? await embedByGroup(a, embedder, cache) : n;
    const setup = performance.now() - t0;
    const ids = (s: string) =>
      s
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { kind: string; id: string })
        .filter((r) => r.kind === 'episode')
        .map((r) => r.id);
    const firstIds = ids((await cli(['export', '--store', a], env)).stdout);
    const queries = real.slice(0, 21).map((r) => String(r.problem_statement).split('\n')[0].slice(0, 200));
    const cliP50 = async (store: string, e: NodeJS.ProcessEnv) => {
      const out: number[] = [];
      for (const q of queries.slice(0, 5)) out.push((await cli(['recall', q, '--store', store], e)).ms);
      return median(out);
    };
    const lines: string[] = [];
    const first: { share: { ms: number; stdout: string }; sync: { ms: number; stdout: string } }[] = [];
    for (const [k, be] of backends.entries()) {
      const share = await cli(['share', ...firstIds, '--yes', '--json', '--team', be.team, '--store', a], be.env);
      const sync = await cli(['sync', '--json', '--team', be.team, '--store', join(dir, `b${k}`)], be.env);
      first.push({ share, sync });
      loads.push(loadavg()[0]);
    }
    await cli(['import', join(dir, 'more.jsonl'), '--format', 'swebench', '--store', a, ...embedFlag], env);
    if (synthetic) await embedByGroup(a, embedder, cache);
    const known = new Set(firstIds);
    const moreIds = ids((await cli(['export', '--store', a], env)).stdout).filter((id) => !known.has(id));
    const own = { perProcess: await cliP50(a, env), warm: await warmRecallP50(a, queries, embedder, env) };
    for (const [k, be] of backends.entries()) {
      const b = join(dir, `b${k}`);
      const share2 = await cli(['share', ...moreIds, '--yes', '--json', '--team', be.team, '--store', a], be.env);
      const sync2 = await cli(['sync', '--json', '--team', be.team, '--store', b], be.env);
      const noop = await cli(['sync', '--json', '--team', be.team, '--store', b], be.env);
      const perProcess = { replica: await cliP50(b, be.env), remote: await cliP50(be.team, be.env) };
      const warm = {
        replica: await warmRecallP50(b, queries, embedder, be.env),
        remote: await warmRecallP50(be.team, queries, embedder, be.env),
      };
      loads.push(loadavg()[0]);
      const s1 = JSON.parse(first[k].sync.stdout) as SyncOut;
      const s2 = JSON.parse(sync2.stdout) as SyncOut;
      const sh1 = JSON.parse(first[k].share.stdout) as ShareOut;
      const sh2 = JSON.parse(share2.stdout) as ShareOut;
      lines.push(
        `| ${be.name}: share ${n} episodes (one process) | ${sh1.written} written, ${sh1.vectors ?? 0} vectors | ${f(first[k].share.ms)} | ${rate(n, first[k].share.ms)} |`,
        `| ${be.name}: sync into an empty replica | ${s1.pulled} pulled, ${s1.vectorsCopied ?? 0} vectors copied, ${s1.embedded} embedded | ${f(first[k].sync.ms)} | ${rate(s1.pulled, first[k].sync.ms)} |`,
        `| ${be.name}: share ${extra} more | ${sh2.written} written, ${sh2.vectors ?? 0} vectors | ${f(share2.ms)} | — |`,
        `| ${be.name}: sync ${extra} new into the warm replica | ${s2.pulled} pulled, ${s2.vectorsCopied ?? 0} vectors copied, ${s2.embedded} embedded | ${f(sync2.ms)} | — |`,
        `| ${be.name}: sync with nothing new | ${(JSON.parse(noop.stdout) as SyncOut).pulled} pulled | ${f(noop.ms)} | — |`,
        `| ${be.name}: recall p50, one \`dejafix recall\` process (5 queries): local replica / directly on the team store | — | ${f(perProcess.replica)} / ${f(perProcess.remote)} | — |`,
        `| ${be.name}: recall p50 in a warm process, model loaded (21 queries): local replica / directly on the team store | — | ${f(warm.replica)} / ${f(warm.remote)} | — |`,
      );
    }
    console.log(
      `bench:team — ${started.slice(0, 16)}Z, ${machineLine()}, load average (1 min) ${loads.map((l) => l.toFixed(1)).join(' → ')}; ` +
        `Azurite and s3rver with conditional writes on 127.0.0.1; ${n} episodes${synthetic ? ` (${groups} distinct model inputs; copies of the 300 SWE-bench Lite rows)` : ' (SWE-bench Lite rows)'}; set-up ${f(setup)}`,
    );
    console.log('| step | records | time | records/s |');
    console.log('|---|---|---|---|');
    for (const l of lines) console.log(l);
    console.log(`| the sharer's own local store: recall p50 per process (5) / warm (21) | — | ${f(own.perProcess)} / ${f(own.warm)} | — |`);
  } finally {
    await embedder.dispose();
    await Promise.all([az.stop(), s3.stop()]);
    if (process.env.BENCH_TEAM_KEEP) console.error(`kept ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
