// Keeps the active embedding model's vectors in step with the episodes: embeds what has no
// vector yet, or whose text changed. After a model change the new model's table starts empty and
// fills here; the old table is left alone (switching back needs no re-embedding).
import type { Embedder } from '../embed/embedder';
import type { ExperienceStore } from '../store/store';
import { sqlString } from '../store/rows';
import { VectorTable, textHash } from '../store/vectors';

export interface VectorizeProgress {
  done: number;
  total: number;
}

/** What an episode is embedded from: title and error first (small models see only ~128 tokens). */
export function embedText(r: { title: string; errorSignature: string; body: string }): string {
  return [r.title, r.errorSignature, r.body].filter(Boolean).join('\n');
}

export async function vectorizePending(
  store: ExperienceStore,
  embedder: Embedder,
  opts: {
    batchSize?: number;
    onProgress?: (p: VectorizeProgress) => void;
    signal?: AbortSignal;
    /** Only these episodes (the ones just saved): skips reading the whole table. */
    ids?: string[];
  } = {},
): Promise<VectorizeProgress> {
  // A remote model of unknown dimension is named `openai:<model>:?` until its first answer: ask it
  // once first, so the vectors go to the table recall will look in.
  if (embedder.dimensions === undefined) await embedder.embed(['dimension probe'], opts.signal);
  const table = new VectorTable(store, embedder.id);
  const have = await table.hashes();
  const pending: { id: string; repo: string; createdAt: string; text: string; hash: string }[] = [];
  let query = store.table('episodes').query().select(['id', 'repo', 'createdAt', 'title', 'errorSignature', 'body']);
  if (opts.ids) {
    if (opts.ids.length === 0) return { done: 0, total: 0 };
    query = query.where(`id IN (${opts.ids.map(sqlString).join(', ')})`);
  }
  const rows = await query.toArray();
  for (const r of rows) {
    const row = {
      id: String(r.id),
      repo: String(r.repo ?? ''),
      createdAt: String(r.createdAt ?? ''),
      title: String(r.title ?? ''),
      errorSignature: String(r.errorSignature ?? ''),
      body: String(r.body ?? ''),
    };
    const text = embedText(row);
    // repo and createdAt are copied into the vector row for filtering, so they count as content.
    const hash = textHash(embedder.id, text, row.repo, row.createdAt);
    if (have.get(row.id) !== hash) pending.push({ ...row, text, hash });
  }
  const total = pending.length;
  const size = Math.max(1, opts.batchSize ?? 64);
  let done = 0;
  opts.onProgress?.({ done, total });
  for (let i = 0; i < pending.length; i += size) {
    opts.signal?.throwIfAborted();
    const batch = pending.slice(i, i + size);
    const vectors = await embedder.embed(
      batch.map((p) => p.text),
      opts.signal,
    );
    // Committed per batch: an interrupted run keeps what it embedded and resumes from there.
    await table.upsert(batch.map((p, j) => ({ id: p.id, repo: p.repo, createdAt: p.createdAt, textHash: p.hash, vector: vectors[j] })));
    done += batch.length;
    opts.onProgress?.({ done, total });
  }
  if (total > 0) await table.ensureIndex();
  return { done, total };
}
