// Sync from the repository: imports `.dejafix/` records into the local store as replicas with
// origin `repository` (never over the user's own records), re-imports only what changed, and
// forgets replicas whose lines were deleted from the folder — but only when every line was read,
// so a damaged or half-merged file never makes memories disappear.
import type { Episode } from '../model/episode';
import type { Insight } from '../model/insight';
import { sanitizeEpisode, sanitizeInsight } from '../store/sanitize';
import { allReplicaIds, ownRecordIds, type ExperienceStore } from '../store';
import { readRepoFolder, type FolderIssue } from './repoFolder';
import { stableJson } from './share';

export interface RepoSyncResult {
  pulled: number;
  unchanged: number;
  keptOwn: number;
  forgotten: number;
  /** Replicas no longer in the folder, kept because some lines could not be read. */
  forgetDeferred: number;
  conflictMarkers: number;
  issues: FolderIssue[];
  /** Ids of the episodes written (to embed). */
  pulledEpisodeIds: string[];
}

export async function syncFromRepo(
  local: ExperienceStore,
  root: string,
  repoId: string,
  opts: { signal?: AbortSignal } = {},
): Promise<RepoSyncResult> {
  const folder = await readRepoFolder(root);
  const r: RepoSyncResult = {
    pulled: 0,
    unchanged: 0,
    keptOwn: 0,
    forgotten: 0,
    forgetDeferred: 0,
    conflictMarkers: folder.conflictMarkers,
    issues: folder.issues,
    pulledEpisodeIds: [],
  };
  const episodes = [...folder.episodes.values()];
  const insights = [...folder.insights.values()];
  await local.bulk(async () => {
    for (let i = 0; i < episodes.length; i += 200) {
      opts.signal?.throwIfAborted();
      const batch = episodes.slice(i, i + 200);
      const have = await local.getEpisodes(batch.map((e) => e.id));
      const todo = await changed(local, batch, have, repoId, sanitizeEpisode, r);
      if (todo.length) {
        await local.upsertEpisodes(todo);
        r.pulledEpisodeIds.push(...todo.map((e) => e.id));
      }
    }
    const have = new Map<string, Insight>();
    for (const i of insights) {
      const mine = await local.getInsight(i.id);
      if (mine) have.set(i.id, mine);
    }
    const todo = await changed(local, insights, have, repoId, sanitizeInsight, r);
    if (todo.length) await local.upsertInsights(todo);
  });
  const present = new Set([...folder.episodes.keys(), ...folder.insights.keys()]);
  const gone = (await allReplicaIds(local, 'repository', repoId)).filter((id) => !present.has(id));
  if (gone.length && folder.issues.length) r.forgetDeferred = gone.length;
  else if (gone.length) {
    const done = await local.forget(gone);
    r.forgotten = done.episodes + done.insights;
  }
  return r;
}

async function changed<T extends Episode | Insight>(
  local: ExperienceStore,
  batch: T[],
  have: Map<string, T>,
  repoId: string,
  sanitize: (x: T) => Promise<{ value: T }>,
  r: RepoSyncResult,
): Promise<T[]> {
  const own = await ownRecordIds(
    local,
    batch.map((x) => x.id),
  );
  const out: T[] = [];
  for (const x of batch) {
    if (own.has(x.id)) {
      r.keptOwn++;
      continue;
    }
    const record = { ...(await sanitize(x)).value, provenance: { ...x.provenance, origin: 'repository' as const, sharedFrom: repoId } };
    const mine = have.get(x.id);
    if (mine && stableJson(normal(mine)) === stableJson(normal(record))) {
      r.unchanged++;
      continue;
    }
    out.push(record);
    r.pulled++;
  }
  return out;
}

function normal<T extends Episode | Insight>(r: T): unknown {
  if (!('attempts' in r)) return r;
  return { ...r, attempts: [...r.attempts].sort((a, b) => a.at.localeCompare(b.at) || a.id.localeCompare(b.id)) };
}
