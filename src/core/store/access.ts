// Checks that the store's folders can be written (write mode) and read before LanceDB is asked to (it answers a folder it
// may not list with a Rust warning and an error chain), so the user reads what to fix instead.
import { constants } from 'node:fs';
import { access, chmod, mkdir, readdir, unlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { StoreError, isPermissionError } from './errors';
import { permissionMessage } from './damage';
import { PRIVATE_DIR_MODE } from './privateModes';

const READ = constants.R_OK | constants.X_OK;

/** Throws a `permission` StoreError naming the first store folder this process may not read. */
export async function assertReadable(dir: string): Promise<void> {
  await check(dir, dir);
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const e of entries) {
    if (!e.isDirectory() || !e.name.endsWith('.lance')) continue;
    const table = join(dir, e.name);
    await check(dir, table);
    for (const sub of ['_versions', 'data', '_indices']) await check(dir, join(table, sub), true);
  }
}

async function check(store: string, path: string, optional = false): Promise<void> {
  try {
    await access(path, READ);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM') throw new StoreError('permission', permissionMessage(store, path), { cause: e });
    if (!optional) throw e;
  }
}

/**
 * Creates the store folder when missing (`makePrivate`: mode 0700; parent folders it creates get
 * the umask's modes) and checks that this process may write in it.
 */
export async function ensureWritable(dir: string, makePrivate = true): Promise<void> {
  const probe = join(dir, `.write-probe-${process.pid}`);
  try {
    await mkdir(dirname(dir), { recursive: true });
    const created = await mkdir(dir, makePrivate ? { mode: PRIVATE_DIR_MODE } : {}).then(
      () => true,
      (e: NodeJS.ErrnoException) => (e.code === 'EEXIST' ? false : Promise.reject(e)),
    );
    // mkdir's mode passes through the umask, which can only take bits away: set it exactly.
    if (created && makePrivate) await chmod(dir, PRIVATE_DIR_MODE);
    await writeFile(probe, '');
    await unlink(probe);
  } catch (e) {
    if (isPermissionError(e))
      throw new StoreError(
        'read-only',
        `The store folder ${dir} is not writable (${(e as NodeJS.ErrnoException).code}). Choose another --store or fix its permissions; nothing was changed.`,
        { cause: e },
      );
    if ((e as NodeJS.ErrnoException).code === 'ENOTDIR' || (e as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new StoreError('not-a-store', `${dir} is not a folder. Pass a folder to --store.`, { cause: e });
    }
    throw new StoreError('io', `Cannot use the store folder ${dir}: ${(e as Error).message}`, { cause: e });
  }
}
