// Calibrated relevance: the estimated probability that a recalled repair touched the code the new
// issue is about, from absolute evidence (raw full-text scores before any normalisation, files and
// symbols the issue names, age) through a small logistic regression. Its weights were fitted by
// `npm run bench:calibrate` on SWE-bench Lite only (older 60% of the queries; checked on the newer
// 40%), and each carries the reason it is there. Recall drops hits below `minRelevance`, so a
// query with nothing relevant gets nothing instead of k strangers (see bench/RESULTS.md).

/** The evidence relevance is computed from, kept on every hit so it can be explained. */
export interface Evidence {
  /** Raw BM25 score of the issue words against this repair's files and symbols (0 = no match). */
  code: number;
  /** Raw BM25 score of the opening words against this repair's issue text. */
  text: number;
  /** Best raw code score of any repair that touched this repair's best file (the file's evidence). */
  file: number;
  /** How many of this repair's non-test files the issue names (path or distinctive file name). */
  namedFiles: number;
  /** How many of the symbols this repair touched the issue names as words (capped at 3). */
  namedSymbols: number;
  /** Ranking score over the best score of this recall (1 for the top hit). */
  rank: number;
  /** Lead over the next hit, as a share of the best score (0 when the next is as good). */
  gap: number;
  /** Identifiers and path parts the issue shares with this repair's files and symbols. */
  shared: number;
  /** Their summed rarity among the recall's candidates: Σ ln((n + 1) / (df + 0.5)). */
  rarity: number;
  /** Cosine of the and the repair's vectors; absent when recall ran without vectors. */
  cosine?: number;
  /** Days between the repair and the issue. */
  ageDays: number;
  /** 1 when the repair is from the issue's own repository (or no repository was given). */
  sameRepo: number;
  // The same kind of evidence about the repair's FILES, over every candidate that touched them (evidence.ts).
  /** How firmly the issue points at one of its files by traceback, module path or import (0–1). */
  pointed?: number;
  /** Best raw issue-text score of any candidate that touched one of its files. */
  fileText?: number;
  /** Rank of its best file among the candidates' files by recall's file score (1 = top; 0 = none). */
  fileRank?: number;
  /** Identifiers the issue shares with one file's vocabulary (all candidates' files and symbols that touched it). */
  fileShared?: number;
  /** Their summed rarity among the candidates' files: Σ ln((files + 1) / (df + 0.5)). */
  fileRarity?: number;
  // What the repository's own code says (workspace/codeIndex.ts): present only when recall ran in a
  // checkout of the hit's repository, and then relevance uses WORKSPACE_WEIGHTS.
  /** Rank of the hit's best file among ALL the workspace's files for this issue (1 = best; 0 = no match). */
  wsRank?: number;
  /** That file's localization score (rare names it defines and path parts the issue writes, pointers). */
  wsScore?: number;
  /** That score over the workspace's best file's score (0–1). */
  wsShare?: number;
  /** How many of the hit's files are being changed in the checkout (workspace/editing.ts); present only mid-repair, then EDITING applies. */
  edited?: number;
}

/**
 * Below this relevance recall abstains, on every front door (editor panel, @dejafix, LM tools,
 * MCP, hooks, CLI) unless the user's `dejafix.recall.minRelevance` or `--min-relevance` says
 * otherwise. Chosen on the OLDER 60% of SWE-bench Lite's queries only (the part the weights were
 * fitted on; bench/frontier.ts): the lowest threshold on a 0.05 grid at which at most one result on
 * average is shown for issues with nothing relevant (the failure that makes memory harmful: an agent
 * handed five strangers follows them) and at least 35% of what is shown is relevant — 0.30 results
 * and 43% there, Recall@5 0.54 (0.10 falls short: 33.8%). On the newer 40%, never used to choose:
 * 0.78 results, 28% relevant, Recall@5 0.42 (0.64 without a threshold). No threshold or gate on these
 * features also keeps Recall@5 ≥ 0.70 (see bench/RESULTS.md "Frontier"). `minRelevance: 0` gives the
 * old "always the top k". The same value applies to WORKSPACE_WEIGHTS, so one setting means the same
 * on every surface: there the rule would pick 0.05 (newer part: 1.29 results, 24% relevant, Recall@5
 * 0.57); 0.15 shows 0.48 results, 35% relevant, Recall@5 0.44 there.
 */
export const DEFAULT_MIN_RELEVANCE = 0.15;

/**
 * Logistic-regression weights (log-odds per unit of each transformed feature), fitted on the older
 * 60% of SWE-bench Lite's queries by `npm run bench:calibrate` (recall with the built-in model's
 * vectors; L2 penalty 1; rounded to two decimals). Why each feature is in the model, and what the
 * fit said about it:
 */
export const WEIGHTS = {
  /** The base rate: on Lite only about 1 recalled repair in 20 touched the code. */
  bias: -8.22,
  /** ln(1 + raw BM25 of the issue against the repair's files and symbols): the repair's own code match, a little. */
  code: 0.52,
  /**
   * ln(1 + raw BM25 of the opening against the repair's issue): once the best such match among the repairs of
   * its file is known (fileText), the repair's own adds nothing and leans slightly against (fitted −0.32).
   */
  text: -0.32,
  /**
   * ln(1 + the best raw code score of any repair of the same file): collinear with code and the file's rank, which carry
   * the evidence; the fit keeps it as a correction (−1.13), not as a reason of its own.
   */
  file: -1.13,
  /** Each of the repair's files the issue names (path or distinctive file name): a strong pointer to the code. */
  namedFiles: 1.62,
  /** Symbols the issue names: in Lite they mostly coincide with named files, and alone they mislead a little. */
  namedSymbols: -0.41,
  /** Score over the best score of this recall: the ranking's own judgement, now mostly carried by the file's rank. */
  rank: 0.59,
  /** Lead over the next hit: nothing once the file's rank is known (fitted −0.28). */
  gap: -0.28,
  /** ln(1 + shared identifiers/path parts): alone, many shared words mean common words (package names, `models`), so it counts against… */
  shared: -0.48,
  /** …while ln(1 + their summed rarity among the candidates) counts for (less than before: fileRarity says it better). */
  rarity: 0.26,
  /**
   * Vector cosine: given the wording scores it adds no evidence of the same code, and the fit leans slightly against
   * near-paraphrases of other code (fitted −0.54).
   */
  cosine: -0.54,
  /** ln(1 + age in years): code drifts, so an old repair is less likely to touch today's code. */
  ageYears: -0.47,
  /** Another repository's repair never touched this repository's code. */
  sameRepo: 1.12,
  /** The issue points at one of its files by a traceback path, a module name or an import: a pointer no shared word needs to rank. */
  pointed: 1.05,
  /** ln(1 + the best issue-text score of any repair of its file): an issue worded like ANY earlier issue about that file. */
  fileText: 1.51,
  /** 1 / rank of its file among the candidates' files by recall's file score: the ranking's judgement of the file, the strongest term. */
  fileRank: 2.6,
  /** ln(1 + identifiers the issue shares with the file's vocabulary): as with `shared`, many mean common words… */
  fileShared: -0.85,
  /** …and ln(1 + their rarity among the files) counts for: a rare identifier that only this file's repairs touched. */
  fileRarity: 1.17,
} as const;

/**
 * The same model when recall runs in a checkout of the hit's repository (workspace/codeIndex.ts ranks
 * the checkout's files for the issue), fitted on the same older 60% of Lite with each query's
 * repository read at its base commit (bench/workspaceIndexes.ts), L2 penalty 1. The shared features
 * keep the reasons given in WEIGHTS; where the fit moved one, it is because the workspace now says
 * part of what it said:
 * - namedFiles 1.62 → 0.44 and pointed 1.05 → 0.11: a file the issue names or points at is also the
 *   checkout's best match, so the workspace rank carries most of that evidence;
 * - bias −8.22 → −6.06: the workspace terms are 0 for most hits, so the base rate sits in the bias;
 * - sameRepo 0: every hit judged with this model is of the checkout's own repository.
 * Refitted 2026-12-07 (third session) when the checkout's ranking of its files gained the content match
 * (codeIndex.ts, CONTENT): newer part's hit AUC 0.899 → 0.916, and how well the best hit tells a query
 * with something relevant from one with nothing 0.697 → 0.738 (bench/RESULTS.md). A hit none of whose files
 * the checkout holds (moved, deleted, a partial checkout) carries no workspace evidence and is judged by WEIGHTS
 * (workspaceRanking.ts): refitting without those hits (1,331 of 1,427) did worse on the older part at the
 * default threshold (0.32 results on queries with nothing relevant, 48.4% relevant against 0.29, 50.8%; same
 * Recall@5), so these weights stay.
 */
export const WORKSPACE_WEIGHTS = {
  bias: -6.06,
  code: 0.24,
  text: -0.12,
  file: -1.12,
  namedFiles: 0.44,
  namedSymbols: -0.18,
  rank: 0.48,
  gap: -0.1,
  shared: -0.61,
  rarity: 0.67,
  cosine: -0.18,
  ageYears: -0.51,
  sameRepo: 0,
  pointed: 0.11,
  fileText: 0.69,
  fileRank: 1.95,
  fileShared: -0.54,
  fileRarity: 0.6,
  /**
   * 1 / the file's rank among ALL the checkout's files: with the content match nearly every file has a score, and
   * the exact rank now says something of its own (0.70; −0.10 when only names and path parts ranked the files).
   */
  wsRank: 0.7,
  /**
   * The repair's file is among the checkout's three best matches for the issue: the strongest new term. Memory alone
   * cannot tell a file that wins among the candidates from one that loses to code no repair ever touched.
   */
  wsTop3: 1.71,
  /** Its score over the checkout's best file's: close to the best is nearly as good as being it. */
  wsShare: 1.61,
  /** ln(1 + its score) in absolute terms: once rank and share are known, next to nothing (0.04; 0.32 before the content match). */
  wsScore: 0.04,
} as const;

/**
 * Mid-repair (the checkout has changed source files), relevance is updated from the model's log-odds
 * z to bias + slope × z + edited × [one of the repair's files is being changed], fitted by
 * `npm run bench:editing` on the older 60% of SWE-bench Lite's queries, each with the files of a FAILED
 * agent attempt on it (swebench-lite-agent-runs.jsonl) as the changes: a test has just failed, and the
 * agent asks memory again. Why each term:
 */
export const EDITING = {
  /** Changes elsewhere are evidence against a repair: the one repairing needed other code. */
  bias: -0.4,
  /** The issue-time evidence keeps its say (a slope near 1: the update adds to it, it does not replace it). */
  slope: 0.99,
  /**
   * A repair of a file being changed: the agent's own localization, right for about half of the failed attempts
   * (55% touched a gold file), and no wording has to match for it.
   */
  edited: 2.83,
} as const;

/** Mid-repair, the log-odds `z` updated by how many of the repair's files are being changed (EDITING, or `u` when fitting). */
export function editedLogOdds(z: number, edited: number, u: { bias: number; slope: number; edited: number } = EDITING): number {
  return u.bias + u.slope * z + (edited > 0 ? u.edited : 0);
}

/** The cosine assumed when a hit has none (recall without vectors): the average of the hits the model was fitted on. */
export const COSINE_ABSENT = 0.72;

/** The features as the model sees them (logarithms tame the long tails of BM25 scores and ages). */
export function featureVector(e: Evidence): Record<Exclude<keyof typeof WEIGHTS, 'bias'>, number> {
  return {
    code: Math.log1p(Math.max(0, e.code)),
    text: Math.log1p(Math.max(0, e.text)),
    file: Math.log1p(Math.max(0, e.file)),
    namedFiles: Math.min(3, e.namedFiles),
    namedSymbols: Math.min(3, e.namedSymbols),
    rank: Math.max(0, Math.min(1, e.rank)),
    gap: Math.max(0, Math.min(1, e.gap ?? 0)),
    shared: Math.log1p(Math.max(0, e.shared ?? 0)),
    rarity: Math.log1p(Math.max(0, e.rarity ?? 0)),
    cosine: e.cosine ?? COSINE_ABSENT,
    ageYears: Math.log1p(Math.max(0, e.ageDays) / 365),
    sameRepo: e.sameRepo ? 1 : 0,
    pointed: Math.max(0, Math.min(1, e.pointed ?? 0)),
    fileText: Math.log1p(Math.max(0, e.fileText ?? 0)),
    fileRank: e.fileRank ? 1 / e.fileRank : 0,
    fileShared: Math.log1p(Math.max(0, e.fileShared ?? 0)),
    fileRarity: Math.log1p(Math.max(0, e.fileRarity ?? 0)),
  };
}

/** The workspace's features as the model sees them (only with `wsRank` present). */
export function workspaceFeatures(e: Evidence): Record<Exclude<keyof typeof WORKSPACE_WEIGHTS, keyof typeof WEIGHTS>, number> {
  const rank = Math.max(0, e.wsRank ?? 0);
  return {
    wsRank: rank ? 1 / rank : 0,
    wsTop3: rank > 0 && rank <= 3 ? 1 : 0,
    wsShare: Math.max(0, Math.min(1, e.wsShare ?? 0)),
    wsScore: Math.log1p(Math.max(0, e.wsScore ?? 0)),
  };
}

export type Weights = Record<keyof typeof WEIGHTS, number> & Partial<Record<keyof typeof WORKSPACE_WEIGHTS, number>>;

/** The probability (3 decimals); the workspace model when the hit carries the workspace's evidence, unless `w` is given. */
export function relevanceOf(e: Evidence, w?: Weights): number {
  const weights: Weights = w ?? (e.wsRank !== undefined ? WORKSPACE_WEIGHTS : WEIGHTS);
  const f: Record<string, number> = { ...featureVector(e), ...(e.wsRank !== undefined ? workspaceFeatures(e) : {}) };
  let z = weights.bias;
  for (const [k, v] of Object.entries(f)) z += (weights[k as keyof Weights] ?? 0) * v;
  if (e.edited !== undefined) z = editedLogOdds(z, e.edited);
  const p = 1 / (1 + Math.exp(-z));
  return Math.round(p * 1000) / 1000;
}

export type RelevanceWord = 'high' | 'medium' | 'low';

/**
 * Words for cards, from the calibration table (Lite's held-out part): high ≥ 0.4 (about 4 in 10 of
 * these were the same code), medium ≥ 0.2 (about 1 in 6), else low.
 */
export function relevanceWord(r: number): RelevanceWord {
  return r >= 0.4 ? 'high' : r >= 0.2 ? 'medium' : 'low';
}

/** "high (0.72)" — the word and the number, as cards and the CLI show it. */
export function relevanceLabel(r: number): string {
  return `${relevanceWord(r)} relevance (${r.toFixed(2)})`;
}

/** A threshold from a setting or flag: a number in [0, 1], else undefined. */
export function parseMinRelevance(v: unknown): number | undefined {
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  return typeof n === 'number' && Number.isFinite(n) && n >= 0 && n <= 1 ? n : undefined;
}

/** Distinctive parts of a path the issue could name: the path itself and the file name without extension (≥ 4 chars, not generic). */
export function nameVariants(path: string): string[] {
  const base = path.split('/').pop() ?? path;
  const stem = base.replace(/\.[^.]+$/, '');
  const out = [path.toLowerCase(), base.toLowerCase()];
  if (stem.length >= 4 && !GENERIC_STEMS.has(stem.toLowerCase())) out.push(stem.toLowerCase());
  return out;
}

const GENERIC_STEMS = new Set([
  '__init__',
  'init',
  'index',
  'main',
  'utils',
  'util',
  'base',
  'core',
  'common',
  'models',
  'views',
  'test',
  'tests',
  'setup',
  'config',
  'types',
  'helpers',
]);

/** How many of `files` (non-test) and `symbols` the issue text names. */
export function namedIn(text: string, files: string[], symbols: string[]): { namedFiles: number; namedSymbols: number } {
  const lower = text.toLowerCase();
  const words = new Set(lower.match(/[a-z_][a-z0-9_]*/g) ?? []);
  let namedFiles = 0;
  for (const f of files) {
    if (nameVariants(f).some((v) => (v.includes('/') || v.includes('.') ? lower.includes(v) : words.has(v)))) namedFiles++;
  }
  let namedSymbols = 0;
  for (const s of new Set(symbols.map((x) => x.split('.').pop()!.toLowerCase()))) {
    if (s.length >= 4 && !GENERIC_STEMS.has(s) && words.has(s)) namedSymbols++;
  }
  return { namedFiles, namedSymbols: Math.min(3, namedSymbols) };
}
