// bench:redact — how long redaction takes on one big text: 10 MB made of SWE-bench Lite issues and
// patches (../shared/bench/swebench-lite.jsonl) with the fake secrets and ordinary snippets of the
// redaction corpus (seed 7) spread through it, as a huge imported output or transcript would be.
// Prints the median of N warm runs and a SHA-256 of the redacted text, so a faster redaction can be
// shown to give byte-identical results. `node --cpu-prof` on this script profiles it.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { redact } from '../src/core/redact';
import { generateCorpus } from '../test/fixtures/redact/generateCorpus';
import { machineLine } from './machine';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const SIZE = Number(process.env.BENCH_REDACT_MB ?? 10) * 1024 * 1024;

export function input(): string {
  const lite = readFileSync(join(__dirname, '../../shared/bench/swebench-lite.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { problem_statement?: string; patch?: string; test_patch?: string });
  const texts = lite.flatMap((r) => [r.problem_statement ?? '', r.patch ?? '', r.test_patch ?? '']).filter(Boolean);
  const corpus = generateCorpus(7);
  const extra = [...corpus.secrets.map((s) => s.text), ...corpus.ordinary.map((o) => o.text)];
  const parts: string[] = [];
  let size = 0;
  for (let i = 0; size < SIZE; i++) {
    const t = i % 4 === 3 ? extra[(i >> 2) % extra.length] : texts[i % texts.length];
    parts.push(t);
    size += t.length + 1;
  }
  return parts.join('\n').slice(0, SIZE);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function main(): Promise<void> {
  const text = input();
  await redact('warm up: ghp_0123456789abcdefghijklmnopqrstuvwxyzAB'); // loads secretlint
  const times: number[] = [];
  const cpu: number[] = [];
  let out = '';
  let findings = 0;
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const r = await redact(text);
    const c = process.cpuUsage(c0);
    times.push(performance.now() - t0);
    cpu.push((c.user + c.system) / 1000);
    out = r.text;
    findings = r.findings.length;
  }
  console.log(`bench:redact — ${new Date().toISOString().slice(0, 10)} — ${machineLine()}`);
  console.log(`input ${(text.length / 1024 / 1024).toFixed(1)} MB (${text.length} chars), ${findings} secrets redacted`);
  console.log(
    `redact()  wall p50 ${median(times).toFixed(0)} ms   min ${Math.min(...times).toFixed(0)} ms   max ${Math.max(...times).toFixed(0)} ms   (${RUNS} warm runs)`,
  );
  // On a shared machine the process's own CPU time is the steadier figure.
  console.log(`redact()  cpu  p50 ${median(cpu).toFixed(0)} ms   min ${Math.min(...cpu).toFixed(0)} ms`);
  console.log(`output sha256 ${createHash('sha256').update(out).digest('hex')}`);
}

if (require.main === module) void main();
