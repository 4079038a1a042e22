// Carries episode vectors between a local store and a team store, table by table (one per embedding
// model), so that a replica does not embed again what the sharer already embedded: embedding was
// ~95% of a sync's time (200 pulled episodes: 3.7 s without the model, 52 s with it). A copied row
// keeps its text hash (model id + embedded text + repo + createdAt), so a copy that does not match
// the record it sits next to is simply embedded again by vectorizePending; nothing trusts it blindly.
import type { Table } from '@lancedb/lancedb';
import { withCommitRetry } from './retry';
import { sqlString } from './rows';
import type { ExperienceStore } from './store';
import { VectorTable } from './vectors';

const BATCH = 500;

/**
 * Copies the vector rows of `ids` from every vector table of `from` into the same-named tables of
 * `to` (created with the source's schema), one commit per batch and table; then (unless `index` is
 * false: the caller copies more and calls `indexVectorTables` once) brings the vector index of
 * each table written up to date. Returns how many rows were copied.
 */
export async function copyVectorRows(
  from: ExperienceStore,
  to: ExperienceStore,
  ids: string[],
  opts: { index?: boolean } = {},
): Promise<number> {
  if (ids.length === 0) return 0;
  let copied = 0;
  for (const name of await from.vectorTableNames()) {
    const src = await from.extraTable(name);
    if (!src) continue;
    let dst: Table | undefined;
    for (let i = 0; i < ids.length; i += BATCH) {
      const list = ids
        .slice(i, i + BATCH)
        .map(sqlString)
        .join(', ');
      const rows = await src.query().where(`id IN (${list})`).toArrow();
      if (rows.numRows === 0) continue;
      dst ??= await to.extraTable(name, await src.schema());
      const target = dst!;
      await withCommitRetry(() => target.mergeInsert('id').whenMatchedUpdateAll().whenNotMatchedInsertAll().execute(rows));
      copied += rows.numRows;
    }
    if (dst && opts.index !== false) await VectorTable.named(to, name).ensureIndex();
  }
  return copied;
}

/** Builds or updates the vector index of every vector table of `store` large enough to need one. */
export async function indexVectorTables(store: ExperienceStore): Promise<void> {
  for (const name of await store.vectorTableNames()) await VectorTable.named(store, name).ensureIndex();
}
