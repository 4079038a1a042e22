// File modes of a store folder on the local disk: a store Dejafix creates is private (folder 0700,
// so no other user can reach anything in it); inside a private folder every folder is kept 0700
// and every file 0600 (LanceDB creates them with the umask's modes, so they are set again when the
// store is opened and closed for writing). A folder open to other users is left as it is (it may
// be a team store shared on purpose): `dejafix doctor` warns about it and `--repair` makes it private.
// Symbolic links are never followed. No effect on Windows, which has no such modes.
import { chmodSync, lstatSync, readdirSync } from 'node:fs';
import { chmod, lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;
/** Permission bits for the group and for others. */
const OPEN_BITS = 0o077;
const HAS_MODES = process.platform !== 'win32';

export interface LooseModes {
  /** The store folder's own permission bits, e.g. 0o755. */
  rootMode: number;
  /** Folders and files (the store folder included) that the group or others may use. */
  loose: number;
  /** The first of them, relative to the store folder ('.' for the folder itself). */
  first: string;
}

interface Entry {
  path: string;
  rel: string;
  dir: boolean;
  mode: number;
}

async function walk(root: string): Promise<Entry[]> {
  const out: Entry[] = [];
  const visit = async (path: string, rel: string): Promise<void> => {
    const s = await lstat(path).catch(() => undefined);
    if (!s || s.isSymbolicLink() || !(s.isDirectory() || s.isFile())) return;
    out.push({ path, rel, dir: s.isDirectory(), mode: s.mode & 0o777 });
    if (!s.isDirectory()) return;
    for (const name of await readdir(path).catch(() => [] as string[]))
      await visit(join(path, name), rel === '.' ? name : `${rel}/${name}`);
  };
  await visit(root, '.');
  return out;
}

function walkSync(root: string): Entry[] {
  const out: Entry[] = [];
  const visit = (path: string, rel: string): void => {
    let s;
    try {
      s = lstatSync(path);
    } catch {
      return;
    }
    if (s.isSymbolicLink() || !(s.isDirectory() || s.isFile())) return;
    out.push({ path, rel, dir: s.isDirectory(), mode: s.mode & 0o777 });
    if (!s.isDirectory()) return;
    let names: string[] = [];
    try {
      names = readdirSync(path);
    } catch {
      return;
    }
    for (const name of names) visit(join(path, name), rel === '.' ? name : `${rel}/${name}`);
  };
  visit(root, '.');
  return out;
}

const isLoose = (e: Entry) => (e.mode & OPEN_BITS) !== 0;
const privateMode = (e: Entry) => (e.dir ? PRIVATE_DIR_MODE : PRIVATE_FILE_MODE);

/** What in the store folder the group or others may use; undefined when it is all private. */
export async function looseModes(dir: string): Promise<LooseModes | undefined> {
  if (!HAS_MODES) return undefined;
  const all = await walk(dir);
  const loose = all.filter(isLoose);
  if (!all.length || !loose.length) return undefined;
  return { rootMode: all[0].mode, loose: loose.length, first: loose[0].rel };
}

/** Makes every folder 0700 and every file 0600; returns how many changed (those it may not change are left). */
export async function makePrivate(dir: string): Promise<number> {
  if (!HAS_MODES) return 0;
  let n = 0;
  for (const e of (await walk(dir)).filter(isLoose))
    if (
      await chmod(e.path, privateMode(e)).then(
        () => true,
        () => false,
      )
    )
      n++;
  return n;
}

/** In a private store folder (0700 or stricter), sets what LanceDB created since back to 0700/0600. */
export async function keepPrivate(dir: string): Promise<void> {
  if (!HAS_MODES) return;
  const root = await lstat(dir).catch(() => undefined);
  if (root?.isDirectory() && (root.mode & OPEN_BITS) === 0) await makePrivate(dir);
}

/** `keepPrivate` for `close()`, which cannot wait. Never throws. */
export function keepPrivateSync(dir: string): void {
  if (!HAS_MODES) return;
  try {
    const all = walkSync(dir);
    if (!all.length || isLoose(all[0]) || !all[0].dir) return;
    for (const e of all.filter(isLoose))
      try {
        chmodSync(e.path, privateMode(e));
      } catch {
        // not ours to change: doctor reports it
      }
  } catch {
    // nothing to keep private
  }
}

/** `0755`. */
export function octal(mode: number): string {
  return `0${mode.toString(8).padStart(3, '0')}`;
}

/** The doctor's one-line warning. */
export function looseModesWarning(dir: string, l: LooseModes): string {
  const what = l.first === '.' ? `the store folder is mode ${octal(l.rootMode)}` : `${l.first} and others are open`;
  return `the store folder ${dir} is open to other users (${what}; ${l.loose} folder(s) and file(s) readable by group or others): \`dejafix doctor --repair\` makes it private (folders 0700, files 0600)`;
}
