// Runs the integration suites inside real VS Code: code-server + headless chromium (playwright-core).
// Usage: npm run test:integration [-- --run <name>]... [--grep <pattern>] [--keep] [--no-ui] [--vsix <file>]
// DEJAFIX_IT_EXTENSION_PATH loads another copy of the extension; DEJAFIX_IT_TIMEOUT_MS bounds each run.
import { appendFileSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium, type Browser, type Page } from 'playwright-core';
import { codeServerCommand, startCodeServer, type CodeServer } from './codeServer';
import { startControlServer } from './control/server';
import { readSetupEnv, REPO_ROOT, requireBundle, type SetupEnv } from './env';
import { printFailureLogs } from './logs';
import { pollResults, printResults, type RunOutcome } from './report';
import { prepareRun } from './prepare';
import { ENV_CONTROL } from './results';
import { RUNS, type RunSpec } from './runs';

interface Options {
  grep?: string;
  keep: boolean;
  /** No UI control, as under @vscode/test-electron: tests tagged @ui are left out. */
  noUi: boolean;
  extensionPath: string;
  testsPath: string;
}

function stubExtension(tmp: string): string {
  const dir = join(tmp, 'test-host-extension');
  mkdirSync(dir, { recursive: true });
  const manifest = { name: 'integration-test-host', publisher: 'dejafix-test', version: '0.0.0', engines: { vscode: '*' } };
  writeFileSync(join(dir, 'package.json'), JSON.stringify(manifest));
  return dir;
}

async function runOne(setup: SetupEnv, spec: RunSpec, o: Options): Promise<RunOutcome> {
  const { tmp, userDataDir, extensionsDir, resultsFile, workspace: ws, env } = prepareRun(spec, o.grep);
  const codeServerLog = join(tmp, 'code-server.log');
  const browserLog = join(tmp, 'browser.log');
  const configFile = join(tmp, 'code-server.yaml');
  writeFileSync(configFile, 'auth: none\ncert: false\n');
  const csOpts = { userDataDir, extensionsDir, trust: spec.trust ?? true, logFile: codeServerLog, configFile, env };
  let page: Page | undefined;
  let browser: Browser | undefined;
  let cs: CodeServer | undefined;
  const control = await startControlServer(() => page);
  if (!o.noUi) csOpts.env[ENV_CONTROL] = control.url;
  const started = Date.now();
  let outcome: RunOutcome;
  try {
    if (spec.vsix) await codeServerCommand(setup, csOpts, ['--install-extension', resolve(spec.vsix)]);
    cs = await startCodeServer(setup, csOpts);
    browser = await chromium.launch({
      executablePath: setup.chromium,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-dev-shm-usage'],
    });
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.on('console', (m) => appendFileSync(browserLog, `[${m.type()}] ${m.text()}\n`));
    page.on('pageerror', (e) => appendFileSync(browserLog, `[pageerror] ${e.message}\n`));
    const remote = (p: string) => `vscode-remote://${cs!.authority}${p}`;
    // VS Code runs extension tests only in a development window: with a VSIX, an empty stub
    // extension is the development extension and the installed one is tested.
    const devPath = spec.vsix ? stubExtension(tmp) : o.extensionPath;
    const payload: [string, string][] = [
      ['extensionDevelopmentPath', remote(devPath)],
      ['extensionTestsPath', remote(o.testsPath)],
    ];
    await page.goto(`${cs.url}?${ws.query}&payload=${encodeURIComponent(JSON.stringify(payload))}`);
    const timeoutMs = spec.timeoutMs ?? (Number(process.env.DEJAFIX_IT_TIMEOUT_MS) || 300_000);
    outcome = await pollResults(resultsFile, timeoutMs);
  } catch (err) {
    outcome = { error: err instanceof Error ? err.message : String(err) };
  } finally {
    await browser?.close().catch(() => undefined);
    await cs?.stop();
    await control.close();
  }
  outcome.seconds = (Date.now() - started) / 1000;
  const failed = printResults(spec.name, outcome);
  if (failed) printFailureLogs(userDataDir, codeServerLog, browserLog);
  if (o.keep || failed) process.stdout.write(`  (temp files of run ${spec.name}: ${tmp})\n`);
  else rmSync(tmp, { recursive: true, force: true });
  return outcome;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      run: { type: 'string', multiple: true },
      grep: { type: 'string' },
      keep: { type: 'boolean', default: false },
      'no-ui': { type: 'boolean', default: false },
      vsix: { type: 'string' },
    },
  });
  const setup = readSetupEnv();
  const o: Options = {
    grep: values.grep,
    keep: values.keep ?? false,
    noUi: values['no-ui'] ?? false,
    extensionPath: resolve(process.env.DEJAFIX_IT_EXTENSION_PATH || REPO_ROOT),
    testsPath: requireBundle(),
  };
  const selected = values.run?.length ? RUNS.filter((r) => values.run!.includes(r.name)) : RUNS;
  const runs = values.vsix ? selected.map((r) => ({ ...r, vsix: values.vsix })) : selected;
  const unknown = (values.run ?? []).filter((n) => !RUNS.some((r) => r.name === n));
  if (unknown.length) throw new Error(`unknown run(s) ${unknown.join(', ')}; known: ${RUNS.map((r) => r.name).join(', ')}`);
  for (const r of runs) {
    if (r.vsix && !existsSync(resolve(r.vsix)))
      throw new Error(
        `run ${r.name} tests ${resolve(r.vsix)}, which is missing: run \`npm run package -- --target linux-x64\` first (npm test does)`,
      );
  }
  const what = values.vsix ? `installed ${resolve(values.vsix)}` : o.extensionPath;
  process.stdout.write(`Integration tests in code-server ${setup.codeServerVersion} (extension: ${what})\n`);
  let passes = 0;
  let failures = 0;
  for (const spec of runs) {
    const r = await runOne(setup, spec, o);
    passes += r.results?.passes ?? 0;
    failures += (r.results?.failures ?? 0) + (r.error || r.results?.error ? 1 : 0);
  }
  process.stdout.write(`\n${passes} passed, ${failures} failed\n`);
  return failures > 0 || passes === 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`Integration run failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
