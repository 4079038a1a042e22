// What each recalled repair teaches: the attempts that worked and those that did not. A failed or
// abandoned episode is itself "what did not work"; a resolved one may still carry the failing
// attempts that came before its passing patch (ExpeRepair's "wrong → right" demonstration).
import type { Attempt } from '../model/attempt';
import { patchFiles } from '../model/patch';
import type { ExperienceStore } from '../store/store';
import type { RecallHit } from './recall';

export interface TriedAttempt {
  command: string;
  exitCode: number | null;
  /** Files the attempt's patch changed. */
  files: string[];
  at: string;
}

export interface HitLessons {
  /** The attempt whose patch passed, if any. */
  worked?: TriedAttempt;
  /** Attempts that failed, oldest first; for a failed or abandoned episode, all of its attempts. */
  didNotWork: TriedAttempt[];
}

/** Reads the attempts of the recalled episodes (one query) and sorts them into worked / did not work. */
export async function lessonsOf(store: ExperienceStore, hits: RecallHit[]): Promise<Map<string, HitLessons>> {
  return lessonsFrom(hits, await store.attemptsOf(hits.map((h) => h.episodeId)));
}

/** The same, from attempts already read (e.g. with the episodes themselves). */
export function lessonsFrom(hits: RecallHit[], attempts: Map<string, Attempt[]>): Map<string, HitLessons> {
  const out = new Map<string, HitLessons>();
  for (const h of hits) out.set(h.episodeId, split(h, attempts.get(h.episodeId) ?? []));
  return out;
}

function split(h: RecallHit, attempts: Attempt[]): HitLessons {
  const tried = (a: Attempt): TriedAttempt => ({ command: a.command, exitCode: a.exitCode, files: patchFiles(a.patch), at: a.at });
  if (h.outcome !== 'resolved') return { didNotWork: attempts.filter((a) => a.outcome !== 'passed').map(tried) };
  const lastPass = attempts.findLastIndex((a) => a.outcome === 'passed');
  return {
    ...(lastPass >= 0 ? { worked: tried(attempts[lastPass]) } : {}),
    didNotWork: attempts.filter((a, i) => a.outcome === 'failed' && (lastPass < 0 || i < lastPass)).map(tried),
  };
}
