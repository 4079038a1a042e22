// The second moment memory is asked, replayed on the user's own memory: after a failed attempt.
// An asked episode whose repair had a failing test run with a code change is asked again with the
// files that attempt changed as the checkout's changes (workspace/editing.ts), as recall sees them
// mid-repair (bench:editing runs the same on SWE-bench Lite with real agents' attempts). Its own
// history only: no checkout is read, the attempt's files are what the episode recorded then.
import { patchFiles } from '../model/patch';
import type { ExperienceStore } from '../store/store';
import { changedSources } from '../workspace/editing';
import { NO_CODE, type WorkspaceCode } from '../workspace/workspaceCode';

/** Attempts are read for this many episodes at a time (their patches can be large). */
const BATCH = 200;

/**
 * For each of `ids` whose episode had a failed attempt changing source files, the source files its
 * first such attempt changed (tests and docs left out, as editing.ts lists a checkout's).
 */
export async function failedAttemptChanges(store: ExperienceStore, ids: readonly string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  for (let i = 0; i < ids.length; i += BATCH) {
    const attempts = await store.attemptsOf(ids.slice(i, i + BATCH) as string[]);
    for (const [id, list] of attempts) {
      for (const a of [...list].sort((x, y) => x.at.localeCompare(y.at))) {
        if (a.outcome !== 'failed' && (a.exitCode === null || a.exitCode === 0)) continue;
        const changed = changedSources(patchFiles(a.patch));
        if (changed.length) {
          out.set(id, changed);
          break;
        }
      }
    }
  }
  return out;
}

/** The checkout recall would see mid-repair: no code index, these files changed. */
export function changedCheckout(repo: string, editing: string[]): WorkspaceCode {
  return { repo, index: NO_CODE, editing };
}
