// The files being worked on in a checkout: tracked source files whose working copy (or index)
// differs from HEAD. Mid-repair (a test failed, the agent asks again), they are where the agent or
// the user thinks the code is, and a past repair of one of them is far more likely the same
// code (relevance.ts, EDITING). Read fresh on every recall: `git diff --name-only` compares file
// stats and hashes only the files whose stats changed (a few ms), and runs through safeGit (nothing
// the repository's config names is executed).
import { isTestPath } from '../model/patch';
import { runGit } from '../capture/safeGit';
import { isSourcePath } from './definitions';
import { errorText } from '../util/errors';
import type { Logger } from '../util/logger';

/**
 * More changed source files than this is not one repair in progress (a rebase, a rename across the
 * tree, a formatter run): the change then says nothing about which code an issue is about. Of 1,536
 * real agent attempts on SWE-bench Lite, 1,455 changed a file: 1,417 of them at most 3, and 3 more than 20.
 */
export const MAX_EDITING = 20;
/**
 * A recall waits at most this long for the listing (git hashes files whose stats changed, which on a
 * huge checkout with stale stats can take long); it then goes without, and git is stopped at GIT_TIMEOUT_MS.
 */
export const EDITING_WAIT_MS = 2_000;
const GIT_TIMEOUT_MS = 5_000;

/** The checkout's changed non-test source files (repository-relative), [] when none or too many; undefined when git fails. */
export async function editingFilesOf(root: string, log?: Logger): Promise<string[] | undefined> {
  try {
    const out = await runGit(root, ['diff', '--name-only', '-z', '--no-renames', 'HEAD', '--'], { timeout: GIT_TIMEOUT_MS });
    return editingFrom(out);
  } catch (e) {
    // An empty repository (no HEAD yet) or git missing: recall goes without, as with no edits.
    log?.debug(`could not list the checkout's changed files: ${errorText(e)}`);
    return undefined;
  }
}

/** The source files of a NUL-separated `git diff --name-only -z` listing, tests left out, [] past MAX_EDITING. */
export function editingFrom(listing: string): string[] {
  return changedSources(listing.split('\0'));
}

/** Of changed paths (a listing, a patch's files), the source files, tests left out, [] past MAX_EDITING. */
export function changedSources(paths: Iterable<string>): string[] {
  const files = [...new Set(paths)].filter((p) => p && isSourcePath(p) && !isTestPath(p));
  return files.length > MAX_EDITING ? [] : files;
}
