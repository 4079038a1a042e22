// The episodes `dejafix eval` and Memory Health replay, as a typed question to the store: only the
// columns the leave-future-out protocol needs (no patches, no attempts), so a large memory loads fast.
import type { EpisodeOutcome } from '../model/episode';
import { strs } from './rows';
import type { ExperienceStore } from './store';
import { equals } from './where';

export interface EpisodeCase {
  id: string;
  sourceId: string | null;
  repo: string;
  title: string;
  body: string;
  /** The normalised exception the issue reported (part of what the episode's vector was embedded from). */
  errorSignature: string;
  outcome: EpisodeOutcome;
  createdAt: string;
  files: string[];
}

/** Every episode (of `repo`, when given) with what the protocol needs, in no particular order. */
export async function episodeCases(store: ExperienceStore, f: { repo?: string } = {}): Promise<EpisodeCase[]> {
  let q = store
    .table('episodes')
    .query()
    .select(['id', 'sourceId', 'repo', 'title', 'body', 'errorSignature', 'outcome', 'createdAt', 'files']);
  if (f.repo !== undefined) q = q.where(equals('repo', f.repo));
  return (await q.toArray()).map((r) => ({
    id: String(r.id ?? ''),
    sourceId: r.sourceId == null ? null : String(r.sourceId ?? ''),
    repo: String(r.repo ?? ''),
    title: String(r.title ?? ''),
    body: String(r.body ?? ''),
    errorSignature: String(r.errorSignature ?? ''),
    outcome: String(r.outcome ?? '') as EpisodeOutcome,
    createdAt: String(r.createdAt ?? ''),
    files: strs(r.files),
  }));
}
