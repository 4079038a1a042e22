// Team sync: pulls records shared into a team store since the last sync (a watermark kept in the
// local store's meta table) into the local store as a replica, and applies team forgets
// (tombstones). Own local records are never overwritten. The watermark moves only after a complete
// pull, so an interrupted sync loses nothing and the next one resumes from where the last ended.
import type { Episode } from '../model/episode';
import type { Insight } from '../model/insight';
import {
  addTombstones,
  copyVectorRows,
  episodesSharedSince,
  indexVectorTables,
  insightsSharedSince,
  ownRecordIds,
  readMeta,
  replicaIds,
  tombstonesSince,
  writeMeta,
  type ExperienceStore,
} from '../store';
import { mergeCounts } from './counters';
import { syncFeedback } from './feedbackSync';

/**
 * Records are read from `watermark − overlap`: a share committed a little after its sharedAt, or
 * written by a machine whose clock is behind, is still picked up. Re-reading is harmless (unchanged
 * records are skipped).
 */
export const SYNC_OVERLAP_MS = 10 * 60 * 1000;

export interface SyncResult {
  pulled: number;
  unchanged: number;
  keptOwn: number;
  forgotten: number;
  watermark?: string;
  /** Vector rows copied from the team store with the episodes (those need no embedding here). */
  vectorsCopied?: number;
  /** Ids of the episodes written (to embed). */
  pulledEpisodeIds?: string[];
  /** Local insights whose helpful/unhelpful counts changed by teammates' feedback. */
  countsMerged?: number;
  /** Teammates' feedback credits added, changed or taken back in the local store. */
  feedbackSynced?: number;
}

export function watermarkKey(teamLocation: string): string {
  return `teamSync:${teamLocation}`;
}

export async function syncFromTeam(
  local: ExperienceStore,
  team: ExperienceStore,
  teamLocation: string,
  opts: { batchSize?: number; signal?: AbortSignal; member?: string } = {},
): Promise<SyncResult> {
  const key = watermarkKey(teamLocation);
  const previous = await readMeta(local, key);
  const since = previous ? new Date(Date.parse(previous) - SYNC_OVERLAP_MS).toISOString() : undefined;
  const r: SyncResult = { pulled: 0, unchanged: 0, keptOwn: 0, forgotten: 0, pulledEpisodeIds: [] };
  let newest = previous ?? '';
  const seen = (t: string | undefined) => {
    if (t && t > newest) newest = t;
  };
  await local.bulk(async () => {
    for await (const batch of episodesSharedSince(team, since, opts.batchSize ?? 500)) {
      opts.signal?.throwIfAborted();
      const todo = await replicaUpdates(local, batch, (ids) => local.getEpisodes(ids), r);
      if (todo.length) {
        await local.upsertEpisodes(todo);
        // The sharer's vectors come along (no embedding on this machine when the model matches).
        r.vectorsCopied =
          (r.vectorsCopied ?? 0) +
          (await copyVectorRows(
            team,
            local,
            todo.map((e) => e.id),
            { index: false },
          ));
        r.pulledEpisodeIds!.push(...todo.map((e) => e.id));
      }
      batch.forEach((e) => seen(e.provenance?.sharedAt));
    }
    const insights = await insightsSharedSince(team, since);
    const current = new Map<string, Insight>();
    for (const i of insights) {
      const mine = await local.getInsight(i.id);
      if (mine) current.set(i.id, mine);
    }
    // Counters are merged apart (mergeCounts): a pulled copy keeps the local counts, never the team copy's.
    const todo = (await replicaUpdates(local, insights, async () => current, r)).map((i) => ({
      ...i,
      feedback: current.get(i.id)?.feedback,
    }));
    if (todo.length) await local.upsertInsights(todo);
    insights.forEach((i) => seen(i.provenance?.sharedAt));
  });
  if (r.vectorsCopied) await indexVectorTables(local);
  const tombs = await tombstonesSince(team, since);
  const gone = await replicaIds(
    local,
    tombs.map((t) => t.id),
    'teammate',
  );
  if (gone.length) await local.forget(gone);
  r.forgotten = gone.length;
  tombs.forEach((t) => seen(t.deletedAt));
  if (opts.member) {
    r.countsMerged = await mergeCounts(local, team, opts.member);
    r.feedbackSynced = await syncFeedback(local, team, opts.member);
  }
  if (newest) {
    await writeMeta(local, key, newest);
    r.watermark = newest;
  }
  return r;
}

/** The team records to write locally: changed ones, as teammate replicas, never over own records. */
async function replicaUpdates<T extends Episode | Insight>(
  local: ExperienceStore,
  batch: T[],
  current: (ids: string[]) => Promise<Map<string, T>>,
  r: SyncResult,
): Promise<T[]> {
  const ids = batch.map((x) => x.id);
  const own = await ownRecordIds(local, ids);
  const have = await current(ids);
  const out: T[] = [];
  for (const x of batch) {
    if (own.has(x.id)) {
      r.keptOwn++;
      continue;
    }
    const mine = have.get(x.id);
    if (mine?.provenance?.sharedAt && mine.provenance.sharedAt === x.provenance?.sharedAt) {
      r.unchanged++;
      continue;
    }
    out.push({ ...x, provenance: { ...x.provenance, origin: 'teammate' } });
    r.pulled++;
  }
  return out;
}

/** Forgets records from the team store (a team action) and leaves tombstones so replicas forget them too. */
export async function forgetFromTeam(
  team: ExperienceStore,
  ids: string[],
  by: string,
  now = new Date().toISOString(),
): Promise<{ episodes: number; insights: number }> {
  const episodes = new Set((await team.getEpisodes(ids)).keys());
  const done = await team.forget(ids);
  await addTombstones(
    team,
    ids.map((id) => ({ id, kind: episodes.has(id) ? 'episode' : 'insight', deletedAt: now, deletedBy: by })),
  );
  return done;
}
