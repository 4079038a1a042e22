import { silentLogger, type Logger } from '../util/logger';
import { BuiltinWorker } from './builtinWorker';
import type { Embedder } from './embedder';
import { disposedError, EmbedError } from './errors';
import { assertTexts, BUILTIN_MAX_TOKENS, prepareForBuiltin } from './text';
import { inBatches, normalized } from './vectors';

export const BUILTIN_EMBEDDER_ID = 'builtin:use-lite-512';
export const BUILTIN_DIMENSIONS = 512;
/**
 * Texts per worker request. Measured here: 8, 16 and 32 give the same throughput, and a smaller
 * batch lets a recall query overtake a bulk import sooner (one batch of long texts takes ~0.5 s).
 */
export const BUILTIN_DEFAULT_BATCH_SIZE = 8;
/** The loaded model holds ~190 MB in the worker; it is reloaded (~0.3 s) when needed again. */
export const BUILTIN_DEFAULT_IDLE_UNLOAD_MS = 5 * 60_000;

export interface BuiltinEmbedderOptions {
  /** Texts per worker request (default 8). */
  batchSize?: number;
  /**
   * File the model packages are resolved from (default: this module, i.e. the bundle or source
   * file, so the nearest node_modules wins).
   */
  resolveFrom?: string;
  /** Unload the model after this many ms without requests (default 5 minutes; 0 keeps it loaded). */
  idleUnloadMs?: number;
  log?: Logger;
}

/**
 * Offline embeddings with Universal Sentence Encoder lite (512-d, English, npm
 * `@energetic-ai/*`). Nothing loads until the first `embed`; the model then runs in a worker
 * thread, so the caller's event loop (the extension host's) never blocks on it.
 */
export class BuiltinEmbedder implements Embedder {
  readonly id = BUILTIN_EMBEDDER_ID;
  readonly dimensions = BUILTIN_DIMENSIONS;
  private readonly batchSize: number;
  private readonly worker: BuiltinWorker;
  private disposed = false;

  constructor(options: BuiltinEmbedderOptions = {}) {
    this.batchSize = options.batchSize ?? BUILTIN_DEFAULT_BATCH_SIZE;
    if (!Number.isInteger(this.batchSize) || this.batchSize < 1)
      throw new RangeError(`batchSize must be a positive integer, got ${this.batchSize}`);
    this.worker = new BuiltinWorker(
      { resolveFrom: options.resolveFrom ?? __filename, maxTokens: BUILTIN_MAX_TOKENS },
      options.log ?? silentLogger,
      options.idleUnloadMs ?? BUILTIN_DEFAULT_IDLE_UNLOAD_MS,
    );
  }

  /** The model's worker thread id while it runs, else `undefined` (diagnostics and tests). */
  get workerThreadId(): number | undefined {
    return this.worker.threadId;
  }

  async embed(texts: string[], signal?: AbortSignal): Promise<Float32Array[]> {
    if (this.disposed) throw disposedError();
    signal?.throwIfAborted();
    assertTexts(texts);
    if (texts.length === 0) return [];
    const out: Float32Array[] = [];
    for (const batch of inBatches(texts.map(prepareForBuiltin), this.batchSize)) {
      const { vectors, dims } = await this.worker.request(batch, signal);
      if (dims !== BUILTIN_DIMENSIONS || vectors.length !== dims * batch.length) {
        throw new EmbedError(
          'worker',
          `The built-in embedding model returned ${vectors.length} numbers of width ${dims} for ${batch.length} texts.`,
        );
      }
      for (let i = 0; i < batch.length; i++) {
        const v = normalized(vectors.subarray(i * dims, (i + 1) * dims));
        if (!v) throw new EmbedError('worker', 'The built-in embedding model returned a vector that is zero or not finite.');
        out.push(v);
      }
    }
    return out;
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await this.worker.terminate(disposedError());
  }
}
