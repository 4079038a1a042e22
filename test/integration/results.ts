// The results file the in-host mocha run writes and the outer runner waits for.

export interface TestResult {
  /** Suite titles and the test title, joined by " › ". */
  title: string;
  file?: string;
  state: 'passed' | 'failed' | 'pending';
  durationMs?: number;
  error?: string;
}

export interface ResultsFile {
  /** Set when the run could not start or crashed outside a test (e.g. a suite failed to load). */
  error?: string;
  /** Tests this run left out on purpose, and why (e.g. UI tests without the Playwright runner). */
  notRun?: string;
  tests: TestResult[];
  passes: number;
  failures: number;
  pending: number;
}

/** Env vars the runner gives code-server, which passes its environment on to the extension host. */
export const ENV_RESULTS = 'DEJAFIX_TEST_RESULTS';
/** Comma-separated folders (under dist/test/integration) whose *.test.js files this run executes. */
export const ENV_SUITES = 'DEJAFIX_TEST_SUITES';
/** Base URL of the runner's UI-control endpoint (see README.md). */
export const ENV_CONTROL = 'DEJAFIX_TEST_CONTROL';
/** Optional mocha grep pattern for this run. */
export const ENV_GREP = 'DEJAFIX_TEST_GREP';
