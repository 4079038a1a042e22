// The one recall use case every front door calls (panel, @dejafix, LM tools, MCP, CLI): recall
// the past repairs, read them with their attempts, sort those into what worked and what did not,
// and recall the lessons that apply. Ranking feedback (e.g. "not relevant") hooks in here, once.
import type { Episode } from '../model/episode';
import { childLogger, silentLogger } from '../util/logger';
import { errorText } from '../util/errors';
import type { ExperienceStore } from '../store/store';
import { damageOf } from '../store/damage';
import { isPermissionError } from '../store/errors';
import { recallInsights, type InsightHit } from './insights';
import { lessonsFrom, type HitLessons } from './lessons';
import { recall, type RecallHit, type RecallOptions, type RecallQuery } from './recall';

export interface RecallContextQuery extends RecallQuery {
  /** An episode never to return (the session's own, once saved). */
  excludeEpisodeId?: string;
  /** Lessons to recall with the repairs (recallInsights' default when left out; 0 for none). */
  insightsK?: number;
}

export interface RecallContextOptions extends RecallOptions {
  /**
   * Reorders or drops hits before the top k are taken (the editor's "not relevant" marks today);
   * it sees a few more than k, so a dropped hit is replaced.
   */
  adjust?: (hits: RecallHit[], text: string) => RecallHit[] | Promise<RecallHit[]>;
}

export interface RecalledContext {
  hits: RecallHit[];
  /** The recalled episodes with their attempts, by id (an episode forgotten meanwhile is missing). */
  episodes: Map<string, Episode>;
  /** What worked and what did not, per recalled episode. */
  lessons: Map<string, HitLessons>;
  insights: InsightHit[];
}

/** Room for hits that `adjust` or `excludeEpisodeId` may drop. */
const SPARE = 5;
const DEFAULT_K = 5;

export async function recallWithContext(
  store: ExperienceStore,
  q: RecallContextQuery,
  opts: RecallContextOptions = {},
): Promise<RecalledContext> {
  const log = childLogger(opts.log ?? silentLogger, 'recall');
  const k = q.k ?? DEFAULT_K;
  const filtering = opts.adjust !== undefined || q.excludeEpisodeId !== undefined;
  let hits = await recall(store, { ...q, k: filtering ? k + SPARE : k }, opts);
  if (opts.adjust) hits = await opts.adjust(hits, q.text);
  hits = hits.filter((h) => h.episodeId !== q.excludeEpisodeId).slice(0, k);
  const episodes = await store.getEpisodes(hits.map((h) => h.episodeId)).catch((e): Map<string, Episode> => {
    // A damaged or unreadable store is the caller's to report (one line, exit 3, doctor); anything
    // else (an episode forgotten meanwhile) only costs the recalled demonstrations.
    if (damageOf(e) || isPermissionError(e)) throw e;
    log.warn(`could not read the recalled episodes: ${errorText(e)}`);
    return new Map();
  });
  const lessons = lessonsFrom(hits, new Map([...episodes].map(([id, e]) => [id, e.attempts])));
  const insights = q.insightsK === 0 ? [] : await recallInsights(store, { text: q.text, repo: q.repo, k: q.insightsK });
  return { hits, episodes, lessons, insights };
}
