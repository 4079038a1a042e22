// The outcome of a hooked session from its test runs, by the editor's rule: resolved when the last
// run passed after a failing one, failed when the last one failed, abandoned otherwise.
import type { EpisodeOutcome } from '../../model/episode';

export function outcomeOf(runs: { exitCode: number | null }[]): EpisodeOutcome {
  const last = runs.at(-1);
  if (last?.exitCode === 0 && runs.some((r) => r.exitCode !== 0 && r.exitCode !== null)) return 'resolved';
  if (last && last.exitCode !== 0 && last.exitCode !== null) return 'failed';
  return 'abandoned';
}
