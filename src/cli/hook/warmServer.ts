// The warm recall server: a background process (started by the hook on a first prompt, exits after
// an idle time or when its store folder is gone) that keeps the store, LanceDB and the embedding
// model loaded, so a later first prompt is answered in the time of a socket round trip instead of
// loading them all again. It speaks HTTP on its private socket: POST /recall (the Node hook's
// first prompt) and POST /hook/<agent> (dist/hook.sh's fast path for tool calls, ./warmHook).
// It never writes to the store: commits stay in the hook's own process.
// Reads see every later commit (the store reads with readConsistencyInterval 0).
import { chmodSync, existsSync, unlinkSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { connect } from 'node:net';
import { hookStoreSide } from '../../core/capture/hooks/storeSide';
import type { OpenEntry } from '../../core/capture/hooks/journal';
import { isRemoteStore } from '../../core/store/location';
import { errorText } from '../../core/util/errors';
import type { Logger } from '../../core/util/logger';
import { openStore } from '../store';
import { serveHook } from './warmHook';

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
  const recallRequest = (req: IncomingMessage, res: ServerResponse) => {
    let buf = '';
    req.setEncoding('utf8');
    req.on('data', (d: string) => {
      buf += d;
      if (buf.length > MAX_REQUEST) req.destroy();
    });
    req.on('end', () => {
      // One recall at a time: the model and the store are shared.
      busy = busy.then(async () => {
        try {
          const q = JSON.parse(buf) as { open: OpenEntry; budget: number; minRelevance: number };
          const result = await side.recall(q.open, { budget: q.budget, minRelevance: q.minRelevance });
          log.info(`hook: warm recall served (${result ? `${result.episodes.length} past repairs` : 'nothing relevant'})`);
          res.end(`${JSON.stringify({ ok: true, result: result ?? null })}\n`);
        } catch (e) {
          log.warn(`hook: warm recall failed: ${errorText(e)}`);
          res.end(`${JSON.stringify({ ok: false })}\n`);
        }
        rearm();
      });
    });
  };
  const server = createServer((req, res) => {
    req.on('error', () => undefined);
    res.on('error', () => undefined);
    const hook = /^\/hook\/([a-z][a-z-]{0,40})$/.exec(req.url ?? '');
    if (req.method === 'POST' && req.url === '/recall') return recallRequest(req, res);
    if (req.method === 'POST' && hook) {
      rearm();
      return void serveHook(req, res, hook[1], store, log).catch((e) => {
        log.error(e, 'hook: fast path failed');
        res.destroy();
      });
    }
    res.writeHead(404).end();
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
  if (process.platform !== 'win32') chmodSync(socket, 0o600);
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
