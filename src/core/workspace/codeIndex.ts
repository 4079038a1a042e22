// Which files of the repository an issue is about, read from the repository itself: the names each
// source file defines (definitions.ts), its path parts, and the paths and modules the issue points
// at (recall/pointers.ts). Recall compares a recalled repair's file with this ranking of the WHOLE
// code base, which memory alone cannot do: a repair whose file is the workspace's best match for the
// issue is likely the same code, one whose file loses to files no repair ever touched likely is not
// (see relevance.ts, WORKSPACE_WEIGHTS). Built once per checkout (workspaceCode.ts); scoring an issue
// costs lookups proportional to its words, not to the repository's size.
import { isTestPath } from '../model/patch';
import { pointersIn } from '../recall/pointers';

export interface CodeIndex {
  /** Repository-relative paths of the indexed (non-test source) files. */
  files: string[];
  /** Defined name → indexes into `files` of the files defining it. */
  defs: Map<string, number[]>;
  /** Lower-case path part (folder or file stem) → files whose path has it. */
  parts: Map<string, number[]>;
  /** Each file's path and every shorter '/'-suffix of it → files ending so (for pointers). */
  suffixes: Map<string, number[]>;
}

/** A file's worth of input: its path and the names it defines. */
export interface IndexedFile {
  path: string;
  names: readonly string[];
}

/** Folder and stem names too common to say which file an issue is about. */
const GENERIC = new Set(['__init__', 'index', 'main', 'utils', 'util', 'base', 'core', 'common', 'src', 'lib', 'test', 'tests', 'types']);
/** Deeper suffixes than this are not kept: pointers name a file by its last few parts. */
const MAX_SUFFIX_PARTS = 8;
/** A path, module or import the issue points at counts as much as several rare shared names. */
const POINTED = 10;

export function codeIndexOf(input: Iterable<IndexedFile>): CodeIndex {
  const index: CodeIndex = { files: [], defs: new Map(), parts: new Map(), suffixes: new Map() };
  const add = (m: Map<string, number[]>, key: string, i: number) => {
    const list = m.get(key);
    if (!list) m.set(key, [i]);
    else if (list[list.length - 1] !== i) list.push(i);
  };
  for (const f of input) {
    if (isTestPath(f.path)) continue;
    const i = index.files.push(f.path) - 1;
    for (const n of new Set(f.names)) add(index.defs, n, i);
    for (const p of pathParts(f.path)) add(index.parts, p, i);
    const segs = f.path.split('/');
    for (let k = Math.max(0, segs.length - MAX_SUFFIX_PARTS); k < segs.length; k++) add(index.suffixes, segs.slice(k).join('/'), i);
  }
  return index;
}

function pathParts(path: string): string[] {
  const segs = path.toLowerCase().split('/');
  segs[segs.length - 1] = segs[segs.length - 1].replace(/\.[^.]+$/, '');
  return [...new Set(segs.filter((s) => s.length >= 3 && !GENERIC.has(s)))];
}

/**
 * Each file's score for the issue `text` (only files with a score): Σ ln(1 + N / df) over the names
 * it defines that the issue writes (≥ 4 characters, or with `_` or a capital, so English words like
 * "add" do not count) and over its path parts the issue writes as words, plus POINTED when the issue
 * points at it by path, module or import.
 */
export function localize(index: CodeIndex, text: string): Map<string, number> {
  const n = index.files.length;
  const scores = new Map<number, number>();
  const bump = (files: number[] | undefined, by: number) => {
    for (const i of files ?? []) scores.set(i, (scores.get(i) ?? 0) + by);
  };
  const words = new Set(text.match(/[A-Za-z_$][A-Za-z0-9_$]{2,120}/g) ?? []);
  const lower = new Set<string>();
  for (const w of words) {
    lower.add(w.toLowerCase());
    if (w.length >= 4 || /[_A-Z]/.test(w)) {
      const files = index.defs.get(w);
      if (files) bump(files, Math.log(1 + n / files.length));
    }
  }
  for (const w of lower) {
    const files = index.parts.get(w);
    if (files) bump(files, Math.log(1 + n / files.length));
  }
  const pointed = new Set<number>();
  const p = pointersIn(text);
  for (const m of p.modules)
    for (const i of index.suffixes.get(m) ?? []) if (!index.files[i].endsWith('/__init__.py') || index.files[i] === m) pointed.add(i);
  for (const path of p.paths) {
    if (!path.includes('/')) continue;
    for (const i of index.suffixes.get(path) ?? []) pointed.add(i);
    // The pointer is longer than the file's repository path (an absolute or install path).
    const segs = path.split('/');
    for (let k = Math.max(1, segs.length - MAX_SUFFIX_PARTS); k < segs.length - 1; k++)
      for (const i of index.suffixes.get(segs.slice(k).join('/')) ?? []) if (index.files[i] === segs.slice(k).join('/')) pointed.add(i);
  }
  bump([...pointed], POINTED);
  return new Map([...scores].map(([i, s]) => [index.files[i], s]));
}

/** What the workspace says of a recalled repair's files: the best rank among its files, and that file's score. */
export interface WorkspaceRank {
  /** 1 = the workspace's best match for the issue; 0 = none of the repair's files matched at all. */
  rank: number;
  score: number;
  /** Its score over the best file's score (0–1). */
  share: number;
}

/** Ranks files by their localization score (best first); ties keep the index order. */
export function rankFiles(scores: ReadonlyMap<string, number>): { rankOf: Map<string, number>; top: number } {
  const ranked = [...scores].sort((a, b) => b[1] - a[1]);
  return { rankOf: new Map(ranked.map(([f], i) => [f, i + 1])), top: ranked[0]?.[1] ?? 0 };
}

export function workspaceRank(
  files: readonly string[],
  scores: ReadonlyMap<string, number>,
  ranked: { rankOf: Map<string, number>; top: number },
): WorkspaceRank {
  let rank = 0;
  let score = 0;
  for (const f of files) {
    const r = ranked.rankOf.get(f);
    if (r && (!rank || r < rank)) {
      rank = r;
      score = scores.get(f) ?? 0;
    }
  }
  return { rank, score: Math.round(score * 1000) / 1000, share: ranked.top ? Math.round((score / ranked.top) * 1000) / 1000 : 0 };
}
