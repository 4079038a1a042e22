/** Messages between the built-in embedder and its worker thread (builtinWorkerSource.ts). */

export interface WorkerInit {
  /** File the model packages are resolved from (their nearest node_modules). */
  resolveFrom: string;
  /** Token ids beyond this many are dropped before the model runs. */
  maxTokens: number;
}

export interface EmbedRequest {
  id: number;
  texts: string[];
}

export type WorkerMessage =
  | { type: 'loaded'; ms: number; dims: number }
  | { type: 'result'; id: number; vectors: Float32Array; dims: number }
  | { type: 'error'; id: number; code: 'model-load' | 'worker'; message: string };
