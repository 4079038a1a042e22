// What the transcript importers share: how an issue is cut from a prompt, and how a run of
// attempts becomes an episode's outcome.
import type { Attempt } from '../model/attempt';
import type { EpisodeOutcome } from '../model/episode';

/** Resolved when the last test run with a known result passed, failed when it failed, abandoned when none did. */
export function outcomeOf(attempts: Pick<Attempt, 'outcome'>[]): EpisodeOutcome {
  const last = attempts.filter((a) => a.outcome !== 'unknown').at(-1);
  return last === undefined ? 'abandoned' : last.outcome === 'passed' ? 'resolved' : 'failed';
}

/** The first line is the title (clipped to 200 characters); the whole prompt stays in the body when clipped. */
export function splitPrompt(prompt: string): { title: string; body: string } {
  const text = prompt.replace(/\r\n/g, '\n').trim();
  const nl = text.indexOf('\n');
  const first = (nl === -1 ? text : text.slice(0, nl)).trim();
  if (first.length > 200) return { title: `${first.slice(0, 199)}…`, body: text };
  return { title: first, body: nl === -1 ? '' : text.slice(nl + 1).trim() };
}
