import { availableParallelism } from 'node:os';
import type { Logger } from '../util/logger';
import { prepareLanceNative } from './lanceUnpack';

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
  // LanceDB logs warnings (with Rust source paths) straight to stderr; Dejafix reports what went
  // wrong itself. LANCEDB_LOG=warn (or debug) brings them back.
  if (!env.LANCEDB_LOG) env.LANCEDB_LOG = 'error';
}

let lance: LanceModule | undefined;
let loadingLance: Promise<LanceModule> | undefined;
let arrow: ArrowModule | undefined;

/** LanceDB's loader (NAPI-RS) takes the native library from this path when it is set. */
const NATIVE_PATH_VAR = 'NAPI_RS_NATIVE_LIBRARY_PATH';

/**
 * Requires LanceDB, from `nativeLibrary` when given (the per-user cache copy of a read-only
 * install). The variable is set only for the `require`: child processes must not inherit it.
 */
function requireLance(nativeLibrary: string | undefined): LanceModule {
  const saved = process.env[NATIVE_PATH_VAR];
  if (nativeLibrary) process.env[NATIVE_PATH_VAR] = nativeLibrary;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require('@lancedb/lancedb') as LanceModule;
  } finally {
    if (saved === undefined) delete process.env[NATIVE_PATH_VAR];
    else process.env[NATIVE_PATH_VAR] = saved;
  }
}

/**
 * LanceDB, loaded once. In a VSIX its native library ships compressed and is unpacked first
 * (lanceUnpack.ts; ~1 s, once per install). A failed load is retried by the next call.
 */
export async function loadLance(log?: Logger): Promise<LanceModule> {
  if (lance) return lance;
  loadingLance ??= (async () => {
    // Before the native module starts: the pool is sized once, from the environment.
    sizeLanceCpuPool();
    // LanceDB's native log prints warnings about each retried object-storage request on stderr
    // (request URLs, internal state); our own errors say what went wrong. LANCEDB_LOG=warn brings them back.
    process.env.LANCEDB_LOG ??= 'error';
    const nativeLibrary = await prepareLanceNative({ log });
    lance = requireLance(nativeLibrary);
    return lance;
  })().finally(() => {
    loadingLance = undefined;
  });
  return loadingLance;
}

export async function loadArrow(): Promise<ArrowModule> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  arrow ??= require('apache-arrow') as ArrowModule;
  return arrow;
}
