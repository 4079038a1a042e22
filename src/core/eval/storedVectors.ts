// `dejafix eval` asks every resolved episode as a new issue. With an embedding model, a query's
// vector is the one the episode already has in the store (embedded from its title, error and body
// when it was saved), read a batch at a time, instead of embedding every query again — embedding
// was most of an eval's time. A vector that is missing, or whose episode changed since it was
// embedded (its text hash no longer matches), is not used: recall then embeds that query itself.
import type { Embedder } from '../embed/embedder';
import { embedText } from '../recall/vectorize';
import type { EpisodeCase } from '../store/episodeCases';
import type { ExperienceStore } from '../store/store';
import { textHash, VectorTable } from '../store/vectors';

/** Episodes whose vectors are read in one query. */
const BATCH = 100;

export type StoredVectorOf = (c: EpisodeCase) => Promise<Float32Array | undefined>;

/** For cases asked in the order of `order`: the stored, current vector of each by `embedder`, or undefined. */
export function storedQueryVectors(store: ExperienceStore, embedder: Embedder, order: readonly EpisodeCase[]): StoredVectorOf {
  const table = new VectorTable(store, embedder.id);
  const position = new Map(order.map((c, i) => [c.id, i]));
  let loaded = new Map<string, { vector: Float32Array; textHash: string }>();
  let from = -1;
  return async (c) => {
    const i = position.get(c.id);
    if (i === undefined) return undefined;
    if (from < 0 || i < from || i >= from + BATCH) {
      from = i;
      loaded = await table.vectorsOf(order.slice(i, i + BATCH).map((x) => x.id));
    }
    const row = loaded.get(c.id);
    return row && row.textHash === textHash(embedder.id, embedText(c), c.repo, c.createdAt) ? row.vector : undefined;
  };
}
