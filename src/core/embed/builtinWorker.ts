import { Worker } from 'node:worker_threads';
import type { Logger } from '../util/logger';
import type { EmbedRequest, WorkerInit, WorkerMessage } from './builtinProtocol';
import { builtinWorkerSource } from './builtinWorkerSource';
import { EmbedError } from './errors';

interface Pending {
  resolve(result: { vectors: Float32Array; dims: number }): void;
  reject(error: unknown): void;
}

const MODEL_LOAD_HINT =
  'The model ships in node_modules/@energetic-ai (embeddings, model-embeddings-en, core); reinstall ' +
  'Dejafix, or set the embedding provider to "openai-compatible" or "none".';

/**
 * Owns the built-in model's worker thread: starts it on the first request, matches answers to
 * requests, and turns a crash into errors for the requests in flight (the next request starts a
 * fresh worker). The thread is unref'd while idle, so a CLI that forgets to dispose still exits,
 * and stopped after `idleMs` without requests, since the loaded model holds ~190 MB.
 */
export class BuiltinWorker {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private idleTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly init: WorkerInit,
    private readonly log: Logger,
    /** Stop the worker after this long without requests; 0 keeps it. */
    private readonly idleMs: number,
  ) {}

  /** The running worker's thread id, or `undefined` when none runs (diagnostics and tests). */
  get threadId(): number | undefined {
    return this.worker?.threadId;
  }

  /** Embeds one batch in the worker; `texts` must already be prepared. */
  request(texts: string[], signal?: AbortSignal): Promise<{ vectors: Float32Array; dims: number }> {
    signal?.throwIfAborted();
    const worker = this.ensure();
    this.clearIdleTimer();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        // the worker finishes the batch anyway; its answer is dropped
        this.settle(id);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.pending.set(id, {
        resolve: (r) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(r);
        },
        reject: (e) => {
          signal?.removeEventListener('abort', onAbort);
          reject(e);
        },
      });
      worker.ref();
      const message: EmbedRequest = { id, texts };
      worker.postMessage(message);
    });
  }

  /** Stops the worker; requests in flight reject with `error`. */
  async terminate(error: Error): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    this.clearIdleTimer();
    this.rejectAll(error);
    if (worker) await worker.terminate();
  }

  private ensure(): Worker {
    if (this.worker) return this.worker;
    this.log.debug('Starting the built-in embedding model in a worker thread');
    let worker: Worker;
    try {
      worker = new Worker(builtinWorkerSource, {
        eval: true,
        workerData: this.init,
        // not the host's flags (inspector, loaders): the worker runs plain CommonJS
        execArgv: [],
        name: 'dejafix-embed',
      });
    } catch (e) {
      throw new EmbedError('worker', `Could not start a worker thread for the built-in embedding model: ${(e as Error).message}`, {
        cause: e,
      });
    }
    worker.on('message', (m: WorkerMessage) => this.onMessage(worker, m));
    worker.on('error', (e) => {
      this.fail(worker, new EmbedError('worker', `The built-in embedding model failed: ${e.message}`, { cause: e }));
    });
    worker.on('exit', (code) => {
      this.fail(worker, new EmbedError('worker', `The built-in embedding model stopped unexpectedly (exit code ${code}).`));
    });
    worker.unref();
    this.worker = worker;
    return worker;
  }

  private onMessage(worker: Worker, m: WorkerMessage): void {
    if (m.type === 'loaded') {
      this.log.info(`Built-in embedding model loaded in ${m.ms} ms (${m.dims} dimensions)`);
      return;
    }
    const p = this.pending.get(m.id);
    this.settle(m.id);
    if (m.type === 'result') {
      p?.resolve({ vectors: m.vectors, dims: m.dims });
    } else if (m.code === 'model-load') {
      const err = new EmbedError('model-load', `The built-in embedding model could not be loaded: ${m.message}. ${MODEL_LOAD_HINT}`);
      this.log.error(err.message);
      p?.reject(err);
      // every later request would fail the same way; a fresh worker gets a fresh try
      if (this.worker === worker) void this.terminate(err);
    } else {
      p?.reject(new EmbedError('worker', `The built-in embedding model failed: ${m.message}`));
    }
  }

  private settle(id: number): void {
    this.pending.delete(id);
    if (this.pending.size > 0 || !this.worker) return;
    this.worker.unref();
    if (this.idleMs > 0) {
      this.clearIdleTimer();
      const worker = this.worker;
      this.idleTimer = setTimeout(() => {
        if (this.worker !== worker || this.pending.size > 0) return;
        this.log.debug('Unloading the built-in embedding model after a while without requests');
        this.worker = undefined;
        void worker.terminate();
      }, this.idleMs);
      this.idleTimer.unref();
    }
  }

  private clearIdleTimer(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
  }

  private fail(worker: Worker, error: EmbedError): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    this.clearIdleTimer();
    this.log.error(error.message);
    this.rejectAll(error);
  }

  private rejectAll(error: Error): void {
    const all = [...this.pending.values()];
    this.pending.clear();
    for (const p of all) p.reject(error);
  }
}
