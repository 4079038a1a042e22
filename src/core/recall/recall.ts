// Code-aware recall: the past repairs most likely to have touched the code a new issue is about.
//
// 1. Two full-text searches among earlier episodes (same repository when known): the issue text
//    against past issue texts, and the words and identifier parts against the code field
//    (files and symbols each repair touched); with an embedding model, also the nearest vectors.
//    Each score is divided by its best, so they mix on one scale:
//    e = W_TEXT·text + W_CODE·code + W_VECTOR·vector.
// 2. Every file touched by a candidate gets the best e among the candidates that touched it, and
//    episodes touching the top files are fetched even when their own text did not match.
// 3. An episode scores its best file's score plus W_OWN·e of its own: the file says "this
//    repair was in the code the issue is about", its own e breaks ties between repairs there.
// Relevance in the benchmark protocol is "touched the same non-test file", and a file-centred
// score models exactly that; test files are left out of the file step (see isTestPath).
import type { EpisodeOutcome } from '../model/episode';
import { compoundParts } from '../model/code';
import { isTestPath } from '../model/patch';
import { loadLance } from '../store/lance';
import { sqlString, strs } from '../store/rows';
import type { ExperienceStore } from '../store/store';
import type { Candidate } from './candidate';
import { queryVector, type QueryVector } from './queryVector';
import { matchedTerms, queryTerms, textTerms } from './terms';
export type { Candidate } from './candidate';
import { diverse } from './diverse';
import { evidenceFor } from './evidence';
import { workspaceRanking, type WorkspaceRanking } from './workspaceRanking';
import type { WorkspaceCode } from '../workspace/workspaceCode';
import { DEFAULT_MIN_RELEVANCE, relevanceOf, type Evidence } from './relevance';
import { hiddenFor, utilityFor } from '../feedback/feedback';
import type { Utility } from '../feedback/utility';
import type { Embedder } from '../embed/embedder';
import { childLogger, silentLogger, type Logger } from '../util/logger';

export interface RecallQuery {
  text: string;
  /** Episodes of this repository are searched first; others only fill up to k. */
  repo?: string;
  /** Only episodes created strictly before this time (ISO). */
  before?: string;
  k?: number;
  /**
   * Only hits with at least this relevance (0–1): recall abstains rather than return strangers.
   * Left out, DEFAULT_MIN_RELEVANCE (chosen on SWE-bench Lite, see relevance.ts), the same for
   * every front door; 0 returns the top k whatever their relevance.
   */
  minRelevance?: number;
}

export interface Why {
  /** Query words found in the episode's issue text or code field. */
  terms: string[];
  /** The file through which the episode scored, if any. */
  file?: string;
  /** Score parts: text and code similarity of the episode itself, and of its best file. */
  parts: { text: number; code: number; vector: number; file: number };
  /** The absolute evidence `relevance` was computed from (see relevance.ts). */
  evidence: Evidence;
}

export interface RecallHit {
  episodeId: string;
  /** Its track record when it was ever used or judged (feedback/utility.ts): "helped 3 of 4 times". */
  track?: { helped: number; times: number };
  sourceId: string | null;
  score: number;
  /** Estimated probability (0–1) that this repair touched the code the issue is about. */
  relevance: number;
  outcome: EpisodeOutcome;
  title: string;
  repo: string;
  createdAt: string;
  why: Why;
}

/** Query text beyond this adds cost, not signal: an issue's first 16 K chars hold its title, description and usually the traceback. */
export { diverse };
export const MAX_QUERY_CHARS = 16_000;
export const DEFAULT_K = 5;

// Why each constant has its value (measured on SWE-bench Lite with the bench:recall protocol, but
// chosen as round values at the middle of flat regions, not tuned to the last digit):
/** The code field is the stronger signal (it names files and functions); the issue text helps half as much. */
const W_TEXT = 0.5;
const W_CODE = 1;
/** Meaning beyond shared words (paraphrases), weighted like the issue text it stands beside. */
const W_VECTOR = 0.5;
/** An episode's own match breaks ties between episodes sharing a file, without outweighing the file. */
const W_OWN = 0.5;
/** Candidates per search: enough to cover the files of the plausible repairs, few enough to stay fast. */
const CANDIDATES = 50;
/** Files whose other episodes are pulled in: the top few; deeper files are noise. */
const TOP_FILES = 5;
/**
 * A resolved repair is a demonstration to follow; a failed or abandoned one is still worth
 * seeing ("what did not work"), but after a resolved one of similar relevance.
 */
const OUTCOME_WEIGHT: Record<EpisodeOutcome, number> = { resolved: 1, failed: 0.85, abandoned: 0.7 };

const COLUMNS = ['id', 'sourceId', 'outcome', 'title', 'repo', 'createdAt', 'files', 'symbols'];

export interface RecallOptions {
  /** Adds vector similarity with this model's vectors; without it, recall is lexical. */
  embedder?: Embedder;
  /** The query's vector by `embedder`, when the caller already has it (eval reuses an episode's stored one): no embedding then. */
  queryVector?: Float32Array;
  /**
   * The code of the checkout the issue is asked in (workspace/workspaceCode.ts): hits of its
   * repository are then also judged against the whole code base (relevance's workspace model).
   */
  workspaceCode?: WorkspaceCode;
  log?: Logger;
}

export async function recall(store: ExperienceStore, q: RecallQuery, opts: RecallOptions = {}): Promise<RecallHit[]> {
  const text = q.text.toWellFormed().slice(0, MAX_QUERY_CHARS).trim();
  if (!text) return [];
  const min = q.minRelevance ?? DEFAULT_MIN_RELEVANCE;
  // Feedback kept in the store: what the user marked not relevant for this very query is left out
  // before the top k are picked, and each hit's track record lifts or lowers it a bounded amount.
  const [hidden, vectors] = await Promise.all([
    hiddenFor(store, text),
    opts.embedder
      ? queryVector(store, opts.embedder, text, childLogger(opts.log ?? silentLogger, 'recall'), opts.queryVector)
      : Promise.resolve(undefined),
  ]);
  const k = Math.max(1, Math.min(q.k ?? DEFAULT_K, 100));
  const keep = async (hits: RecallHit[]) => (await withUtility(store, hits, k)).filter((h) => h.relevance >= min);
  const at = q.before ? Date.parse(q.before) : Date.now();
  const base: string[] = [];
  if (q.before) base.push(`createdAt < ${sqlString(new Date(q.before).toISOString())}`);
  const o: RankOptions = { k, codeAware: true, at, vectors, hidden, workspace: workspaceRanking(opts.workspaceCode, text) };
  if (!q.repo) return keep((await rank(store, text, base, o)).hits);
  const same = await rank(store, text, [...base, `repo = ${sqlString(q.repo)}`], o);
  // Fewer than k only because copies of the same repairs were collapsed: the repository has
  // plenty of matches, and another repository's would only be worse ones.
  if (same.hits.length >= k || !same.exhausted) return keep(same.hits);
  // Other repositories only fill up the list, by the wording of their issues alone: a file path
  // or an identifier of another code base says little about this one (and one search is cheaper).
  const others = await rank(store, text, [...base, `repo != ${sqlString(q.repo)}`], {
    k: k - same.hits.length,
    codeAware: false,
    at,
    hidden,
  });
  return keep([...same.hits, ...others.hits]);
}

/** Hits re-ranked by their utility prior (a bounded factor; none without feedback), the best `k`. */
async function withUtility(store: ExperienceStore, hits: RecallHit[], k: number): Promise<RecallHit[]> {
  const util = hits.length
    ? await utilityFor(
        store,
        hits.map((h) => h.episodeId),
      )
    : new Map<string, Utility>();
  if (!util.size) return hits.slice(0, k);
  return hits
    .map((h) => {
      const u = util.get(h.episodeId);
      return u ? { ...h, score: round(h.score * u.factor), track: { helped: u.helpedCount, times: u.times } } : h;
    })
    .sort((a, b) => b.score - a.score || b.createdAt.localeCompare(a.createdAt))
    .slice(0, k);
}

/**
 * The top k, and whether every search returned all it had (fewer than CANDIDATES). Without
 * `codeAware`, only the issue wording counts (no code field, no file step).
 */
interface RankOptions {
  k: number;
  codeAware: boolean;
  /** "Now" for the age evidence (the query's `before`, else the clock). */
  at: number;
  vectors?: QueryVector;
  /** Episodes marked not relevant for this query: never picked. */
  hidden: ReadonlySet<string>;
  workspace?: WorkspaceRanking;
}

async function rank(
  store: ExperienceStore,
  text: string,
  filters: string[],
  { k, codeAware, at, vectors, hidden, workspace }: RankOptions,
): Promise<{ hits: RecallHit[]; exhausted: boolean }> {
  const textQuery = textTerms(text);
  const [byText, byCodeField, byVector] = await Promise.all([
    textQuery ? search(store, 'issueText', textQuery, filters) : new Map<string, Candidate>(),
    codeAware ? search(store, 'code', [text, ...compoundParts(text)].join(' '), filters) : new Map<string, Candidate>(),
    vectors ? vectors.table.nearest(vectors.vector, filters, CANDIDATES, vectors.dims) : new Map<string, number>(),
  ]);
  const maxText = Math.max(0, ...[...byText.values()].map((c) => c.text));
  const maxCode = Math.max(0, ...[...byCodeField.values()].map((c) => c.code));
  const maxVector = Math.max(0, ...byVector.values());
  const cands = new Map<string, Candidate>();
  for (const c of [...byText.values(), ...byCodeField.values()]) {
    const prev = cands.get(c.id);
    cands.set(c.id, { ...c, text: Math.max(prev?.text ?? 0, c.text), code: Math.max(prev?.code ?? 0, c.code) });
  }
  const own = (c: Candidate) => ({
    text: maxText ? c.text / maxText : 0,
    code: maxCode ? c.code / maxCode : 0,
    vector: maxVector > 0 ? Math.max(0, byVector.get(c.id) ?? 0) / maxVector : 0,
  });
  const e = (c: Candidate) => W_TEXT * own(c).text + W_CODE * own(c).code + W_VECTOR * own(c).vector;

  // Files are scored from the lexical candidates (their rows are at hand); the vector-only
  // candidates come in the same query as the other repairs of the top files.
  const fileScore = new Map<string, number>();
  let topFiles: string[] = [];
  if (codeAware) {
    for (const c of cands.values())
      for (const f of c.files.filter((p) => !isTestPath(p))) fileScore.set(f, Math.max(fileScore.get(f) ?? 0, e(c)));
    topFiles = [...fileScore]
      .sort((a, b) => b[1] - a[1])
      .slice(0, TOP_FILES)
      .map(([f]) => f);
  }
  // Each file's absolute evidence: the best raw code score of a repair that touched it.
  const fileRaw = new Map<string, number>();
  for (const c of cands.values()) for (const f of c.files) fileRaw.set(f, Math.max(fileRaw.get(f) ?? 0, c.code));
  // The checkout's best files for the issue bring in the repairs that touched them, even when no
  // wording matched (their evidence is where they stand in the code base, not what they said).
  const wsTop = codeAware && workspace ? workspace.top : [];
  for (const c of await fetchMore(
    store,
    [...byVector.keys()].filter((id) => !cands.has(id)),
    [...new Set([...topFiles, ...wsTop])],
    filters,
  ))
    if (!cands.has(c.id)) cands.set(c.id, c);
  if (codeAware)
    for (const c of cands.values())
      for (const f of c.files.filter((p) => !isTestPath(p))) fileScore.set(f, Math.max(fileScore.get(f) ?? 0, e(c)));

  const hits = [...cands.values()].map((c) => {
    let best: string | undefined;
    for (const f of c.files) if (!isTestPath(f) && (fileScore.get(f) ?? 0) > (best ? fileScore.get(best)! : 0)) best = f;
    const file = best ? fileScore.get(best)! : 0;
    best ??= codeAware ? workspace?.bestFile(c) : undefined; // brought in by the checkout alone: name its file
    return {
      c,
      best,
      file,
      score: (file + W_OWN * e(c) + (codeAware && workspace ? workspace.boost(c) : 0)) * (OUTCOME_WEIGHT[c.outcome] ?? 1),
    };
  });
  // Ties go to the more recent repair: the code it saw is closer to today's.
  hits.sort((a, b) => b.score - a.score || b.c.createdAt.localeCompare(a.c.createdAt));
  const terms = queryTerms(text);
  const exhausted = byText.size < CANDIDATES && byCodeField.size < CANDIDATES;
  const picked = diverse(
    hits.filter((h) => h.score > 0 && !hidden.has(h.c.id)),
    k,
  );
  const notPicked = hits.find((h) => h.score > 0 && !hidden.has(h.c.id) && !picked.includes(h));
  const evidences = evidenceFor(picked, {
    text,
    pool: [...cands.values()],
    cosine: vectors ? byVector : undefined,
    fileRaw,
    fileScore: codeAware ? fileScore : undefined,
    nextScore: notPicked?.score ?? 0,
    at,
    sameRepo: codeAware,
    workspace: codeAware ? workspace : undefined,
  });
  const top = picked.map(({ c, best, file, score }, i) => {
    const evidence = evidences[i];
    return {
      episodeId: c.id,
      sourceId: c.sourceId,
      score: round(score),
      relevance: relevanceOf(evidence),
      outcome: c.outcome,
      title: c.title,
      repo: c.repo,
      createdAt: c.createdAt,
      why: {
        terms: matchedTerms(terms, c),
        ...(best ? { file: best } : {}),
        parts: { text: round(own(c).text), code: round(own(c).code), vector: round(own(c).vector), file: round(file) },
        evidence,
      },
    };
  });
  return { hits: top, exhausted };
}

async function search(
  store: ExperienceStore,
  column: 'issueText' | 'code',
  text: string,
  filters: string[],
): Promise<Map<string, Candidate>> {
  const { MatchQuery } = await loadLance();
  let query = store
    .table('episodes')
    .query()
    .fullTextSearch(new MatchQuery(text, column))
    .select([...COLUMNS, '_score'])
    .limit(CANDIDATES);
  if (filters.length) query = query.where(filters.join(' AND '));
  const rows = await query.toArray();
  return new Map(
    rows.map((r) => {
      const c = toCandidate(r);
      const s = Number(r._score);
      return [c.id, { ...c, text: column === 'issueText' ? s : 0, code: column === 'code' ? s : 0 }];
    }),
  );
}

/** In one query: the given episodes, and the episodes that touched any of `files`, under the filters. */
async function fetchMore(store: ExperienceStore, ids: string[], files: string[], filters: string[]): Promise<Candidate[]> {
  const any: string[] = [];
  if (ids.length) any.push(`id IN (${ids.map(sqlString).join(', ')})`);
  if (files.length) any.push(`array_has_any(files, [${files.map(sqlString).join(', ')}])`);
  if (any.length === 0) return [];
  const where = [...filters, `(${any.join(' OR ')})`].join(' AND ');
  const rows = await store
    .table('episodes')
    .query()
    .where(where)
    .select(COLUMNS)
    .limit(CANDIDATES * 5)
    .toArray();
  return rows.map(toCandidate);
}

function toCandidate(r: Record<string, unknown>): Candidate {
  const files = strs(r.files);
  return {
    id: String(r.id),
    sourceId: r.sourceId == null ? null : String(r.sourceId),
    outcome: r.outcome as EpisodeOutcome,
    title: String(r.title ?? ''),
    repo: String(r.repo ?? ''),
    createdAt: String(r.createdAt ?? ''),
    files,
    symbols: strs(r.symbols),
    text: 0,
    code: 0,
  };
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
