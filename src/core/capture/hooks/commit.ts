// A hooked session's journal becomes an episode: its runs are recorded as attempts (redacted there),
// the outcome follows the editor's rule (outcome.ts), and the episode is queued for reflection.
// A session without test runs is not a repair and is dropped. Runs the same agent already reported
// over MCP (same command and exit code within two minutes) are not recorded twice.
import type { Episode } from '../../model/episode';
import { ReflectionQueue } from '../../store/reflectQueue';
import type { ExperienceStore } from '../../store/store';
import { endSession, recordAttempt, startSession, type SessionState } from '../session';
import type { JournalEntry, OpenEntry } from './journal';
import { outcomeOf } from './outcome';

export { outcomeOf } from './outcome';

export interface CommitOptions {
  sessionId: string;
  by: string;
  now: string;
  /** Runs already reported over MCP in this session (command + exit code + time), to skip. */
  reported?: { command: string; exitCode: number | null; at: string }[];
}

/** The episode the journal makes, or undefined when it holds no opened session or no test run. */
export async function episodeFromJournal(entries: JournalEntry[], o: CommitOptions): Promise<Episode | undefined> {
  const open = entries.find((e): e is OpenEntry => e.t === 'open');
  if (!open) return undefined;
  const seen = o.reported ?? [];
  const runs = entries
    .filter((e): e is Extract<JournalEntry, { t: 'run' }> => e.t === 'run')
    .filter(
      (r) =>
        !seen.some(
          (s) =>
            s.command.trim() === r.command.trim() && s.exitCode === r.exitCode && Math.abs(Date.parse(s.at) - Date.parse(r.at)) < 120_000,
        ),
    );
  if (!runs.length) return undefined;
  let s: SessionState = startSession({
    repo: open.repo,
    issue: open.issue,
    baseCommit: open.base,
    folder: open.folder,
    now: open.at,
    source: o.by,
  });
  s = { ...s, id: `${o.by}:${o.sessionId}:${open.at}` };
  for (const r of runs) {
    s = (await recordAttempt(s, { command: r.command, exitCode: r.exitCode, outputTail: r.output, patch: r.patch, by: o.by, at: r.at }))
      .state;
  }
  return endSession(s, outcomeOf(runs), o.now);
}

/** Saves the episode and queues it for reflection. */
export async function saveHookedEpisode(store: ExperienceStore, episode: Episode): Promise<void> {
  await store.upsertEpisodes([episode]);
  await new ReflectionQueue(store).enqueue([episode.id], 'episode-ended');
}
