import type { EpisodeOutcome } from '../model/episode';
import { loadLance } from '../store/lance';
import { sqlString } from '../store/rows';
import type { ExperienceStore } from '../store/store';

export interface RecallQuery {
  text: string;
  /** Same-repository episodes are ranked first when given. */
  repo?: string;
  /** Only episodes created strictly before this time (ISO). */
  before?: string;
  k?: number;
}

export interface RecallHit {
  episodeId: string;
  sourceId: string | null;
  score: number;
  outcome: EpisodeOutcome;
  title: string;
  repo: string;
  createdAt: string;
}

/**
 * Query text beyond this many characters adds little but cost: an issue's first 16 K characters
 * hold its title, description and usually the traceback.
 */
export const MAX_QUERY_CHARS = 16_000;
export const DEFAULT_K = 5;

/** Full-text (BM25) recall over the episodes' issue text. The retrieval issue makes it hybrid. */
export async function recallFullText(store: ExperienceStore, q: RecallQuery): Promise<RecallHit[]> {
  const k = Math.max(1, Math.min(q.k ?? DEFAULT_K, 100));
  const text = q.text.toWellFormed().slice(0, MAX_QUERY_CHARS).trim();
  if (!text) return [];
  const filters: string[] = [];
  if (q.before) filters.push(`createdAt < ${sqlString(new Date(q.before).toISOString())}`);
  const same = q.repo ? await search(store, text, [...filters, `repo = ${sqlString(q.repo)}`], k) : [];
  const others = same.length < k ? await search(store, text, q.repo ? [...filters, `repo != ${sqlString(q.repo)}`] : filters, k - same.length) : [];
  return [...same, ...others];
}

async function search(store: ExperienceStore, text: string, filters: string[], k: number): Promise<RecallHit[]> {
  const { MatchQuery } = await loadLance();
  let query = store.table('episodes').query()
    .fullTextSearch(new MatchQuery(text, 'issueText'))
    .select(['id', 'sourceId', 'outcome', 'title', 'repo', 'createdAt', '_score'])
    .limit(k);
  if (filters.length) query = query.where(filters.join(' AND '));
  const rows = await query.toArray();
  return rows.map((r) => ({
    episodeId: String(r.id),
    sourceId: r.sourceId == null ? null : String(r.sourceId),
    score: Number(r._score),
    outcome: r.outcome as EpisodeOutcome,
    title: String(r.title ?? ''),
    repo: String(r.repo ?? ''),
    createdAt: String(r.createdAt ?? ''),
  }));
}
