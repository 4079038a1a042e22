// bench:workspace — what reading the checkout's code costs recall (src/core/workspace): building the
// index of a checkout (git ls-files, then the tracked source files; once per HEAD per process, a rebuild
// reading only the files that changed), ranking its files for an issue (every recall in that checkout),
// over SWE-bench Lite's issue texts, and listing its changed files (git diff --name-only, every recall:
// workspace/editing.ts).
// With WORKSPACES set (bench/workspaceIndexes.ts), also how well that ranking finds the file each Lite
// fix changed (bench/localization.ts).
// Usage: [WORKSPACES=dir] npm run bench:workspace [-- CHECKOUT...]   (default: this repository)
import { join } from 'node:path';
import { localizationLines } from './localization';
import { machineLine, median } from './machine';
import { WORKSPACES } from './workspaces';
import { loadInstances } from './protocol';
import { localize, rankFiles } from '../src/core/workspace/codeIndex';
import { readCode } from '../src/core/workspace/workspaceCode';
import { editingFilesOf } from '../src/core/workspace/editing';

const BUILDS = 5;
const DIFFS = 20;
const CHANGED = 10;

async function main(): Promise<void> {
  const checkouts = process.argv.slice(2).length ? process.argv.slice(2) : [join(__dirname, '..')];
  const lite = join(__dirname, '../../shared/bench/swebench-lite.jsonl');
  const texts = loadInstances(lite).map((i) => i.problem_statement);
  console.log(`bench:workspace — ${new Date().toISOString().slice(0, 10)} — ${machineLine()}`);
  for (const dir of checkouts) {
    const builds: number[] = [];
    const heap = await heapOf(() => readCode(dir));
    let last = heap.value;
    for (let i = 0; i < BUILDS; i++) {
      const t0 = performance.now();
      last = await readCode(dir);
      builds.push(performance.now() - t0);
    }
    const index = last.index;
    // A rebuild after a commit that changed CHANGED files (their stamps dropped: they are read again, the rest reused).
    const rebuilds: number[] = [];
    for (let i = 0; i < BUILDS; i++) {
      const stamps = new Map([...last.stamps].slice(CHANGED));
      const t0 = performance.now();
      await readCode(dir, { ...last, stamps });
      rebuilds.push(performance.now() - t0);
    }
    const ranks: number[] = [];
    for (const t of texts) {
      const t0 = performance.now();
      rankFiles(localize(index, t));
      ranks.push(performance.now() - t0);
    }
    const diffs: number[] = [];
    for (let i = 0; i < DIFFS; i++) {
      const t0 = performance.now();
      await editingFilesOf(dir);
      diffs.push(performance.now() - t0);
    }
    const sorted = [...ranks].sort((a, b) => a - b);
    console.log(
      `${dir}: ${index.files.length} source files, ${index.defs.size} names, ${index.uses.size} identifiers used; held in ${heap.mb} MB of heap; index build p50 ${median(builds).toFixed(0)} ms (warm file cache, ${BUILDS} runs), rebuilt after ${CHANGED} files changed ${median(rebuilds).toFixed(0)} ms; ranking the files for an issue p50 ${median(ranks).toFixed(2)} ms, p95 ${sorted[Math.floor(sorted.length * 0.95)].toFixed(2)} ms (${texts.length} Lite issues); listing the changed files p50 ${median(diffs).toFixed(1)} ms (${DIFFS} runs)`,
    );
  }
  if (WORKSPACES) for (const line of localizationLines(lite)) console.log(line);
}

/** What `make`'s result holds on the heap, in MB ("?" without --expose-gc). */
async function heapOf<T>(make: () => Promise<T>): Promise<{ value: T; mb: string }> {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const before = process.memoryUsage().heapUsed;
  const value = await make();
  gc?.();
  return { value, mb: gc ? ((process.memoryUsage().heapUsed - before) / 1e6).toFixed(1) : '?' };
}

void main();
