import { availableParallelism } from 'node:os';

// LanceDB and Arrow are loaded on first use, never at module load: importing the store module
// must stay cheap (extension activation, `dejafix --help`).
//
// Both are loaded with `require`, not `import()`: apache-arrow ships separate ESM and CommonJS
// builds, LanceDB's own code uses the CommonJS one, and LanceDB checks `instanceof Field`, so a
// Field made from the ESM build would not be recognised.
export type LanceModule = typeof import('@lancedb/lancedb');
export type ArrowModule = typeof import('apache-arrow');

/**
 * Lance gives its CPU pool (number of CPUs − 2) threads, at least 1. Building a full-text index
 * needs two of them at once (a producer and the page encoder it feeds), so with one thread an
 * index update of a large table deadlocks: seen here at 100k episodes on 2 cores, every thread
 * parked and no CPU used (lance-format/lance#7350). Small machines (2–3 cores: laptops, VMs,
 * Codespaces) are common, so unless the user chose a size, the pool gets at least 4 threads.
 */
export const MIN_LANCE_CPU_THREADS = 4;

function sizeLanceCpuPool(env: NodeJS.ProcessEnv = process.env): void {
  if (!env.LANCE_CPU_THREADS) env.LANCE_CPU_THREADS = String(Math.max(MIN_LANCE_CPU_THREADS, availableParallelism()));
}

let lance: LanceModule | undefined;
let arrow: ArrowModule | undefined;

export async function loadLance(): Promise<LanceModule> {
  // Before the native module starts: the pool is sized once, from the environment.
  if (!lance) sizeLanceCpuPool();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  lance ??= require('@lancedb/lancedb') as LanceModule;
  return lance;
}

export async function loadArrow(): Promise<ArrowModule> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  arrow ??= require('apache-arrow') as ArrowModule;
  return arrow;
}
