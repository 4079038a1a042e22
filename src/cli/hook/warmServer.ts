// The warm recall server: a background process (started by the hook on a first prompt, exits after
// an idle time or when its store folder is gone) that keeps the store, LanceDB and the embedding
// model loaded, so a later first prompt is answered in the time of a socket round trip instead of
// loading them all again. Read-only: it only recalls; commits stay in the hook's own process.
// Reads see every later commit (the store reads with readConsistencyInterval 0).
import { existsSync, unlinkSync } from 'node:fs';
import { connect, createServer, type Socket } from 'node:net';
import { hookStoreSide } from '../../core/capture/hooks/storeSide';
import type { OpenEntry } from '../../core/capture/hooks/journal';
import { isRemoteStore } from '../../core/store/location';
import type { Logger } from '../../core/util/logger';
import { openStore } from '../store';

const MAX_REQUEST = 1_000_000;
export const WARM_IDLE_MS = 10 * 60_000;

function probe(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const c = connect(path);
    c.on('connect', () => (c.destroy(), resolve(true)));
    c.on('error', () => resolve(false));
  });
}

/** Serves recall for `store` on `socket` until idle for `idleMs`; resolves when it stops. */
export async function runWarmServer(
  store: string,
  socket: string,
  log: Logger,
  idleMs = Number(process.env.DEJAFIX_WARM_IDLE_MS) || WARM_IDLE_MS,
): Promise<void> {
  if (await probe(socket)) return; // another server is already there
  if (process.platform !== 'win32' && existsSync(socket)) unlinkSync(socket); // left by a killed server
  const side = hookStoreSide((mode) => openStore({ store }, mode, log), log, { reuse: true });
  let idle: NodeJS.Timeout;
  let busy = Promise.resolve();
  const server = createServer((c: Socket) => {
    let buf = '';
    c.setEncoding('utf8');
    c.on('error', () => undefined);
    c.on('data', (d: string) => {
      buf += d;
      if (buf.length > MAX_REQUEST) return void c.destroy();
      const nl = buf.indexOf('\n');
      if (nl < 0) return;
      const line = buf.slice(0, nl);
      buf = '';
      // One recall at a time: the model and the store are shared.
      busy = busy.then(async () => {
        try {
          const req = JSON.parse(line) as { open: OpenEntry; budget: number; minRelevance: number };
          const result = await side.recall(req.open, { budget: req.budget, minRelevance: req.minRelevance });
          log.info(`hook: warm recall served (${result ? `${result.episodes.length} past repairs` : 'nothing relevant'})`);
          c.end(`${JSON.stringify({ ok: true, result: result ?? null })}\n`);
        } catch (e) {
          log.warn(`hook: warm recall failed: ${e instanceof Error ? e.message : String(e)}`);
          c.end(`${JSON.stringify({ ok: false })}\n`);
        }
        rearm();
      });
    });
  });
  const stopped = new Promise<void>((resolve) => server.on('close', () => resolve()));
  const rearm = () => {
    clearTimeout(idle);
    idle = setTimeout(() => server.close(), idleMs);
  };
  const gone = setInterval(() => {
    if (!isRemoteStore(store) && !existsSync(store)) server.close();
  }, 5_000);
  gone.unref();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socket, () => resolve());
  });
  log.info(`hook: warm recall server for ${store} listening`);
  rearm();
  // Load the store and the model now, so the next prompt finds them ready.
  void side
    .recall(
      { t: 'open', at: new Date().toISOString(), folder: process.cwd(), repo: '', issue: { title: 'warm up', body: 'warm up' } },
      { budget: 500, minRelevance: 1 },
    )
    .catch(() => undefined);
  await stopped;
  clearInterval(gone);
  log.info('hook: warm recall server stopped (idle)');
}
