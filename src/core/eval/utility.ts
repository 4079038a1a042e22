// What people and sessions said about the memory, for `dejafix eval` and Memory Health: the
// feedback counters the store holds. Today these are the lessons' helpful / not helpful votes;
// a store without any feedback gives null, and the report says so instead of showing zeros.
import { insightsFor } from '../store/queries';
import type { ExperienceStore } from '../store/store';

export interface UtilityStats {
  /** Lessons (insights) with at least one vote, and the votes they got. */
  lessons: { voted: number; helpful: number; unhelpful: number };
}

export async function utilityStats(store: ExperienceStore, repo?: string): Promise<UtilityStats | null> {
  const insights = await insightsFor(store, repo === undefined ? {} : { repo });
  const voted = insights.filter((i) => (i.feedback?.helpful ?? 0) + (i.feedback?.unhelpful ?? 0) > 0);
  if (voted.length === 0) return null;
  return {
    lessons: {
      voted: voted.length,
      helpful: voted.reduce((s, i) => s + (i.feedback?.helpful ?? 0), 0),
      unhelpful: voted.reduce((s, i) => s + (i.feedback?.unhelpful ?? 0), 0),
    },
  };
}
