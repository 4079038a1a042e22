// Implicit repair sessions (dejafix.capture.autoSession): a failing test run with no session open
// opens one by itself. This file holds the decisions, without VS Code: the title (from the failing
// test or the traceback), which tests failed, when a later run counts as "those tests pass", and
// when an implicit session that fixed nothing is dropped.
import { stripAnsi } from '../util/text';

export type AutoSessionMode = 'off' | 'ask' | 'on';

/** What an implicit session remembers besides the session itself. */
export interface ImplicitState {
  sessionId: string;
  /** The failing command that opened it. */
  command: string;
  /** The tests that failed in that run (may be empty when the output names none). */
  failing: string[];
  /** When the last run was recorded (ISO). */
  lastRunAt: string;
}

const FAILING_TEST: RegExp[] = [
  /^FAILED\s+(\S+::\S+)/gm, // pytest
  /^\s*(?:✕|✗|×)\s+(.+?)\s*(?:\(\d+\s*m?s\))?$/gm, // jest/vitest/node --test
  /^\s*●\s+(.+?)\s*$/gm, // jest's failure headings
  /^\s*\d+\)\s+(.+?)\s*$/gm, // mocha: "  1) suite test"
  /^--- FAIL:\s+(\S+)/gm, // go test
  /^(?:not ok)\s+\d+\s+-?\s*(.+?)\s*$/gm, // TAP
  /^test\s+(\S+)\s+\.\.\.\s+FAILED$/gm, // cargo test
];
const ERROR_LINE = /^\s*(?:[\w.]+\.)?([A-Z]\w*(?:Error|Exception|Failure)|AssertionError|panic)(?::|\s)\s*(.{0,160})$/m;

/** The names of the tests that failed, as the test runner printed them (at most 20, unique). */
export function failingTests(output: string): string[] {
  const text = stripAnsi(output).slice(-200_000);
  const out = new Set<string>();
  for (const re of FAILING_TEST) {
    for (const m of text.matchAll(re)) {
      const name = m[1].trim().slice(0, 200);
      if (name && !/^\d+\s+(passing|failing|pending)/.test(name)) out.add(name);
      if (out.size >= 20) return [...out];
    }
  }
  return [...out];
}

/** A one-line title for the session: the first failing test, else the error line, else the command. */
export function implicitTitle(command: string, output: string): string {
  const text = stripAnsi(output);
  const tests = failingTests(text);
  const error = ERROR_LINE.exec(text);
  const err = error ? `${error[1]}${error[2] ? `: ${error[2].trim()}` : ''}` : '';
  let title: string;
  if (tests.length && err) title = `${tests[0]} fails — ${err}`;
  else if (tests.length) title = `${tests[0]} fails${tests.length > 1 ? ` (and ${tests.length - 1} more)` : ''}`;
  else if (err) title = err;
  else title = `Tests fail: ${command.trim()}`;
  return title.replace(/\s+/g, ' ').slice(0, 200);
}

const norm = (c: string) => c.trim().replace(/\s+/g, ' ');

/**
 * Whether a passing run shows the tests that opened the session pass: the same command again, or
 * a run whose output names every test that had failed (a narrower or wider command over them).
 */
export function coversFailure(state: ImplicitState, run: { command: string; exitCode: number | null; output: string }): boolean {
  if (run.exitCode !== 0) return false;
  if (norm(run.command) === norm(state.command)) return true;
  if (!state.failing.length) return false;
  const text = stripAnsi(run.output);
  return state.failing.every((t) => text.includes(t.split('::').pop()!.split(' › ').pop()!));
}

/** Whether an implicit session has been left alone long enough to be dropped unsaved. */
export function idleExpired(state: ImplicitState, now: Date, idleMinutes: number): boolean {
  return now.getTime() - Date.parse(state.lastRunAt) >= idleMinutes * 60_000;
}
