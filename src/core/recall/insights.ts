// Insights (lessons) are recalled by relevance × importance within their scope: the issue text
// against each active lesson's text, among lessons of the repository and global ones.
import type { Insight } from '../model/insight';
import { loadLance } from '../store/lance';
import { rowToInsight, sqlString } from '../store/rows';
import type { ExperienceStore } from '../store/store';
import { MAX_QUERY_CHARS } from './recall';

export interface InsightHit {
  insight: Insight;
  score: number;
  why: { relevance: number; importance: number; stale?: boolean };
}

/** A stale lesson (its evidence is gone, see reflect/maintain.ts) keeps this share of its score. */
export const STALE_FACTOR = 0.5;

/** Lessons considered per query before ranking; a scope holds at most a few dozen. */
const CANDIDATES = 50;

export async function recallInsights(store: ExperienceStore, q: { text: string; repo?: string; k?: number }): Promise<InsightHit[]> {
  const text = q.text.toWellFormed().slice(0, MAX_QUERY_CHARS).trim();
  if (!text) return [];
  const scopes = q.repo ? `scope IN ('global', ${sqlString(q.repo)})` : `scope = 'global'`;
  const { MatchQuery } = await loadLance();
  const rows = await store
    .table('insights')
    .query()
    .fullTextSearch(new MatchQuery(text, 'text'))
    .where(`status = 'active' AND importance > 0 AND ${scopes}`)
    .limit(CANDIDATES)
    .toArray();
  const best = Math.max(0, ...rows.map((r) => Number(r._score)));
  if (best <= 0) return [];
  const hits = rows.map((r) => {
    const insight = rowToInsight(r);
    const relevance = Number(r._score) / best;
    // log2(1 + importance): an often-confirmed lesson counts for more, but cannot bury a relevant one.
    const stale = insight.stale ? STALE_FACTOR : 1;
    return {
      insight,
      score: round(relevance * Math.log2(1 + insight.importance) * stale),
      why: { relevance: round(relevance), importance: insight.importance, ...(insight.stale ? { stale: true } : {}) },
    };
  });
  return hits.sort((a, b) => b.score - a.score).slice(0, Math.max(1, Math.min(q.k ?? 3, 20)));
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
