// Writing a result file (`export --out`) safely: the target is checked first, the content goes to
// a temporary file created exclusively (never through a pre-planted symlink) with mode 0600 next to
// the target, the temporary file is removed on failure, Ctrl+C or SIGTERM, and only a complete file
// replaces the target.
import { randomBytes } from 'node:crypto';
import { unlinkSync } from 'node:fs';
import { open, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { CliError, EXIT } from './exit';

/** Private like the store: exports hold the same memories. */
export const OUT_FILE_MODE = 0o600;
const FLUSH_AT = 1 << 16;

/** Throws a one-line CliError when `out` cannot be a file we write (missing folder, a folder, …). */
export async function checkOutPath(out: string): Promise<void> {
  const dir = dirname(out);
  const d = await stat(dir).catch((e: NodeJS.ErrnoException) => {
    throw new CliError(
      e.code === 'ENOENT' ? `cannot write ${out}: the folder ${dir} does not exist` : `cannot write ${out}: ${describe(e)}`,
    );
  });
  if (!d.isDirectory()) throw new CliError(`cannot write ${out}: ${dir} is not a folder`);
  const t = await stat(out).catch(() => undefined);
  if (t?.isDirectory())
    throw new CliError(`cannot write ${out}: it is a folder; give a file name, e.g. ${join(out, 'dejafix-export.jsonl')}`);
}

/**
 * Calls `produce` with a writer into a temporary file, then moves the file to `out`. Nothing is
 * left behind when `produce` throws or the process is told to stop.
 */
export async function writeOutFile<T>(out: string, produce: (write: (text: string) => Promise<void>) => Promise<T>): Promise<T> {
  await checkOutPath(out);
  const tmp = join(dirname(out), `.${basename(out)}.${process.pid}-${randomBytes(6).toString('hex')}.tmp`);
  // 'wx' = O_CREAT | O_EXCL: fails on anything already there, a symlink included, and never follows one.
  const file = await open(tmp, 'wx', OUT_FILE_MODE).catch((e: NodeJS.ErrnoException) => {
    throw new CliError(`cannot write ${out}: ${describe(e)}`);
  });
  const onSignal = (signal: NodeJS.Signals) => {
    try {
      unlinkSync(tmp);
    } catch {
      // already gone
    }
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  let pending: string[] = [];
  let size = 0;
  const flush = async () => {
    if (!pending.length) return;
    const text = pending.join('');
    pending = [];
    size = 0;
    await file.write(text);
  };
  try {
    const result = await produce(async (text) => {
      pending.push(text);
      size += text.length;
      if (size >= FLUSH_AT) await flush();
    });
    await flush();
    await file.chmod(OUT_FILE_MODE);
    await file.close();
    await rename(tmp, out).catch((e: NodeJS.ErrnoException) => {
      throw new CliError(`cannot write ${out}: ${describe(e)}`);
    });
    return result;
  } catch (e) {
    await file.close().catch(() => undefined);
    await unlink(tmp).catch(() => undefined);
    if (e instanceof Error && 'syscall' in e)
      throw new CliError(`cannot write ${out}: ${describe(e as NodeJS.ErrnoException)}`, EXIT.usage);
    throw e;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

function describe(e: NodeJS.ErrnoException): string {
  switch (e.code) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOSPC':
      return 'no space left on the device';
    case 'EROFS':
      return 'read-only file system';
    case 'EISDIR':
      return 'it is a folder';
    case 'EEXIST':
      return 'a temporary file of that name already exists';
    default:
      return e.code ?? e.message.split('\n')[0];
  }
}
