// The absolute evidence behind a hit's relevance (see relevance.ts), gathered once recall has
// ranked its candidates: raw full-text scores, the identifiers and paths the issue shares with the
// repair and how rare they are among the candidates, the files and symbols the issue names, the
// vector cosine, and the hit's lead over the next one; and the same kind of evidence about the
// hit's FILES, gathered over every candidate that touched them (a file's vocabulary is every repair
// of it, not one), because a hit is relevant exactly when its file is the one the issue is about.
// Kept apart from ranking so recall.ts stays about ranking and this file about "how sure are we".
import { identifierParts } from '../model/code';
import { isTestPath } from '../model/patch';
import type { Candidate } from './candidate';
import { pointersIn, pointsAt } from './pointers';
import { namedIn, type Evidence } from './relevance';
import type { WorkspaceRanking } from './workspaceRanking';
import { sameRepository } from '../capture/repoId';

/** Words too common in code and issues to count as a shared identifier. */
const COMMON = new Set([
  'the',
  'and',
  'for',
  'with',
  'not',
  'this',
  'that',
  'from',
  'src',
  'lib',
  'test',
  'tests',
  'init',
  'main',
  'core',
  'utils',
  'util',
  'base',
  'models',
  'views',
  'py',
  'js',
  'ts',
  'get',
  'set',
  'self',
  'none',
  'true',
  'false',
  'def',
  'class',
  'return',
  'import',
]);

/** The lower-case words a repair's files and symbols are made of: path parts and identifier parts. */
export function codeWords(c: Pick<Candidate, 'files' | 'symbols'>): Set<string> {
  const out = new Set<string>();
  for (const f of c.files.filter((p) => !isTestPath(p))) {
    for (const part of f.split(/[/.]+/)) {
      if (part.length >= 3) out.add(part.toLowerCase());
      for (const p of identifierParts(part)) if (p.length >= 3) out.add(p.toLowerCase());
    }
  }
  for (const s of c.symbols) {
    for (const part of s.split('.')) {
      if (part.length >= 3) out.add(part.toLowerCase());
      for (const p of identifierParts(part)) if (p.length >= 3) out.add(p.toLowerCase());
    }
  }
  for (const w of COMMON) out.delete(w);
  return out;
}

/** The issue's words, as identifiers and their parts (lower case, 3+ characters). */
export function issueWords(text: string): Set<string> {
  const out = new Set<string>();
  for (const m of text.matchAll(/[A-Za-z_][A-Za-z0-9_]{2,}/g)) {
    out.add(m[0].toLowerCase());
    for (const p of identifierParts(m[0])) if (p.length >= 3) out.add(p.toLowerCase());
  }
  return out;
}

export interface Picked {
  c: Candidate;
  score: number;
}

export interface EvidenceContext {
  text: string;
  /** Every candidate the searches found (the pool rarity is measured in). */
  pool: Candidate[];
  /** Raw cosine by episode id when vector search ran, else undefined. */
  cosine?: Map<string, number>;
  /** Best raw code score of any candidate that touched each file. */
  fileRaw: Map<string, number>;
  /** Recall's score of each non-test file (code-aware ranking only): ranks the files. */
  fileScore?: Map<string, number>;
  /** Score of the best hit not picked (what the last pick leads). */
  nextScore: number;
  at: number;
  sameRepo: boolean;
  workspace?: WorkspaceRanking;
}

/** Evidence for each picked hit, in order. */
export function evidenceFor(picked: Picked[], ctx: EvidenceContext): Evidence[] {
  const words = issueWords(ctx.text);
  // Rarity among the candidates: a word every plausible repair shares says little about this one.
  const df = new Map<string, number>();
  const poolWords = new Map<string, string[]>();
  for (const c of ctx.pool) {
    const w = [...codeWords(c)].filter((x) => words.has(x));
    poolWords.set(c.id, w);
    for (const x of w) df.set(x, (df.get(x) ?? 0) + 1);
  }
  const files = fileEvidence(ctx, poolWords);
  const n = Math.max(1, ctx.pool.length);
  const minCosine = ctx.cosine && ctx.cosine.size ? Math.min(...ctx.cosine.values()) : 0;
  const topScore = picked[0]?.score || 1;
  return picked.map(({ c, score }, i) => {
    const shared = poolWords.get(c.id) ?? [...codeWords(c)].filter((x) => words.has(x));
    const rarity = shared.reduce((s, x) => s + Math.log((n + 1) / ((df.get(x) ?? 1) + 0.5)), 0);
    const next = picked[i + 1]?.score ?? ctx.nextScore;
    const own = c.files.filter((f) => !isTestPath(f));
    return {
      code: round(c.code),
      text: round(c.text),
      file: round(Math.max(c.code, ...own.map((f) => ctx.fileRaw.get(f) ?? 0))),
      ...namedIn(ctx.text, own, c.symbols),
      rank: round(score / topScore),
      gap: round(Math.max(0, score - next) / topScore),
      shared: shared.length,
      rarity: round(rarity),
      // A candidate outside the nearest 50 is at most as close as the 50th.
      ...(ctx.cosine ? { cosine: round(ctx.cosine.get(c.id) ?? minCosine) } : {}),
      ageDays: Math.max(0, Math.round((ctx.at - Date.parse(c.createdAt)) / 86_400_000)) || 0,
      sameRepo: ctx.sameRepo ? 1 : 0,
      ...files(own),
      ...(ctx.workspace && sameRepository(c.repo, ctx.workspace.repo) ? workspaceFields(ctx.workspace, own) : {}),
    };
  });
}

/** Where the repair's files stand in the checkout: among all its files for the issue, and whether one is being changed. */
function workspaceFields(ws: WorkspaceRanking, own: string[]): Pick<Evidence, 'wsRank' | 'wsScore' | 'wsShare' | 'edited'> {
  const r = ws.of?.(own);
  return {
    ...(r ? { wsRank: r.rank, wsScore: r.score, wsShare: r.share } : {}),
    ...(ws.editing ? { edited: own.filter((f) => ws.editing!.has(f)).length } : {}),
  };
}

type FileFields = Pick<Evidence, 'pointed' | 'fileText' | 'fileRank' | 'fileShared' | 'fileRarity'>;

/**
 * File-level evidence, for a hit's non-test files (the best of them): whether the issue points at
 * one (traceback, module path, import), the best issue-text score of any candidate that touched it,
 * its rank among the candidates' files by recall's file score, and the identifiers the issue shares
 * with the file's vocabulary (every candidate's files and symbols that touched it) with their rarity
 * among the files. All from rows recall already holds: no extra query.
 */
function fileEvidence(ctx: EvidenceContext, poolWords: ReadonlyMap<string, string[]>): (files: string[]) => FileFields {
  const vocab = new Map<string, Set<string>>();
  const text = new Map<string, number>();
  for (const c of ctx.pool)
    for (const f of c.files) {
      if (isTestPath(f)) continue;
      let v = vocab.get(f);
      if (!v) vocab.set(f, (v = new Set()));
      for (const x of poolWords.get(c.id) ?? []) v.add(x);
      text.set(f, Math.max(text.get(f) ?? 0, c.text));
    }
  const df = new Map<string, number>();
  const sameName = new Map<string, number>();
  for (const [f, v] of vocab) {
    for (const x of v) df.set(x, (df.get(x) ?? 0) + 1);
    const base = f.split('/').pop() ?? f;
    sameName.set(base, (sameName.get(base) ?? 0) + 1);
  }
  const rank = new Map([...(ctx.fileScore ?? [])].sort((a, b) => b[1] - a[1]).map(([f], i) => [f, i + 1]));
  const n = vocab.size;
  const pointers = pointersIn(ctx.text);
  return (files) => {
    let pointed = 0;
    let fileText = 0;
    let fileRank = 0;
    let fileShared = 0;
    let fileRarity = 0;
    for (const f of files) {
      const v = vocab.get(f) ?? new Set<string>();
      pointed = Math.max(pointed, pointsAt(pointers, f, sameName));
      fileText = Math.max(fileText, text.get(f) ?? 0);
      const r = rank.get(f);
      if (r && (!fileRank || r < fileRank)) fileRank = r;
      fileShared = Math.max(fileShared, v.size);
      fileRarity = Math.max(
        fileRarity,
        [...v].reduce((s, x) => s + Math.log((n + 1) / ((df.get(x) ?? 1) + 0.5)), 0),
      );
    }
    return { pointed: round(pointed), fileText: round(fileText), fileRank, fileShared, fileRarity: round(fileRarity) };
  };
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
