// Where the warm recall server of a store listens: a Unix socket in a folder only this user can
// enter (tmpdir/dejafix-<uid>, mode 0700, checked), or a named pipe on Windows. One per `--store`
// argument and hook entry script (the file the agent's command runs: dist/hook.js or the editor's
// launcher), named by POSIX cksum so the sh fast path (dist/hook.sh) finds the same socket without
// starting Node: `warm-<cksum of "<--store or empty>\n<entry>">.sock`.
import { lstatSync, mkdirSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { posixCksum } from './cksum';

/** The private folder for warm sockets (created 0700; undefined when it is not private). */
export function warmDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (process.platform === 'win32') return undefined;
  try {
    const uid = process.getuid?.() ?? 0;
    const dir = join(env.DEJAFIX_WARM_DIR || tmpdir(), `dejafix-${uid}`);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const st = lstatSync(dir);
    if (!st.isDirectory() || st.uid !== uid || (st.mode & 0o077) !== 0) return undefined;
    return dir;
  } catch {
    return undefined;
  }
}

/** The script the agent's hook command runs (the socket's name depends on it). */
export function hookEntry(): string {
  return resolve(process.argv[1] ?? __filename);
}

/** The socket path for the raw `--store` argument ('' when none) and entry, or undefined (then no warm server). */
export function warmSocketPath(storeArg: string, entry = hookEntry()): string | undefined {
  const key = posixCksum(`${storeArg}\n${entry}`);
  if (process.platform === 'win32') return `\\\\.\\pipe\\dejafix-warm-${userInfo().username.replace(/[^\w-]/g, '_')}-${key}`;
  const dir = warmDir();
  return dir ? join(dir, `warm-${key}.sock`) : undefined;
}

/** Whether `socket` (given to a starting server) lies in the private folder. */
export function isPrivateSocket(socket: string): boolean {
  if (process.platform === 'win32') return socket.startsWith('\\\\.\\pipe\\dejafix-warm-');
  const dir = warmDir();
  return (
    !!dir && resolve(socket) === join(dir, socket.slice(socket.lastIndexOf('/') + 1)) && /^warm-\d+\.sock$/.test(socket.split('/').pop()!)
  );
}

/** Set DEJAFIX_HOOK_WARM=0 to always recall in the hook's own process (and to skip the sh fast path). */
export function warmEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.DEJAFIX_HOOK_WARM !== '0';
}
