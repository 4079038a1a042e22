// Which files of the repository an issue is about, read from the repository itself: the names each
// source file defines (definitions.ts), the identifiers it uses (fileWords.ts, scored with BM25), its
// path parts, and the paths and modules the issue points at (recall/pointers.ts). Recall compares a
// recalled repair's file with this ranking of the WHOLE code base, which memory alone cannot do: a
// repair whose file is the workspace's best match for the issue is likely the same code, one whose
// file loses to files no repair ever touched likely is not (see relevance.ts, WORKSPACE_WEIGHTS).
// Built once per checkout (workspaceCode.ts); scoring an issue costs lookups proportional to its
// words, not to the repository's size.
import { isTestPath } from '../model/patch';
import { pointersIn } from '../recall/pointers';
import { isNameLike, WORD } from './fileWords';

export interface CodeIndex {
  /** Repository-relative paths of the indexed files: source, not tests (readCode also leaves out what is not the project's own code: ownCode.ts). */
  files: string[];
  /** The same paths as a set: whether the checkout holds a file (a repair's file it does not hold is not judged by it). */
  held: Set<string>;
  /** Defined name → indexes into `files` of the files defining it. */
  defs: Map<string, number[]>;
  /** Lower-case path part (folder or file stem) → files whose path has it. */
  parts: Map<string, number[]>;
  /** Each file's path and every shorter '/'-suffix of it → files ending so (for pointers). */
  suffixes: Map<string, number[]>;
  /** Identifier → postings [file, count, file, count, …] of the files using it (BM25 over contents). */
  uses: Map<string, number[]>;
  /** Each file's number of identifier uses (BM25's document length), and their mean. */
  lengths: number[];
  meanLength: number;
}

/** A file's worth of input: its path, the names it defines and how often it uses each identifier (fileWords.ts). */
export interface IndexedFile {
  path: string;
  names: readonly string[];
  words?: ReadonlyMap<string, number>;
}

/** Folder and stem names too common to say which file an issue is about. */
const GENERIC = new Set(['__init__', 'index', 'main', 'utils', 'util', 'base', 'core', 'common', 'src', 'lib', 'test', 'tests', 'types']);
/** Deeper suffixes than this are not kept: pointers name a file by its last few parts. */
const MAX_SUFFIX_PARTS = 8;
/** A path, module or import the issue points at counts as much as several rare shared names. */
const POINTED = 10;
/**
 * The content match (BM25, k1 1.2, b 0.75, over the identifiers each file uses) counts CONTENT × its
 * score next to the defined names. Localizing SWE-bench Lite's issues in their checkouts (the gold
 * file first), chosen on the OLDER 60% among 0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.7, 1: top-1 0.411 → 0.494,
 * top-5 0.606 → 0.711 at 0.4; the newer 40%, never used to choose: 0.350 → 0.408, 0.658 → 0.708
 * (`WORKSPACES=… npm run bench:workspace`).
 */
const CONTENT = 0.4;
/** Bounds the content match's work on a hostile issue: at most this many of its words, the rarest, times the files using each. */
export const MAX_CONTENT_WORDS = 512;
const K1 = 1.2;
const B = 0.75;

export function codeIndexOf(input: Iterable<IndexedFile>): CodeIndex {
  const index: CodeIndex = {
    files: [],
    held: new Set(),
    defs: new Map(),
    parts: new Map(),
    suffixes: new Map(),
    uses: new Map(),
    lengths: [],
    meanLength: 0,
  };
  const add = (m: Map<string, number[]>, key: string, i: number) => {
    const list = m.get(key);
    if (!list) m.set(own(key), [i]);
    else if (list[list.length - 1] !== i) list.push(i);
  };
  for (const f of input) {
    if (isTestPath(f.path)) continue;
    const i = index.files.push(f.path) - 1;
    index.held.add(f.path);
    for (const n of new Set(f.names)) add(index.defs, n, i);
    for (const p of pathParts(f.path)) add(index.parts, p, i);
    const segs = f.path.split('/');
    for (let k = Math.max(0, segs.length - MAX_SUFFIX_PARTS); k < segs.length; k++) add(index.suffixes, segs.slice(k).join('/'), i);
    let length = 0;
    for (const [w, n] of f.words ?? []) {
      const list = index.uses.get(w);
      if (list) list.push(i, n);
      else index.uses.set(own(w), [i, n]);
      length += n;
    }
    index.lengths.push(length);
  }
  index.meanLength = index.lengths.reduce((a, b) => a + b, 0) / Math.max(1, index.lengths.length);
  return index;
}

/** The index taken apart again into its files (what codeIndexOf was given, names deduplicated): for a rebuild that reuses them. */
export function filesOf(index: CodeIndex): Map<string, IndexedFile> {
  const names: string[][] = index.files.map(() => []);
  const words: Map<string, number>[] = index.files.map(() => new Map());
  for (const [name, files] of index.defs) for (const i of files) names[i].push(name);
  for (const [w, uses] of index.uses) for (let k = 0; k < uses.length; k += 2) words[uses[k]].set(w, uses[k + 1]);
  return new Map(index.files.map((path, i) => [path, { path, names: names[i], words: words[i] }]));
}

/**
 * The content match: CONTENT × BM25 of the words (their postings in `used`) against the identifiers
 * each file uses, over the MAX_CONTENT_WORDS rarest of them (an issue's text is at most 16,000 characters,
 * some 3,000 words; the longest of SWE-bench Lite's issues writes 436).
 */
function contentMatch(index: CodeIndex, used: number[][], bump: (file: number, by: number) => void): void {
  const n = index.files.length;
  const rarest = used.length > MAX_CONTENT_WORDS ? [...used].sort((a, b) => a.length - b.length).slice(0, MAX_CONTENT_WORDS) : used;
  for (const uses of rarest) {
    const df = uses.length / 2;
    const idf = CONTENT * Math.log(1 + (n - df + 0.5) / (df + 0.5));
    for (let k = 0; k < uses.length; k += 2) {
      const tf = uses[k + 1];
      const norm = K1 * (1 - B + (B * index.lengths[uses[k]]) / (index.meanLength || 1));
      bump(uses[k], (idf * tf * (K1 + 1)) / (tf + norm));
    }
  }
}

/**
 * `s` as a string of its own. A name matched in a file's text can be a slice that keeps the whole text
 * alive; an index keyed by such names held every file it read (sympy: 32 MB of heap, 14 MB without).
 */
function own(s: string): string {
  // V8 copies the shorter ones when slicing (its slices start at 13 characters).
  return s.length < 13 ? s : (JSON.parse(JSON.stringify(s)) as string);
}

function pathParts(path: string): string[] {
  const segs = path.toLowerCase().split('/');
  segs[segs.length - 1] = segs[segs.length - 1].replace(/\.[^.]+$/, '');
  return [...new Set(segs.filter((s) => s.length >= 3 && !GENERIC.has(s)))];
}

/**
 * Each file's score for the issue `text` (only files with a score): Σ ln(1 + N / df) over the names
 * it defines that the issue writes (≥ 4 characters, or with `_` or a capital, so English words like
 * "add" do not count) and over its path parts the issue writes as words, plus CONTENT × the BM25 of
 * the names against the identifiers it uses, plus POINTED when the issue points at it by
 * path, module or import. `content: false` leaves the content match out.
 */
export function localize(index: CodeIndex, text: string, opts: { content?: boolean } = {}): Map<string, number> {
  const both = localizeBoth(index, text);
  return opts.content === false ? both.named : both.all;
}

/** localize's two answers from one reading of the issue: `all` with the content match, `named` without (recall's ranking boost). */
export function localizeBoth(index: CodeIndex, text: string): { all: Map<string, number>; named: Map<string, number> } {
  const n = index.files.length;
  const all = new Map<number, number>();
  const named = new Map<number, number>();
  const add = (scores: Map<number, number>, i: number, by: number) => scores.set(i, (scores.get(i) ?? 0) + by);
  const bump = (files: number[] | undefined, by: number) => {
    for (const i of files ?? []) {
      add(all, i, by);
      add(named, i, by);
    }
  };
  const words = new Set(text.match(WORD) ?? []);
  const lower = new Set<string>();
  const used: number[][] = [];
  for (const w of words) {
    lower.add(w.toLowerCase());
    if (isNameLike(w)) {
      const files = index.defs.get(w);
      if (files) bump(files, Math.log(1 + n / files.length));
      const uses = index.uses.get(w);
      if (uses) used.push(uses);
    }
  }
  contentMatch(index, used, (i, by) => add(all, i, by));
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
  const byPath = (scores: Map<number, number>) => new Map([...scores].map(([i, v]) => [index.files[i], v]));
  return { all: byPath(all), named: byPath(named) };
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
