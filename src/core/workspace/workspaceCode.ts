// The code index of a checkout (codeIndex.ts), read from the files git tracks and kept per folder
// for the life of the process (the editor, the MCP server, the warm hook server): rebuilt when the
// checkout's HEAD moves or the index is older than MAX_AGE_MS, reading again only the files that
// changed (readCode). Only names are kept (the ones each file defines, and how often it uses each
// identifier), never contents, and nothing of it is stored or sent anywhere. Bounded: at most
// MAX_FILES source files (tests, vendored, generated and documentation files left out: ownCode.ts,
// linguistMarks.ts) of at most MAX_FILE_BYTES each; symbolic links and other non-regular files are
// not followed.
import { lstat, open, readFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { runGit } from '../capture/safeGit';
import { gitDirsOf, gitRemoteOf } from '../capture/gitRemote';
import { repoIdFor } from '../capture/repoId';
import { codeIndexOf, filesOf, type CodeIndex, type IndexedFile } from './codeIndex';
import { isTestPath } from '../model/patch';
import { definedNames, isSourcePath } from './definitions';
import { wordCounts } from './fileWords';
import { notOwnCode } from './ownCode';
import { linguistMarks, type LinguistMarks } from './linguistMarks';
import { EDITING_WAIT_MS, editingFilesOf } from './editing';
import { errorText } from '../util/errors';
import type { Logger } from '../util/logger';

/** The index of a checkout whose code is not (yet) read: no file ranks for any issue. */
export const NO_CODE: CodeIndex = codeIndexOf([]);

/** Set to 1, recall never reads the checkout's code (CLI, MCP server, hooks; the editor has a setting). */
export const NO_WORKSPACE_ENV = 'DEJAFIX_NO_WORKSPACE';
export const MAX_FILES = 20_000;
export const MAX_FILE_BYTES = 512 * 1024;
const MAX_AGE_MS = 10 * 60_000;
/** Files read at once. */
const PARALLEL = 16;

/** The code of the repository an issue is asked in: recall's evidence about the whole code base. */
export interface WorkspaceCode {
  /** The repository id as episodes store it: the index speaks only for hits of this repository. */
  repo: string;
  index: CodeIndex;
  /** Its changed non-test source files (editing.ts), read fresh for each recall; absent when unknown. */
  editing?: readonly string[];
}

interface Entry {
  head: string;
  at: number;
  read: Promise<CodeRead | undefined>;
  /** The read once it has ended well: the next rebuild (a HEAD move, MAX_AGE_MS) reuses its unchanged files. */
  done?: CodeRead;
}

/** A read of a checkout: its index, each indexed file's stamp (readCode), and how many files were read from disk. */
export interface CodeRead {
  index: CodeIndex;
  stamps: ReadonlyMap<string, string>;
  read: number;
  /** The repository's linguist marks (linguistMarks.ts): a rebuild asks git only about what is new to them. */
  marks: LinguistMarks;
}
const cache = new Map<string, Entry>();

/**
 * The index of the git checkout at `root` (its top-level folder), from the cache when HEAD has not
 * moved; undefined when `root` is not a git checkout or git fails (recall then goes without).
 */
export interface ReadOptions {
  /** A caller with a deadline (an agent hook) waits at most this long for a first read. */
  waitMs?: number;
  /** Where a read that failed is reported (once per read); recall then goes without. */
  log?: Logger;
}

export async function codeIndexFor(root: string, opts: ReadOptions = {}): Promise<CodeIndex | undefined> {
  const head = await headOf(root);
  if (head === undefined) return undefined;
  const now = Date.now();
  const hit = cache.get(root);
  let entry = hit && hit.head === head && now - hit.at < MAX_AGE_MS ? hit : undefined;
  // An index only aged out (same HEAD) is still served to a caller with a deadline while it is rebuilt.
  const aged = !entry && hit?.head === head ? hit.done : undefined;
  if (!entry) {
    const fresh: Entry = {
      head,
      at: now,
      read: readCode(root, hit?.done).catch((e) => {
        opts.log?.warn(`could not read the workspace's code, relevance goes without it: ${errorText(e)}`);
        return undefined;
      }),
    };
    void fresh.read.then((read) => {
      if (read) fresh.done = read;
      else if (cache.get(root) === fresh) cache.delete(root);
    });
    cache.set(root, (entry = fresh));
  }
  // A caller with a deadline (an agent hook) goes without while a large checkout is first read (or
  // takes the aged index); the build goes on, and the next call finds it.
  return ((await within(entry.read, opts.waitMs)) ?? aged)?.index;
}

/** `p`, or undefined when it has not settled within `ms` (no deadline without `ms`). */
async function within<T>(p: Promise<T | undefined>, ms: number | undefined): Promise<T | undefined> {
  if (ms === undefined) return p;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((r) => (timer = setTimeout(() => r(undefined), ms).unref()));
  try {
    return await Promise.race([p, late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The workspace of `folder` (any folder inside a git checkout): its repository id as episodes store
 * it (the `origin` remote, normalised, else the checkout folder's name), its code index and the
 * files being changed in it.
 * Undefined outside a checkout or when it cannot be read; recall then goes without.
 */
export async function workspaceCodeOf(folder: string | undefined, opts: ReadOptions = {}): Promise<WorkspaceCode | undefined> {
  if (!folder || process.env[NO_WORKSPACE_ENV] === '1') return undefined;
  const top = await checkoutOf(resolve(folder));
  if (!top) return undefined;
  const [index, remote, editing] = await Promise.all([
    codeIndexFor(top, opts),
    gitRemoteOf(top),
    within(editingFilesOf(top, opts.log), Math.min(opts.waitMs ?? EDITING_WAIT_MS, EDITING_WAIT_MS)),
  ]);
  // The changed files count even while a large checkout's code is first read (a hook's deadline): mid-repair
  // they are the stronger evidence, and listing them does not wait for the index.
  if (!index && !editing?.length) return undefined;
  return { repo: repoIdFor(remote, basename(top)), index: index ?? NO_CODE, ...(editing ? { editing } : {}) };
}

/** The top folder of the git checkout holding `folder` (the nearest with a `.git`), within 64 levels. */
async function checkoutOf(folder: string): Promise<string | undefined> {
  let dir = folder;
  for (let i = 0; i < 64; i++) {
    if (
      await lstat(join(dir, '.git')).then(
        () => true,
        () => false,
      )
    )
      return dir;
    const up = dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
  return undefined;
}

/** Forgets every cached index (tests; a rebuild is also forced by a HEAD move). */
export function clearCodeIndexCache(): void {
  cache.clear();
}

/** Reads the tracked source files of the checkout at `root` (no cache). */
export async function readCodeIndex(root: string): Promise<CodeIndex> {
  return (await readCode(root)).index;
}

/**
 * Reads the tracked source files of the checkout at `root`; a file whose stamp (modification and change
 * times, size, inode) is the one `previous` recorded is taken from `previous`'s index instead of read
 * again, so a rebuild after a commit or a pull reads only what changed (and asks git for the linguist
 * marks of new paths only, while the attribute files are unchanged).
 */
export async function readCode(root: string, previous?: CodeRead): Promise<CodeRead> {
  const listed = await runGit(root, ['ls-files', '-z', '--cached'], { filters: false, timeout: 30_000 });
  const tracked = listed.split('\0').filter(Boolean);
  const sources = tracked.filter((p) => isSourcePath(p) && !isTestPath(p));
  // The repository's own marks (.gitattributes) first, then the rules for the rest.
  const marks = await linguistMarks(root, tracked, sources, previous?.marks);
  const paths = sources.filter((p) => !notOwnCode(p, marks.marks.get(p))).slice(0, MAX_FILES);
  const files: IndexedFile[] = [];
  const stamps = new Map<string, string>();
  let before: Map<string, IndexedFile> | undefined;
  let read = 0;
  const fileOf = async (path: string): Promise<IndexedFile | undefined> => {
    const full = join(root, path);
    const st = await lstat(full).catch(() => undefined);
    if (!st?.isFile() || st.size > MAX_FILE_BYTES) return undefined;
    const stamp = `${st.mtimeMs}:${st.ctimeMs}:${st.size}:${st.ino}`;
    stamps.set(path, stamp);
    if (previous?.stamps.get(path) === stamp) {
      const kept = (before ??= filesOf(previous.index)).get(path);
      if (kept) return kept;
    }
    read++;
    const text = await readFile(full, 'utf8').catch(() => undefined);
    return text === undefined ? undefined : { path, names: definedNames(path, text), words: wordCounts(text) };
  };
  for (let i = 0; i < paths.length; i += PARALLEL) {
    const batch = await Promise.all(paths.slice(i, i + PARALLEL).map(fileOf));
    for (const f of batch) if (f) files.push(f);
  }
  return { index: codeIndexOf(files), stamps, read, marks };
}

/**
 * The commit HEAD names (read from the git folders, no process; a branch's ref from the worktree's own
 * folder or the common one), else the ref's name (a packed ref: MAX_AGE_MS then bounds staleness), ''
 * never; undefined when not a checkout.
 */
async function headOf(root: string): Promise<string | undefined> {
  try {
    const { gitDir, commonDir } = await gitDirsOf(root);
    const head = (await readSmall(join(gitDir, 'HEAD'))).trim();
    if (!head.startsWith('ref:')) return head;
    const ref = head.slice(4).trim();
    for (const dir of new Set([gitDir, commonDir])) {
      const id = (await readSmall(join(dir, ref)).catch(() => '')).trim();
      if (id) return id;
    }
    return ref;
  } catch {
    return undefined;
  }
}

async function readSmall(path: string): Promise<string> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(4096);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    return buf.subarray(0, bytesRead).toString('utf8');
  } finally {
    await fh.close();
  }
}
