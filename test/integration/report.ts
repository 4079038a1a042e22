// Waiting for a run's results file and printing it.
import { existsSync, readFileSync } from 'node:fs';
import type { ResultsFile } from './results';

export interface RunOutcome {
  results?: ResultsFile;
  /** The run did not produce results (timeout, code-server or browser failure). */
  error?: string;
  seconds?: number;
}

export async function pollResults(file: string, timeoutMs: number): Promise<RunOutcome> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (existsSync(file)) {
      try {
        return { results: JSON.parse(readFileSync(file, 'utf8')) as ResultsFile };
      } catch (err) {
        return { error: `unreadable results file ${file}: ${String(err)}` };
      }
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  return { error: `no results after ${timeoutMs / 1000} s: the extension host never ran the tests or hung (see the logs below)` };
}

const MARK = { passed: '✓', failed: '✗', pending: '-' } as const;

/** Prints the run's tests; returns true when the run failed. */
export function printResults(name: string, o: RunOutcome): boolean {
  const r = o.results;
  process.stdout.write(`\n== run ${name} (${o.seconds?.toFixed(1)} s)\n`);
  for (const t of r?.tests ?? []) {
    process.stdout.write(`  ${MARK[t.state]} ${t.title}${t.durationMs ? ` (${t.durationMs} ms)` : ''}\n`);
    if (t.error) process.stdout.write(`      ${t.error.split('\n').join('\n      ')}\n`);
  }
  if (r?.notRun) process.stdout.write(`  not run: ${r.notRun}\n`);
  const error = o.error ?? r?.error;
  if (error) process.stdout.write(`  ERROR: ${error}\n`);
  if (r) process.stdout.write(`  ${r.passes} passed, ${r.failures} failed${r.pending ? `, ${r.pending} pending` : ''}\n`);
  return Boolean(error) || !r || r.failures > 0 || r.passes === 0;
}
