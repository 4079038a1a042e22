// Which shell commands in an agent transcript are test runs, and what their output says about
// the result. Agents run tests through wrappers (`cd x && uv run pytest -q 2>&1 | tail -20`), so
// a command is split into its pipeline segments and each segment's wrappers are peeled off.

const END = String.raw`(?=\s|$)`;
/** Test runners, matched at the start of a command segment (after wrappers). */
const RUNNERS: RegExp[] = [
  String.raw`^(?:python[\d.]*\s+-m\s+)?(?:pytest|py\.test|unittest|nose2?|tox|nox)`,
  String.raw`^python[\d.]*\s+\S*(?:manage\.py\s+test|runtests\.py)`,
  String.raw`^\.?\/?\S*runtests\.py`,
  String.raw`^(?:npm|pnpm|yarn|bun)\s+(?:run\s+)?test(?::\S*)?`,
  String.raw`^(?:npm|pnpm)\s+t`,
  String.raw`^(?:jest|vitest|mocha|ava|tap|playwright\s+test|cypress\s+run|karma\s+start)`,
  String.raw`^(?:bun|deno|go|cargo|swift|mix|dotnet|zig\s+build|sbt|lein|stack|cabal)\s+test`,
  String.raw`^(?:mvn|\.?\/?mvnw)\s+(?:\S+\s+)*?(?:test|verify)`,
  String.raw`^(?:gradle|\.?\/?gradlew)\s+(?:\S+\s+)*?(?:test|check)`,
  String.raw`^(?:rspec|phpunit|ctest|prove|busted|rake\s+test|make\s+(?:test|check))`,
  String.raw`^(?:\S*\/)?(?:phpunit|pytest)`,
].map((r) => new RegExp(r + END));
/** A script an agent wrote to reproduce or check the issue (`python reproduce_bug.py`). */
const CHECK_SCRIPT = /^python[\d.]*\s+(?:-\S+\s+)*\S*(?:repro|test|bug|issue|verify|check|simulat|demo|example)\S*\.py(?=\s|$)/i;

/** Words that only change how the real command runs. */
const WRAPPERS =
  /^(?:sudo|time|nice|command|exec|xvfb-run|env|npx|bunx|pnpm\s+exec|pnpm\s+dlx|yarn\s+dlx|uv\s+run|poetry\s+run|pipenv\s+run|hatch\s+run|pdm\s+run|bundle\s+exec|timeout\s+\S+|coverage\s+run(?:\s+-m)?)\s+/;
const ENV_ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=(?:"[^"]*"|'[^']*'|\S*)\s+/;

/** Whether a shell command runs tests or a reproduction script. */
export function isTestCommand(command: string): boolean {
  return segments(command).some((s) => RUNNERS.some((r) => r.test(s)) || CHECK_SCRIPT.test(s));
}

/** Whether the test run's exit code can be trusted: not piped into another command that hides it. */
export function exitCodeIsTheTests(command: string): boolean {
  if (/\bset\s+-o\s+pipefail\b/.test(command)) return true;
  // `a || b` is not a pipe; a single `|` is (its exit code is the last command's).
  return !/(?:^|[^|])\|(?!\|)/.test(command);
}

function segments(command: string): string[] {
  return command
    .split(/&&|\|\||[;|\n]|\$\(|`/)
    .map((s) => peel(s.trim().replace(/^[({]\s*/, '')))
    .filter((s) => s.length > 0);
}

function peel(segment: string): string {
  let s = segment;
  for (let i = 0; i < 8; i++) {
    const next = s.replace(ENV_ASSIGNMENT, '').replace(WRAPPERS, '');
    if (next === s) break;
    s = next;
  }
  return s;
}

export type Verdict = 'passed' | 'failed' | 'unknown';

const FAILED: RegExp[] = [
  /^Traceback \(most recent call last\):/m,
  /^=+ .*\b\d+ (?:failed|errors?)\b.*=+$/m, // pytest summary
  /^(?:\d+ \w+, )*\d+ (?:failed|errors?)\b.* in [\d.]+s/m, // pytest -q summary
  /^FAILED \(/m, // unittest
  /^(?:FAILED|ERROR) \S+/m, // pytest -rA / short summary
  /^Tests?:\s+.*\b\d+ failed\b/m, // jest
  /^\s*\d+ failing\b/m, // mocha
  /^(?:--- FAIL|FAIL\s+\S+)/m, // go test, jest
  /^test result: FAILED\b/m, // cargo
  /^npm ERR! (?:Test failed|code ELIFECYCLE)/m,
  /^\s*(?:AssertionError|SyntaxError|ImportError|ModuleNotFoundError|NameError)\b/m,
  /\bBUILD FAILURE\b|\bFAILURES!/,
];
const PASSED: RegExp[] = [
  /^=+ .*\b\d+ passed\b.*=+$/m,
  /^\d+ passed\b.* in [\d.]+s/m,
  /^OK(?: \(.*\))?$/m,
  /^Tests?:\s+\d+ passed\b/m,
  /^\s*\d+ passing\b/m,
  /^(?:ok\s+\S+|PASS\b)/m,
  /^test result: ok\b/m,
  /\bcompleted successfully\b/i,
  /\bBUILD SUCCESS\b/,
];

/**
 * What a test run's output says, without its exit code: `failed` when it shows a traceback or a
 * runner's failure summary, `passed` when it shows only a success summary, `unknown` otherwise.
 * Only the last 64 K characters are read (summaries come last).
 */
export function judgeOutput(output: string): Verdict {
  const tail = output.length > 65536 ? output.slice(-65536) : output;
  if (FAILED.some((r) => r.test(tail))) return 'failed';
  if (PASSED.some((r) => r.test(tail))) return 'passed';
  return 'unknown';
}
