// The query's embedding for recall's vector search, and the vector table of the same model: undefined when the model
// has no vectors in this store, gives another dimension, or cannot be reached (recall is then lexical, never failing).
import type { Embedder } from '../embed/embedder';
import { redact } from '../redact';
import type { ExperienceStore } from '../store/store';
import { VectorTable } from '../store/vectors';
import { errorText } from '../util/errors';
import type { Logger } from '../util/logger';

export interface QueryVector {
  table: VectorTable;
  vector: Float32Array;
  dims: number;
}

/**
 * The query's vector and the table of the same model, or undefined (lexical recall) when the
 * model has no vectors here yet or cannot be reached: recall degrades, it does not fail.
 */
export async function queryVector(
  store: ExperienceStore,
  embedder: Embedder,
  text: string,
  log: Logger,
  given?: Float32Array,
): Promise<QueryVector | undefined> {
  // A remote model whose dimension was not configured names its table only after a first answer
  // (`openai:<model>:?` until then): embed first in that case, else look for the table first and
  // skip the embedding when this model has no vectors here.
  let vector = given;
  if (!vector && embedder.dimensions === undefined) {
    vector = await embedQuery(embedder, text, log);
    if (!vector) return undefined;
  }
  const table = new VectorTable(store, embedder.id);
  // One schema read: no table means no vectors of this model yet. (An empty table simply
  // finds nothing; counting rows first would cost a read on every recall.)
  const dims = await table.dimensions();
  if (dims === undefined) return undefined;
  vector ??= await embedQuery(embedder, text, log);
  if (!vector) return undefined;
  if (dims !== vector.length) {
    log.warn(
      `stored ${embedder.id} vectors have ${dims} dimensions but the model now gives ${vector.length}; lexical only until they are embedded again`,
    );
    return undefined;
  }
  return { table, vector, dims };
}

async function embedQuery(embedder: Embedder, text: string, log: Logger): Promise<Float32Array | undefined> {
  try {
    // The query may go to a remote endpoint: it is redacted first, like everything stored.
    const [vector] = await embedder.embed([(await redact(text)).text]);
    return vector;
  } catch (e) {
    log.warn(`embedding the query failed, so this recall is lexical only: ${errorText(e)}`);
    return undefined;
  }
}
