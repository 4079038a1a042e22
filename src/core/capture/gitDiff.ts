// The code change of an attempt: `git diff` of the working tree against the session's base commit,
// with new (untracked, not ignored) files included. Git is run as a program, with limits, and a
// folder that is not a repository simply has no diff. Git runs through safeGit: nothing the
// repository's config names is executed.
import { repoFilterOverrides, runGit, safeRevision } from './safeGit';

/** Diffs beyond this are cut (a generated file or a vendored tree, not a repair). */
export const MAX_DIFF_CHARS = 2_000_000;
const MAX_UNTRACKED = 50;

/** The commit HEAD points at, or undefined outside a repository (or before the first commit). */
export async function headCommit(folder: string): Promise<string | undefined> {
  try {
    return (await runGit(folder, ['rev-parse', '--verify', 'HEAD'], { filters: false })).trim() || undefined;
  } catch {
    return undefined;
  }
}

export async function currentBranch(folder: string): Promise<string | undefined> {
  try {
    const b = (await runGit(folder, ['rev-parse', '--abbrev-ref', 'HEAD'], { filters: false })).trim();
    return b && b !== 'HEAD' ? b : undefined;
  } catch {
    return undefined;
  }
}

/** The working tree against `base` (HEAD when not given), untracked files as additions. '' when there is none. */
export async function diffAgainst(folder: string, base?: string): Promise<string> {
  let out: string;
  const filters = await repoFilterOverrides(folder);
  try {
    out = await runGit(folder, ['diff', safeRevision(base), '--'], { filters });
  } catch {
    return '';
  }
  try {
    const untracked = (await runGit(folder, ['ls-files', '--others', '--exclude-standard', '-z'], { filters: false }))
      .split('\0')
      .filter(Boolean)
      .slice(0, MAX_UNTRACKED);
    for (const f of untracked) {
      if (out.length > MAX_DIFF_CHARS) break;
      out += await runGit(folder, ['diff', '--no-index', '--', '/dev/null', f], { okCodes: [0, 1], filters });
    }
  } catch {
    // New files are a bonus; the tracked diff stands on its own.
  }
  return out.length > MAX_DIFF_CHARS ? `${out.slice(0, MAX_DIFF_CHARS)}\n[diff cut at ${MAX_DIFF_CHARS} characters]\n` : out;
}
