// The same suites through @vscode/test-electron in a desktop VS Code (npm run test:electron).
// Needs a desktop VS Code: downloaded by test-electron (VSCODE_VERSION, default stable), or the one
// at VSCODE_EXECUTABLE. On a headless Linux run it under xvfb-run. Tests tagged @ui do not run here.
import { runTests } from '@vscode/test-electron';
import { rmSync } from 'node:fs';
import { REPO_ROOT, requireBundle } from './env';
import { prepareRun } from './prepare';
import { pollResults, printResults, type RunOutcome } from './report';
import { RUNS, type RunSpec } from './runs';

function isLaunchFailure(err: unknown): boolean {
  const text = String(err instanceof Error ? `${err.message} ${(err as NodeJS.ErrnoException).code ?? ''}` : err);
  return /download|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|getaddrinfo|ENOENT|socket|fetch failed|spawn/i.test(text);
}

async function runOne(spec: RunSpec, testsPath: string): Promise<RunOutcome> {
  if (spec.vsix) return { error: 'VSIX runs are only supported by run.ts (code-server)' };
  const run = prepareRun(spec);
  const started = Date.now();
  let outcome: RunOutcome;
  try {
    await runTests({
      version: process.env.VSCODE_VERSION || 'stable',
      vscodeExecutablePath: process.env.VSCODE_EXECUTABLE || undefined,
      extensionDevelopmentPath: REPO_ROOT,
      extensionTestsPath: testsPath,
      extensionTestsEnv: run.env,
      launchArgs: [
        run.workspace.path,
        '--user-data-dir',
        run.userDataDir,
        '--extensions-dir',
        run.extensionsDir,
        '--disable-gpu',
        ...((spec.trust ?? true) ? ['--disable-workspace-trust'] : []),
      ],
    });
    outcome = await pollResults(run.resultsFile, 5_000);
  } catch (err) {
    if (isLaunchFailure(err)) throw err;
    outcome = await pollResults(run.resultsFile, 5_000);
    outcome.error ??= `VS Code exited with a failure: ${err instanceof Error ? err.message : String(err)}`;
  }
  outcome.seconds = (Date.now() - started) / 1000;
  const failed = printResults(spec.name, outcome);
  if (failed) process.stdout.write(`  (temp files of run ${spec.name}: ${run.tmp})\n`);
  else rmSync(run.tmp, { recursive: true, force: true });
  return outcome;
}

async function main(): Promise<number> {
  const testsPath = requireBundle();
  let passes = 0;
  let failures = 0;
  for (const spec of RUNS.filter((r) => !r.vsix)) {
    const r = await runOne(spec, testsPath);
    passes += r.results?.passes ?? 0;
    failures += (r.results?.failures ?? 0) + (r.error || r.results?.error ? 1 : 0);
  }
  process.stdout.write(`\n${passes} passed, ${failures} failed\n`);
  return failures > 0 || passes === 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    const why = err instanceof Error ? err.message : String(err);
    process.stderr.write(
      `\nnpm run test:electron needs a desktop VS Code, and none could be downloaded or started here:\n  ${why}\n` +
        'Point VSCODE_EXECUTABLE at an installed VS Code (e.g. /usr/share/code/code), or run where\n' +
        'update.code.visualstudio.com is reachable (on headless Linux: xvfb-run -a npm run test:electron).\n' +
        'On this machine the same suites run in code-server: npm run test:integration.\n',
    );
    process.exit(1);
  },
);
