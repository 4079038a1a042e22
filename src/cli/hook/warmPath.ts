// Where the warm recall server of a store listens: a Unix socket in a folder only this user can
// enter (tmpdir/dejafix-<uid>, mode 0700, checked), or a named pipe on Windows. One per store and
// per installed copy of Dejafix (an update gets its own server; the old one idles out).
import { createHash } from 'node:crypto';
import { lstatSync, mkdirSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

/** The socket path for `store`, or undefined when no private folder can be had (then no warm server). */
export function warmSocketPath(store: string, install = __dirname): string | undefined {
  const key = createHash('sha256').update(`${store}\0${install}\0${process.execPath}`).digest('hex').slice(0, 20);
  if (process.platform === 'win32') return `\\\\.\\pipe\\dejafix-warm-${userInfo().username.replace(/[^\w-]/g, '_')}-${key}`;
  try {
    const uid = process.getuid?.() ?? 0;
    const dir = join(process.env.DEJAFIX_WARM_DIR || tmpdir(), `dejafix-${uid}`);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const st = lstatSync(dir);
    if (!st.isDirectory() || st.uid !== uid || (st.mode & 0o077) !== 0) return undefined;
    return join(dir, `warm-${key}.sock`);
  } catch {
    return undefined;
  }
}

/** Set DEJAFIX_HOOK_WARM=0 to always recall in the hook's own process. */
export function warmEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.DEJAFIX_HOOK_WARM !== '0';
}
