// Reading the files of a connect plan, working out every change before touching anything (a file
// that cannot be merged stops the whole run with its reason, and nothing is written), showing them
// as one unified diff, and writing them: each file atomically, keeping its mode, or deleting a file
// that held only what Dejafix had added.
import { chmod, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { errorText } from '../../util/errors';
import type { FileEdit } from './agents';
import { ConfigMergeError } from './mergeError';

export interface FileChange {
  path: string;
  what: string;
  before: string | undefined;
  /** undefined: the file goes (it held only Dejafix's part). */
  after: string | undefined;
}

/** A file's text, or undefined when it does not exist; anything else unreadable is a ConfigMergeError. */
export async function readConfig(path: string): Promise<string | undefined> {
  try {
    const st = await stat(path);
    if (!st.isFile()) throw new ConfigMergeError(`${path} is not a file; move it away first`);
    if (st.size > 5_000_000) throw new ConfigMergeError(`${path} is larger than 5 MB; it is not a config file Dejafix will edit`);
    const text = await readFile(path, 'utf8');
    if (text.includes('\u0000')) throw new ConfigMergeError(`${path} holds binary data; fix it first — Dejafix does not overwrite it`);
    return text;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    if (e instanceof ConfigMergeError) throw e;
    throw new ConfigMergeError(`cannot read ${path}: ${errorText(e)}`, { cause: e });
  }
}

/** Every file whose text `mode` would change, with its text before and after. */
export async function planChanges(edits: FileEdit[], mode: 'connect' | 'disconnect', read = readConfig): Promise<FileChange[]> {
  const out: FileChange[] = [];
  for (const e of edits) {
    const before = await read(e.path);
    const after = mode === 'connect' ? e.connect(before) : e.disconnect(before);
    if (after === before || (before === undefined && after === undefined)) continue;
    out.push({ path: e.path, what: e.what, before, after });
  }
  return out;
}

/** The changes as one unified diff (a created file diffs from /dev/null, a deleted one to it). */
export function changesDiff(changes: FileChange[]): string {
  return changes
    .map((c) =>
      createTwoFilesPatch(
        c.before === undefined ? '/dev/null' : c.path,
        c.after === undefined ? '/dev/null' : c.path,
        c.before ?? '',
        c.after ?? '',
        c.before === undefined ? '(new file)' : 'before',
        c.after === undefined ? '(deleted)' : 'after',
      ),
    )
    .join('');
}

/** Writes the changes: each file through a temporary file and a rename, keeping its mode. */
export async function writeChanges(changes: FileChange[]): Promise<void> {
  for (const c of changes) {
    if (c.after === undefined) {
      await rm(c.path, { force: true });
      continue;
    }
    await mkdir(dirname(c.path), { recursive: true });
    const mode = await stat(c.path).then(
      (s) => s.mode & 0o777,
      () => undefined,
    );
    const tmp = `${c.path}.dejafix-${process.pid}.tmp`;
    await writeFile(tmp, c.after, { mode: mode ?? 0o644 });
    if (mode !== undefined) await chmod(tmp, mode);
    await rename(tmp, c.path);
  }
}
