// The warm server's fast path for hook events (POST /hook/<agent>, sent by dist/hook.sh through
// `curl --unix-socket` with the agent's stdin as the body), so a tool call costs no Node start.
// The event is handled by the same code as the Node hook (handleHookText), with the same deps —
// but only when the request's store and journal folder, computed from the caller's environment
// (headers), are this server's, and only for events that need neither the store nor the network
// (needsNodeHook). Anything else is declined before anything is done: the answer then carries the
// event back, and the sh runs the Node hook with it. Answers: `dejafix-hook/1 ok\n<stdout>` or
// `dejafix-hook/1 again\n<the event>`.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { needsNodeHook } from '../../core/capture/hooks/fastPath';
import { MAX_EVENT_BYTES } from '../../core/capture/hooks/event';
import type { Logger } from '../../core/util/logger';
import { DECLINED, handleHookText, hookStoreDir, journalDirOf } from './runHook';

export const HOOK_PROTOCOL = 'dejafix-hook/1';
const BODY_TIMEOUT_MS = 5_000;

/** A header's value as the sh sent it (`=<value>`, so empty values survive curl), decoded as UTF-8. */
function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  if (typeof v !== 'string' || !v.startsWith('=')) return undefined;
  return Buffer.from(v.slice(1), 'latin1').toString('utf8');
}

/** The caller's store and journal folder are this server's (else its event is not ours to handle). */
function sameStore(req: IncomingMessage, store: string): boolean {
  const storeArg = header(req, 'x-dejafix-store');
  const env: NodeJS.ProcessEnv = {};
  for (const k of ['DEJAFIX_HOOK_DIR', 'DEJAFIX_STORE', 'HOME', 'XDG_DATA_HOME']) {
    const v = header(req, `x-dejafix-env-${k.toLowerCase().replace(/_/g, '-')}`);
    if (v === undefined) return false;
    if (v) env[k] = v;
  }
  if (storeArg === undefined) return false;
  const theirs = hookStoreDir(storeArg ? { store: storeArg } : {}, env);
  return theirs === store && journalDirOf(theirs, env) === journalDirOf(store);
}

/** Reads the body like the Node hook reads stdin: more than MAX_EVENT_BYTES, or too slow, is ''. */
function body(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (b: Buffer) => (clearTimeout(timer), resolve(b));
    const timer = setTimeout(() => done(Buffer.alloc(0)), BODY_TIMEOUT_MS);
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_EVENT_BYTES) chunks.push(c);
    });
    req.on('end', () => done(size > MAX_EVENT_BYTES ? Buffer.alloc(0) : Buffer.concat(chunks)));
    req.on('error', () => done(Buffer.alloc(0)));
  });
}

export async function serveHook(req: IncomingMessage, res: ServerResponse, agent: string, store: string, log: Logger): Promise<void> {
  const raw = await body(req);
  const answer = (kind: 'ok' | 'again', rest: Buffer | string) => {
    res.writeHead(200, { 'content-type': 'application/octet-stream' });
    res.end(Buffer.concat([Buffer.from(`${HOOK_PROTOCOL} ${kind}\n`), Buffer.isBuffer(rest) ? rest : Buffer.from(rest)]));
  };
  if (req.headers['x-dejafix-hook'] !== '1' || !sameStore(req, store)) return answer('again', raw);
  const out = await handleHookText(
    agent,
    raw.toString('utf8'),
    { store },
    () => Promise.reject(new Error('the fast path does not open the store')),
    log,
    needsNodeHook,
  );
  if (out === DECLINED) answer('again', raw);
  else answer('ok', out ? `${out}\n` : '');
}
