import assert from 'node:assert/strict';
import { spawn, type SpawnOptions } from 'node:child_process';
import { join } from 'node:path';

export const CLI = join(__dirname, '../../dist/cli.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI (`npm test` builds it first) as a separate process. */
export function runCli(args: string[], opts: SpawnOptions & { input?: string } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      ...opts,
      env: { ...process.env, DEJAFIX_STORE: undefined, ...opts.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d) => (stdout += d));
    child.stderr?.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin?.end(opts.input ?? '');
  });
}

/** One line on stderr, no JS stack, no Rust source path or Lance error chain. */
export function assertOneLine(r: CliResult, code: number, pattern: RegExp): void {
  assert.equal(r.code, code, r.stderr);
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.length, 1, r.stderr);
  assert.match(lines[0], pattern);
  assert.doesNotMatch(r.stderr, /\n\s+at |\.rs:\d+|LanceError|cargo|panicked|WARN/);
}
