// The hook's side of the warm recall server: ask it over its socket (POST /recall, one JSON each
// way, with a deadline), or report that it is not there so the hook recalls itself and starts one
// for the next prompt. Only node:http: dist/hook.js stays small.
import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { join } from 'node:path';
import type { HookStoreSide } from '../../core/capture/hooks/claudeCode';
import type { OpenEntry } from '../../core/capture/hooks/journal';

type Recalled = Awaited<ReturnType<HookStoreSide['recall']>>;
export const UNAVAILABLE = Symbol('warm server unavailable');

/** The server's answer, or UNAVAILABLE when none is listening or it does not answer within `timeoutMs`. */
export function recallWarm(
  socket: string,
  open: OpenEntry,
  o: { budget: number; minRelevance: number },
  timeoutMs = 20_000,
): Promise<Recalled | typeof UNAVAILABLE> {
  return new Promise((resolve) => {
    let settled = false;
    const done = (v: Recalled | typeof UNAVAILABLE) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      resolve(v);
    };
    const req = request({ socketPath: socket, path: '/recall', method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
      let buf = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (buf += d));
      res.on('error', () => done(UNAVAILABLE));
      res.on('end', () => {
        try {
          const r = JSON.parse(buf) as { ok: boolean; result?: Recalled };
          done(res.statusCode === 200 && r.ok ? (r.result ?? undefined) : UNAVAILABLE);
        } catch {
          done(UNAVAILABLE);
        }
      });
    });
    const timer = setTimeout(() => done(UNAVAILABLE), timeoutMs);
    req.on('error', () => done(UNAVAILABLE));
    req.on('close', () => setImmediate(() => done(UNAVAILABLE)));
    req.end(JSON.stringify({ open, budget: o.budget, minRelevance: o.minRelevance }));
  });
}

/** Starts the warm server for `store` on `socket` in the background (detached; it exits when idle). */
export function spawnWarmServer(store: string, socket: string, hookScript = join(__dirname, 'hook.js')): void {
  try {
    const child = spawn(process.execPath, [hookScript, '--warm-server', '--store', store, '--socket', socket], {
      detached: true,
      stdio: 'ignore',
      env: process.env,
    });
    child.on('error', () => undefined);
    child.unref();
  } catch {
    // no warm server: every prompt recalls in its own process, as before
  }
}
