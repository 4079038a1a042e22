// `npm run bench:team`: share and sync through a team store on Azurite (Microsoft's Azure Storage
// emulator on 127.0.0.1) with the real builtin embedding model. Each step is one `dejafix` process
// (start-up included), as a user or the editor's background sync runs it. Prints a Markdown table
// for bench/RESULTS.md. BENCH_TEAM_N (default 200) episodes from ../shared/bench/swebench-lite.jsonl.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAzurite } from '../test/helpers/remoteBackends';
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
    child.on('close', (code) => (code === 0 ? resolve({ ms: performance.now() - t0, stdout }) : reject(new Error(`dejafix ${args[0]} exited ${code}: ${stderr}`))));
  });
}

async function main(): Promise<void> {
  const n = Number(process.env.BENCH_TEAM_N ?? 200);
  const extra = 20;
  const rows = readFileSync(SOURCE, 'utf8').trim().split('\n');
  if (rows.length < n + extra) throw new Error(`need ${n + extra} rows in ${SOURCE}`);
  const dir = mkdtempSync(join(tmpdir(), 'dejafix-bench-team-'));
  const az = await startAzurite();
  try {
    await az.createContainer('team');
    const env = { ...az.env, DEJAFIX_TEAM_NAME: 'Bench' };
    const team = 'az://team/bench';
    const a = join(dir, 'a');
    const b = join(dir, 'b');
    writeFileSync(join(dir, 'first.jsonl'), `${rows.slice(0, n).join('\n')}\n`);
    writeFileSync(join(dir, 'more.jsonl'), `${rows.slice(n, n + extra).join('\n')}\n`);
    await cli(['import', join(dir, 'first.jsonl'), '--format', 'swebench', '--store', a], env);
    const ids = (s: string) => s.trim().split('\n').map((l) => JSON.parse(l) as { kind: string; id: string }).filter((r) => r.kind === 'episode').map((r) => r.id);
    const firstIds = ids((await cli(['export', '--store', a], env)).stdout);
    const share1 = await cli(['share', ...firstIds, '--yes', '--json', '--team', team, '--store', a], env);
    const sync1 = await cli(['sync', '--json', '--team', team, '--store', b], env);
    await cli(['import', join(dir, 'more.jsonl'), '--format', 'swebench', '--store', a], env);
    const moreIds = ids((await cli(['export', '--store', a], env)).stdout).filter((id) => !firstIds.includes(id));
    const share2 = await cli(['share', ...moreIds, '--yes', '--json', '--team', team, '--store', a], env);
    const sync2 = await cli(['sync', '--json', '--team', team, '--store', b], env);
    const noop = await cli(['sync', '--json', '--team', team, '--store', b], env);
    const queries = rows.slice(0, 7).map((r) => String((JSON.parse(r) as { problem_statement: string }).problem_statement).split('\n')[0].slice(0, 200));
    const recallOn = async (store: string) => {
      const out: number[] = [];
      for (const q of queries) out.push((await cli(['recall', q, '--store', store], env)).ms);
      return median(out);
    };
    const [replicaP50, remoteP50] = [await recallOn(b), await recallOn(team)];
    const pulled = (s: string) => (JSON.parse(s) as { pulled: number }).pulled;
    const f = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
    console.log(`bench:team — ${new Date().toISOString().slice(0, 10)}, ${machineLine()}, Azurite ${az.endpoint.replace(/:\d+/, ':PORT')}`);
    console.log('| step | records | time (one dejafix process) | records/s |');
    console.log('|---|---|---|---|');
    console.log(`| share ${n} episodes to az:// | ${(JSON.parse(share1.stdout) as { written: number }).written} | ${f(share1.ms)} | ${(n / (share1.ms / 1000)).toFixed(1)} |`);
    console.log(`| sync into an empty replica | ${pulled(sync1.stdout)} | ${f(sync1.ms)} | ${(pulled(sync1.stdout) / (sync1.ms / 1000)).toFixed(1)} |`);
    console.log(`| share ${extra} more | ${(JSON.parse(share2.stdout) as { written: number }).written} | ${f(share2.ms)} | — |`);
    console.log(`| sync ${extra} new into the warm replica | ${pulled(sync2.stdout)} | ${f(sync2.ms)} | — |`);
    console.log(`| sync with nothing new | ${pulled(noop.stdout)} | ${f(noop.ms)} | — |`);
    console.log(`| recall p50 on the local replica (7 queries, builtin model) | — | ${f(replicaP50)} | — |`);
    console.log(`| recall p50 directly on az:// | — | ${f(remoteP50)} | — |`);
  } finally {
    await az.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
