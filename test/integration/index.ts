// In-host entry (extensionTestsPath): VS Code calls `run()` inside the extension host. It runs mocha
// over the bundled suites of this run and writes the results file the outer runner waits for.
import Mocha from 'mocha';
import { existsSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ENV_CONTROL, ENV_GREP, ENV_RESULTS, ENV_SUITES, type ResultsFile, type TestResult } from './results';

function suiteFiles(): string[] {
  const dirs = (process.env[ENV_SUITES] || 'suite')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const files: string[] = [];
  for (const dir of dirs) {
    const abs = join(__dirname, dir);
    if (!existsSync(abs)) throw new Error(`suite folder ${abs} does not exist (from ${ENV_SUITES}); was it bundled by scripts/build.mjs?`);
    for (const f of readdirSync(abs, { recursive: true, encoding: 'utf8' }).sort()) {
      if (f.endsWith('.test.js')) files.push(join(abs, f));
    }
  }
  if (files.length === 0) throw new Error(`no *.test.js files in ${dirs.join(', ')}`);
  return files;
}

function writeResults(results: ResultsFile): void {
  const target = process.env[ENV_RESULTS];
  if (!target) return;
  writeFileSync(`${target}.tmp`, JSON.stringify(results, null, 2));
  renameSync(`${target}.tmp`, target);
}

function message(err: unknown): string {
  return err instanceof Error ? (err.stack ?? err.message) : String(err);
}

export async function run(): Promise<void> {
  const results: ResultsFile = { tests: [], passes: 0, failures: 0, pending: 0 };
  try {
    const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 120_000, reporter: 'spec' });
    const grep = process.env[ENV_GREP];
    if (!process.env[ENV_CONTROL]) {
      // No outer runner to drive the UI (e.g. @vscode/test-electron): tests tagged @ui cannot run.
      mocha.grep(/@ui\b/).invert();
      results.notRun = 'tests tagged @ui (they need the Playwright runner, npm run test:integration)';
    } else if (grep) {
      mocha.grep(grep);
    }
    for (const f of suiteFiles()) mocha.addFile(f);
    await new Promise<void>((resolve) => {
      const runner = mocha.run(() => resolve());
      const push = (test: Mocha.Test, state: TestResult['state'], err?: unknown) =>
        results.tests.push({
          title: test.titlePath().join(' › '),
          file: test.file,
          state,
          durationMs: test.duration,
          error: err === undefined ? undefined : message(err),
        });
      runner.on('pass', (t) => push(t, 'passed'));
      runner.on('fail', (t, err) => push(t as Mocha.Test, 'failed', err));
      runner.on('pending', (t) => push(t, 'pending'));
    });
  } catch (err) {
    results.error = message(err);
  }
  results.passes = results.tests.filter((t) => t.state === 'passed').length;
  results.failures = results.tests.filter((t) => t.state === 'failed').length;
  results.pending = results.tests.filter((t) => t.state === 'pending').length;
  writeResults(results);
  if (results.error || results.failures > 0) {
    throw new Error(results.error ?? `${results.failures} integration test(s) failed`);
  }
}
