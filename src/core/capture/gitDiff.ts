// The code change of an attempt: `git diff` of the working tree against the session's base commit,
// with new (untracked, not ignored) files included. Git is run as a program, with limits, and a
// folder that is not a repository simply has no diff.
import { execFile } from 'node:child_process';

/** Diffs beyond this are cut (a generated file or a vendored tree, not a repair). */
export const MAX_DIFF_CHARS = 2_000_000;
const MAX_UNTRACKED = 50;

function git(cwd: string, args: string[], okCodes = [0]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('git', args, { cwd, maxBuffer: 32 * 1024 * 1024, timeout: 20_000, windowsHide: true, env: { ...process.env, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' } }, (err, stdout) => {
      const code = err && typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : err ? -1 : 0;
      if (okCodes.includes(code)) resolve(stdout);
      else reject(err);
    });
  });
}

/** The commit HEAD points at, or undefined outside a repository (or before the first commit). */
export async function headCommit(folder: string): Promise<string | undefined> {
  try {
    return (await git(folder, ['rev-parse', '--verify', 'HEAD'])).trim() || undefined;
  } catch {
    return undefined;
  }
}

export async function currentBranch(folder: string): Promise<string | undefined> {
  try {
    const b = (await git(folder, ['rev-parse', '--abbrev-ref', 'HEAD'])).trim();
    return b && b !== 'HEAD' ? b : undefined;
  } catch {
    return undefined;
  }
}

/** The working tree against `base` (HEAD when not given), untracked files as additions. '' when there is none. */
export async function diffAgainst(folder: string, base?: string): Promise<string> {
  let out: string;
  try {
    out = await git(folder, ['diff', '--no-color', '--no-ext-diff', base ?? 'HEAD', '--']);
  } catch {
    return '';
  }
  try {
    const untracked = (await git(folder, ['ls-files', '--others', '--exclude-standard', '-z'])).split('\0').filter(Boolean).slice(0, MAX_UNTRACKED);
    for (const f of untracked) {
      if (out.length > MAX_DIFF_CHARS) break;
      out += await git(folder, ['diff', '--no-color', '--no-ext-diff', '--no-index', '--', '/dev/null', f], [0, 1]);
    }
  } catch {
    // New files are a bonus; the tracked diff stands on its own.
  }
  return out.length > MAX_DIFF_CHARS ? `${out.slice(0, MAX_DIFF_CHARS)}\n[diff cut at ${MAX_DIFF_CHARS} characters]\n` : out;
}
