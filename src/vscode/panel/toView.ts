// From the domain model to what the panel shows: shortened where the panel would choke on size,
// with the reasons for a recall put into words. Pure functions, for the backend implementation.
import { utilityWords } from '../../core/feedback/utility';
import type { Attempt, Episode, Insight } from '../../core/model';
import { describeOrigin } from '../../core/model/origin';
import { OUTPUT_TAIL_CHARS } from '../../core/model/outputTail';
import type { RecallHit } from '../../core/recall/recall';
import { whyText } from '../../core/recall/why';
import type { AttemptView, EpisodeCard, InsightView } from '../../shared/viewModel';

/**
 * The panel shows the end of a command's output as capture keeps it (OUTPUT_TAIL_CHARS) and the
 * start of a patch; "Open patch" shows the whole one in a diff editor.
 */
export const PATCH_CHARS = 20_000;
/** An insight neither confirmed nor used for this long is marked stale. */
export const STALE_AFTER_DAYS = 90;

export { OUTPUT_TAIL_CHARS };

export function attemptView(a: Attempt): AttemptView {
  return {
    id: a.id,
    command: a.command,
    exitCode: a.exitCode,
    outcome: a.outcome,
    outputTail: a.outputTail.length > OUTPUT_TAIL_CHARS ? `…${a.outputTail.slice(-OUTPUT_TAIL_CHARS)}` : a.outputTail,
    patch: a.patch.slice(0, PATCH_CHARS),
    patchTruncated: a.patch.length > PATCH_CHARS,
    at: a.at,
    by: a.by,
  };
}

export function episodeCard(e: Episode, hit: Pick<RecallHit, 'score' | 'why' | 'relevance' | 'track'>): EpisodeCard {
  return {
    id: e.id,
    title: e.issue.title,
    repo: e.repo,
    outcome: e.outcome,
    createdAt: e.createdAt,
    score: hit.score,
    relevance: hit.relevance,
    ...(hit.track ? { track: utilityWords({ helpedCount: hit.track.helped, times: hit.track.times }) } : {}),
    why: whyText(hit),
    attempts: e.attempts.map(attemptView),
    hasFinalPatch: e.finalPatch.trim().length > 0,
    origin: describeOrigin(e),
  };
}

/** Null for retired insights, which the panel does not show. */
export function insightView(i: Insight, now: Date = new Date()): InsightView | null {
  if (i.status === 'retired') return null;
  const last = Math.max(Date.parse(i.updatedAt), i.lastUsedAt ? Date.parse(i.lastUsedAt) : 0);
  return {
    id: i.id,
    text: i.text,
    role: i.role,
    status: i.status,
    importance: i.importance,
    evidence: i.evidence,
    createdAt: i.createdAt,
    updatedAt: i.updatedAt,
    stale: now.getTime() - last > STALE_AFTER_DAYS * 86_400_000,
    origin: describeOrigin(i),
  };
}
