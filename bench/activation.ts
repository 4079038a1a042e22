// bench:activation — the extension's cost before first use: loading dist/extension.js and running
// activate(), each in a fresh Node process (as an extension host loads it once), median of N runs.
// activate() only registers commands, views and listeners; LanceDB, the embedding model and the
// Anthropic SDK are not loaded (the probe checks that they are not in the module cache).
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { machineLine } from './machine';

const RUNS = Number(process.env.BENCH_RUNS ?? 21);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

const samples: { loadMs: number; activateMs: number; totalMs: number; registrations: number }[] = [];
for (let i = 0; i < RUNS; i++) {
  const out = execFileSync(process.execPath, [join(__dirname, 'activationProbe.js')], { encoding: 'utf8' });
  samples.push(JSON.parse(out));
}
console.log(`bench:activation — ${new Date().toISOString().slice(0, 10)} — ${machineLine()}`);
console.log(`${RUNS} fresh processes; ${samples[0].registrations} registrations per activation`);
console.log(
  `load bundle  p50 ${median(samples.map((s) => s.loadMs)).toFixed(1)} ms   max ${Math.max(...samples.map((s) => s.loadMs)).toFixed(1)} ms`,
);
console.log(
  `activate()   p50 ${median(samples.map((s) => s.activateMs)).toFixed(1)} ms   max ${Math.max(...samples.map((s) => s.activateMs)).toFixed(1)} ms`,
);
console.log(`total        p50 ${median(samples.map((s) => s.totalMs)).toFixed(1)} ms   (target ≤ 50 ms)`);
