// The hook's side of the warm recall server: ask it over its socket (one JSON line each way, with
// a deadline), or report that it is not there so the hook recalls itself and starts one for the
// next prompt. Only node:net: dist/hook.js stays small.
import { spawn } from 'node:child_process';
import { connect } from 'node:net';
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
    let buf = '';
    let settled = false;
    const done = (v: Recalled | typeof UNAVAILABLE) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      c.destroy();
      resolve(v);
    };
    const c = connect(socket);
    const timer = setTimeout(() => done(UNAVAILABLE), timeoutMs);
    c.setEncoding('utf8');
    c.on('connect', () => c.write(`${JSON.stringify({ open, budget: o.budget, minRelevance: o.minRelevance })}\n`));
    c.on('data', (d: string) => {
      buf += d;
      const nl = buf.indexOf('\n');
      if (nl < 0) return;
      try {
        const r = JSON.parse(buf.slice(0, nl)) as { ok: boolean; result?: Recalled };
        done(r.ok ? (r.result ?? undefined) : UNAVAILABLE);
      } catch {
        done(UNAVAILABLE);
      }
    });
    c.on('error', () => done(UNAVAILABLE));
    c.on('close', () => done(UNAVAILABLE));
  });
}

/** Starts the warm server for `store` in the background (detached; it exits when idle). */
export function spawnWarmServer(store: string, hookScript = join(__dirname, 'hook.js')): void {
  try {
    const child = spawn(process.execPath, [hookScript, '--warm-server', '--store', store], {
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
