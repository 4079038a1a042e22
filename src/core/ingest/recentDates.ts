// Sample data that reads as recent: moves every timestamp of the records being imported (episodes,
// their attempts, insights) by one amount so that the newest lands at a chosen time. The demo memory
// is written with fixed dates; seeded as is, a year later every lesson looks stale and every repair
// "13 months ago". Order and gaps between records are kept exactly.
import type { Attempt } from '../model/attempt';
import type { Episode } from '../model/episode';
import type { Insight } from '../model/insight';
import { readAll } from './importer';
import type { Parsed } from './records';

const move = (iso: string, ms: number): string => new Date(Date.parse(iso) + ms).toISOString();
const moveOpt = (iso: string | undefined, ms: number): string | undefined => (iso === undefined ? undefined : move(iso, ms));

function times(p: Parsed): string[] {
  const attempts = [...(p.attempts ?? []), ...(p.episodes ?? []).flatMap((e) => e.attempts)];
  return [
    ...(p.episodes ?? []).flatMap((e) => [e.createdAt, e.endedAt]),
    ...attempts.map((a) => a.at),
    ...(p.insights ?? []).flatMap((i) => [i.createdAt, i.updatedAt, i.lastUsedAt]),
  ].filter((t): t is string => t !== undefined);
}

/** The newest timestamp in the records, in ms since the epoch (or undefined when there is none). */
export function newestTime(p: Parsed): number | undefined {
  const all = times(p)
    .map((t) => Date.parse(t))
    .filter((n) => Number.isFinite(n));
  return all.length ? Math.max(...all) : undefined;
}

const moveAttempt = (a: Attempt, ms: number): Attempt => ({ ...a, at: move(a.at, ms) });

function moveEpisode(e: Episode, ms: number): Episode {
  const endedAt = moveOpt(e.endedAt, ms);
  return { ...e, createdAt: move(e.createdAt, ms), ...(endedAt ? { endedAt } : {}), attempts: e.attempts.map((a) => moveAttempt(a, ms)) };
}

function moveInsight(i: Insight, ms: number): Insight {
  const lastUsedAt = moveOpt(i.lastUsedAt, ms);
  return { ...i, createdAt: move(i.createdAt, ms), updatedAt: move(i.updatedAt, ms), ...(lastUsedAt ? { lastUsedAt } : {}) };
}

/** The same records with every timestamp moved by `ms` milliseconds. */
export function shiftParsed(p: Parsed, ms: number): Parsed {
  return {
    ...(p.episodes ? { episodes: p.episodes.map((e) => moveEpisode(e, ms)) } : {}),
    ...(p.attempts ? { attempts: p.attempts.map((a) => moveAttempt(a, ms)) } : {}),
    ...(p.insights ? { insights: p.insights.map((i) => moveInsight(i, ms)) } : {}),
  };
}

/**
 * A parser for `file` whose records are moved so that the newest timestamp in the whole file is
 * `newest` (bad lines are skipped here; the import reports them). Reads the file once up front.
 */
export async function recentDatesParser(file: string, parse: (text: string) => Parsed, newest: Date): Promise<(text: string) => Parsed> {
  const { items } = await readAll(file, parse);
  const latest = Math.max(...items.map((p) => newestTime(p) ?? -Infinity));
  const ms = Number.isFinite(latest) ? newest.getTime() - latest : 0;
  return (text) => shiftParsed(parse(text), ms);
}
