// Vectors live in one table per embedding model (named from the embedder's id), so vectors of
// different models are never compared: a query vector is only ever searched against the table
// of the model that made it. Each row keeps the filter columns recall needs (repo, createdAt)
// and a hash of what was embedded, so a changed episode is embedded again.
import { createHash } from 'node:crypto';
import type { Table } from '@lancedb/lancedb';
import { loadArrow, loadLance } from './lance';
import { KEEP_VERSIONS_MS, type ExperienceStore } from './store';
import { withCommitRetry } from './retry';
import { sqlString } from './rows';

/** Below this many vectors, exhaustive search is fast enough (~4 ms on 2 cores) and exact. */
export const VECTOR_INDEX_MIN_ROWS = 5_000;

export interface VectorRow {
  id: string;
  repo: string;
  createdAt: string;
  textHash: string;
  vector: Float32Array;
}

export function vectorTableName(embedderId: string): string {
  const slug = embedderId
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .slice(0, 40);
  return `vectors_${slug}_${createHash('sha256').update(embedderId).digest('hex').slice(0, 8)}`;
}

export function textHash(...parts: string[]): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(p).update('\u0000');
  return h.digest('hex').slice(0, 32);
}

/** The table of one embedding model; created on the first write. */
export class VectorTable {
  readonly name: string;

  constructor(
    private readonly store: ExperienceStore,
    readonly embedderId: string,
    name?: string,
  ) {
    this.name = name ?? vectorTableName(embedderId);
  }

  /** A table known by its name only (copying vectors between stores, vectorCopy.ts). */
  static named(store: ExperienceStore, name: string): VectorTable {
    return new VectorTable(store, '', name);
  }

  private async open(dimensions?: number): Promise<Table | undefined> {
    if (dimensions === undefined) return this.store.extraTable(this.name);
    const a = await loadArrow();
    const schema = new a.Schema([
      new a.Field('id', new a.Utf8(), false),
      new a.Field('repo', new a.Utf8(), true),
      new a.Field('createdAt', new a.Utf8(), true),
      new a.Field('textHash', new a.Utf8(), true),
      new a.Field('vector', new a.FixedSizeList(dimensions, new a.Field('item', new a.Float32(), true)), true),
    ]);
    return this.store.extraTable(this.name, schema);
  }

  /** id → text hash of every stored vector. */
  async hashes(): Promise<Map<string, string>> {
    const t = await this.open();
    if (!t) return new Map();
    const rows = await t.query().select(['id', 'textHash']).toArray();
    return new Map(rows.map((r) => [String(r.id), String(r.textHash)]));
  }

  /** The stored vectors (and the hash of what each was embedded from) of these episodes; absent ones are left out. */
  async vectorsOf(ids: string[]): Promise<Map<string, { vector: Float32Array; textHash: string }>> {
    const out = new Map<string, { vector: Float32Array; textHash: string }>();
    const t = ids.length ? await this.open() : undefined;
    if (!t) return out;
    const rows = await t
      .query()
      .where(`id IN (${ids.map(sqlString).join(', ')})`)
      .select(['id', 'textHash', 'vector'])
      .toArray();
    for (const r of rows) {
      const v = r.vector as { toArray?: () => ArrayLike<number> } | ArrayLike<number> | null;
      if (!v) continue;
      const values = 'toArray' in v && typeof v.toArray === 'function' ? v.toArray() : (v as ArrayLike<number>);
      out.set(String(r.id), { vector: Float32Array.from(values), textHash: String(r.textHash ?? '') });
    }
    return out;
  }

  async upsert(rows: VectorRow[]): Promise<void> {
    if (rows.length === 0) return;
    const t = await this.open(rows[0].vector.length);
    const lance = await loadLance();
    const data = lance.makeArrowTable(
      rows.map((r) => ({ ...r, vector: Array.from(r.vector) })),
      { schema: await t!.schema() },
    );
    await withCommitRetry(() => t!.mergeInsert('id').whenMatchedUpdateAll().whenNotMatchedInsertAll().execute(data));
  }

  /** Length of the stored vectors, or undefined while the table is missing. */
  async dimensions(): Promise<number | undefined> {
    const t = await this.open();
    if (!t) return undefined;
    const field = (await t.schema()).fields.find((f) => f.name === 'vector');
    return (field?.type as { listSize?: number } | undefined)?.listSize;
  }

  /**
   * Nearest episodes by cosine similarity (vectors are unit length), under SQL filters on
   * repo/createdAt. `dimensions` is the length the caller already read with `dimensions()`
   * (saves a second schema read on the recall path); without it, it is read here.
   */
  async nearest(vector: Float32Array, filters: string[], limit: number, dimensions?: number): Promise<Map<string, number>> {
    const t = await this.open();
    if (!t) return new Map();
    const dims = dimensions ?? (await this.dimensions());
    if (dims !== vector.length) throw new Error(`vector table ${this.name} holds ${dims}-d vectors, the query has ${vector.length}`);
    // With an index: probe 20 partitions, pick the candidates by their compressed (PQ) distance and
    // give the ones returned their exact similarity (refine factor 1), since recall mixes these
    // scores with others. Re-ranking 5× as many exactly cost 2.5 ms more at 10k vectors (7.2 against
    // 4.7 ms) for candidates the fusion barely uses. Without an index these are ignored.
    let q = t.vectorSearch(Array.from(vector)).distanceType('dot').nprobes(20).refineFactor(1).select(['id', '_distance']).limit(limit);
    if (filters.length) q = q.where(filters.join(' AND '));
    const rows = await q.toArray();
    // LanceDB's dot "distance" is 1 − dot product.
    return new Map(rows.map((r) => [String(r.id), 1 - Number(r._distance)]));
  }

  /**
   * Builds an approximate (IVF-PQ) index once the table is large enough for exhaustive search to
   * be slow: at 100k 512-d vectors it takes ~80 ms a query on 2 cores, and ~5–9 ms with the index
   * (built in ~20 s). Rows added later are searched exhaustively until `optimize` folds them in.
   */
  async ensureIndex(): Promise<boolean> {
    const t = await this.open();
    if (!t || (await t.countRows()) < VECTOR_INDEX_MIN_ROWS) return false;
    const indexed = async () => (await t.listIndices()).some((i) => i.columns.includes('vector'));
    if (await indexed()) {
      await withCommitRetry(() => t.optimize({ cleanupOlderThan: new Date(Date.now() - KEEP_VERSIONS_MS) }));
      return true;
    }
    const { Index } = await loadLance();
    const dims = (await this.dimensions()) ?? 0;
    // Several writers of a team store may build it at once: the losers' commits conflict ("preempted
    // by concurrent transaction CreateIndex"). Retried with backoff, and done as soon as any writer's
    // index is there.
    await withCommitRetry(async () => {
      if (await indexed()) return;
      const rows = await t.countRows();
      try {
        await t.createIndex('vector', {
          config: Index.ivfPq({
            // ~√n partitions is the usual balance between partitions probed and rows per partition.
            numPartitions: Math.max(16, Math.min(1024, Math.round(Math.sqrt(rows)))),
            // 16 dimensions per sub-vector: 32 for USE's 512.
            numSubVectors: Math.max(1, Math.floor(dims / 16)),
            distanceType: 'dot',
          }),
        });
      } catch (e) {
        if (!(await indexed())) throw e;
      }
    });
    return true;
  }

  async count(): Promise<number> {
    const t = await this.open();
    return t ? t.countRows() : 0;
  }
}
