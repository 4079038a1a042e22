// Typed questions to the store, so that callers (CLI, editor, MCP, reflection) never build a
// where-clause or touch a LanceDB table: a second storage backend only has to answer these.
import type { AttemptOutcome } from '../model/attempt';
import type { EpisodeOutcome } from '../model/episode';
import type { Insight, InsightRole, InsightStatus } from '../model/insight';
import { sqlString } from './rows';
import type { ExperienceStore } from './store';
import { and, equals, inList, where } from './where';

export interface InsightQuery {
  /**
   * Scope: a repository gives the insights of scope `global` or that repository; `null` gives
   * the global ones only; left out, every scope.
   */
  repo?: string | null;
  /** Exactly this scope (a repository or `global`). */
  scope?: string;
  roles?: readonly InsightRole[];
  /** Default: every status but `retired`. */
  status?: readonly InsightStatus[];
}

/** Insights matching `q`, strongest first (importance, then id). */
export async function insightsFor(store: ExperienceStore, q: InsightQuery = {}): Promise<Insight[]> {
  const list = await store.insights(
    and([
      q.status ? inList('status', q.status) : where(`status <> 'retired'`),
      q.repo !== undefined && (q.repo === null ? equals('scope', 'global') : inList('scope', ['global', q.repo])),
      q.scope !== undefined && equals('scope', q.scope),
      q.roles && inList('role', q.roles),
    ]),
  );
  return list.sort((a, b) => b.importance - a.importance || a.id.localeCompare(b.id));
}

/** Episodes, optionally only those with this outcome and/or of this repository. */
export function countEpisodes(store: ExperienceStore, f: { outcome?: EpisodeOutcome; repo?: string } = {}): Promise<number> {
  return store.count('episodes', and([f.outcome && equals('outcome', f.outcome), f.repo !== undefined && equals('repo', f.repo)]));
}

/**
 * Attempts of stored episodes, optionally only those with this outcome. Attempts whose episode was
 * never saved (a write cut off by a crash) are not counted: nothing else can see them either.
 */
export async function countAttempts(store: ExperienceStore, f: { outcome?: AttemptOutcome } = {}): Promise<number> {
  const total = await store.count('attempts', and([f.outcome && equals('outcome', f.outcome)]));
  if (total === 0) return 0;
  return total - (await orphanAttempts(store)).filter((o) => !f.outcome || o.outcome === f.outcome).length;
}

/** Attempts of stored episodes, in all and by outcome, with one look for orphans (for stats). */
export async function attemptCounts<O extends AttemptOutcome>(
  store: ExperienceStore,
  outcomes: readonly O[],
): Promise<{ total: number; byOutcome: Record<O, number> }> {
  const orphans = await orphanAttempts(store);
  const minus = (o?: O) => orphans.filter((x) => !o || x.outcome === o).length;
  const byOutcome = {} as Record<O, number>;
  for (const o of outcomes) byOutcome[o] = (await store.count('attempts', equals('outcome', o))) - minus(o);
  return { total: (await store.count('attempts')) - minus(), byOutcome };
}

/** Attempts whose episode is not stored: left by a process killed between the two writes of a save. */
export async function orphanAttempts(store: ExperienceStore): Promise<{ id: string; episodeId: string; outcome: string }[]> {
  const episodes = new Set<string>();
  for await (const b of store.table('episodes').query().select(['id'])) for (const r of b.toArray()) episodes.add(String(r.id));
  const out: { id: string; episodeId: string; outcome: string }[] = [];
  for await (const b of store.table('attempts').query().select(['id', 'episodeId', 'outcome'])) {
    for (const r of b.toArray())
      if (!episodes.has(String(r.episodeId)))
        out.push({ id: String(r.id), episodeId: String(r.episodeId), outcome: String(r.outcome ?? '') });
  }
  return out;
}

/** Insights, optionally only those with this status. */
export function countInsights(store: ExperienceStore, f: { status?: InsightStatus } = {}): Promise<number> {
  return store.count('insights', and([f.status && equals('status', f.status)]));
}

/** Episodes per repository. */
export async function episodesPerRepo(store: ExperienceStore): Promise<Map<string, number>> {
  const repos = new Map<string, number>();
  for (const r of await store.table('episodes').query().select(['repo']).toArray())
    repos.set(String(r.repo), (repos.get(String(r.repo)) ?? 0) + 1);
  return repos;
}

export interface RecordSummary {
  episodes: { id: string; title: string; sourceId: string }[];
  insights: { id: string; text: string }[];
  /** The stored ids of what was found (an episode's own id when it was asked for by its source id). */
  ids: string[];
  /** The asked ids nothing matched. */
  notFound: string[];
}

/** Episodes whose id or source id, and insights whose id, is one of `ids` (what `forget` would remove). */
export async function findRecords(store: ExperienceStore, ids: readonly string[]): Promise<RecordSummary> {
  const out: RecordSummary = { episodes: [], insights: [], ids: [], notFound: [] };
  for (let i = 0; i < ids.length; i += 200) {
    const list = ids
      .slice(i, i + 200)
      .map(sqlString)
      .join(', ');
    const e = await store
      .table('episodes')
      .query()
      .where(`id IN (${list}) OR sourceId IN (${list})`)
      .select(['id', 'title', 'sourceId'])
      .toArray();
    const n = await store.table('insights').query().where(`id IN (${list})`).select(['id', 'text']).toArray();
    out.episodes.push(...e.map((r) => ({ id: String(r.id), title: String(r.title ?? ''), sourceId: String(r.sourceId ?? '') })));
    out.insights.push(...n.map((r) => ({ id: String(r.id), text: String(r.text ?? '') })));
  }
  out.ids = [...out.episodes.map((e) => e.id), ...out.insights.map((n) => n.id)];
  const found = new Set([...out.episodes.flatMap((e) => [e.id, e.sourceId]), ...out.ids]);
  out.notFound = ids.filter((id) => !found.has(id));
  return out;
}

/** Which of `ids` are ids of stored episodes. */
export async function existingEpisodeIds(store: ExperienceStore, ids: readonly string[]): Promise<Set<string>> {
  const out = new Set<string>();
  for (let i = 0; i < ids.length; i += 200) {
    const rows = await store
      .table('episodes')
      .query()
      .where(
        `id IN (${ids
          .slice(i, i + 200)
          .map(sqlString)
          .join(', ')})`,
      )
      .select(['id'])
      .toArray();
    for (const r of rows) out.add(String(r.id));
  }
  return out;
}
