/**
 * Turns texts into vectors for the semantic half of hybrid recall.
 *
 * Contract shared by every provider:
 * - `embed` returns one vector per input text, in input order, each L2-normalised (unit length),
 *   so cosine similarity is a plain dot product. Empty input gives `[]` without loading anything.
 * - Vectors are comparable only with vectors made by an embedder with the same `id`: store them
 *   per id and never compare across ids.
 * - `embed` rejects with `EmbedError` (see `errors.ts`) for anything the user can act on, and with
 *   the signal's reason when the caller aborts.
 * - After `dispose`, `embed` rejects with an `EmbedError` of code `disposed`.
 */
export interface Embedder {
  /**
   * Provider + model + dimension, e.g. `builtin:use-lite-512` or `openai:nomic-embed-text:768`.
   * For a remote model whose dimension was not configured, the dimension part is only known after
   * the first successful `embed` (until then it reads `openai:<model>:?`): read `id` after
   * embedding when storing or looking up vectors.
   */
  readonly id: string;
  /** Vector length; `undefined` for a remote model until its first response. */
  readonly dimensions: number | undefined;
  /** Embeds the texts, in batches; resolves to one unit-length vector per text, in order. */
  embed(texts: string[], signal?: AbortSignal): Promise<Float32Array[]>;
  /** Frees what the embedder holds (the model's worker thread, in-flight requests). */
  dispose(): Promise<void>;
}
