// `dejafix eval` and Memory Health: the leave-future-out protocol of bench:recall run on the user's
// own memory. Each resolved episode, in time order, is asked as a new issue (its title and body,
// its repository, its creation time) against only the episodes created before it; a returned
// repair is relevant when it touched a non-test file the episode's own repair touched. The figures
// say whether the memory earns its place in a prompt: how often the relevant repair comes back
// (Recall@5), how much of what is shown is relevant (precision), and how much is shown when nothing
// relevant exists (noise), at the relevance threshold and without it; and the same for the repairs
// asked again after a failed attempt, with the files it changed (midRepair.ts).
import type { Embedder } from '../embed/embedder';
import { recall } from '../recall/recall';
import { episodeCases, type EpisodeCase } from '../store/episodeCases';
import type { ExperienceStore } from '../store/store';
import { DejafixError } from '../util/errors';
import type { Logger } from '../util/logger';
import { abstention, type Judged } from './metrics';
import { changedCheckout, failedAttemptChanges } from './midRepair';
import { withHistory } from './protocol';
import { storedQueryVectors } from './storedVectors';
import { utilityStats, type UtilityStats } from './utility';

export interface EvalOptions {
  /** Only the episodes of this repository are asked (recall still searches the whole memory). */
  repo?: string;
  /** The threshold the figures are computed at (recall's relevance, 0–1). */
  minRelevance: number;
  embedder?: Embedder;
  log?: Logger;
  /** Called after each query (and once with 0 before the first). */
  onProgress?: (done: number, total: number) => void;
  /** Stops between queries; the use case then throws an EvalError with code `cancelled`. */
  signal?: AbortSignal;
}

export interface Figures {
  /** Resolved episodes asked (each has at least one earlier episode of its repository). */
  queries: number;
  /** Of them, those with a relevant earlier repair, and those with none. */
  relevantQueries: number;
  noiseQueries: number;
  /** Mean share of the relevant earlier repairs found in the top 5; null with no relevant query. */
  recall5: number | null;
  /** Share of the returned results that are relevant; null when nothing was returned. */
  precision: number | null;
  /** Mean results returned on queries with nothing relevant; null with no such query. */
  noise: number | null;
  /** Results returned (top 5 after the threshold), and how many were relevant. */
  shown: number;
  relevantShown: number;
}

export interface EvalReport {
  minRelevance: number;
  repo?: string;
  /** Episodes considered (of `repo` when given), and how many of them are resolved. */
  episodes: number;
  resolved: number;
  /** At the threshold, and without one (always the top 5, as recall was before relevance). */
  overall: Figures;
  unfiltered: Figures;
  /** At the threshold, per repository (most queries first) and per month of the asked episode. */
  repos: (Figures & { repo: string })[];
  months: (Figures & { month: string })[];
  /** Feedback counters the store holds, or null when it holds none. */
  utility: UtilityStats | null;
  /**
   * The asked repairs that had a failed attempt changing code, asked again with that attempt's files as
   * the checkout's changes (midRepair.ts), at the threshold and without it; null when none had one.
   */
  midRepair: { overall: Figures; unfiltered: Figures } | null;
}

export class EvalError extends DejafixError {
  constructor(code: 'empty' | 'no-resolved' | 'too-few' | 'cancelled', message: string) {
    super(message, { code });
    this.name = 'EvalError';
  }
}

/** The results recall returns per query; the top 5 are judged, as in bench:recall. */
const K = 10;

interface Asked {
  repo: string;
  month: string;
  judged: Judged;
}

export async function evaluateMemory(store: ExperienceStore, opts: EvalOptions): Promise<EvalReport> {
  const cases = await episodeCases(store, { repo: opts.repo });
  const where = opts.repo === undefined ? 'the memory' : `repository ${opts.repo}`;
  if (cases.length === 0) throw new EvalError('empty', `${where} holds no episodes: import or record some repairs first`);
  const resolved = cases.filter((c) => c.outcome === 'resolved');
  if (resolved.length === 0)
    throw new EvalError(
      'no-resolved',
      `${where} holds ${cases.length} episode${cases.length === 1 ? '' : 's'} but none resolved: eval asks each resolved repair as a new issue`,
    );
  const qs = withHistory(
    cases.map((c) => ({ ...c, at: c.createdAt })),
    (c) => c.outcome === 'resolved',
  );
  if (qs.length === 0)
    throw new EvalError(
      'too-few',
      `too few episodes to evaluate ${where}: none of the ${resolved.length} resolved repairs has an earlier episode of its repository to recall`,
    );
  const asked: Asked[] = [];
  const storedVector = opts.embedder
    ? storedQueryVectors(
        store,
        opts.embedder,
        qs.map((q) => q.case),
      )
    : undefined;
  const changes = await failedAttemptChanges(
    store,
    qs.map((q) => q.case.id),
  );
  const midRepair: Judged[] = [];
  // Progress counts the repairs asked; one asked again after a failed attempt is part of its step.
  opts.onProgress?.(0, qs.length);
  for (const { case: c, relevant } of qs) {
    if (opts.signal?.aborted) throw new EvalError('cancelled', `eval cancelled after ${asked.length} of ${qs.length} queries`);
    const queryVector = await storedVector?.(c);
    const ask = async (editing?: string[]): Promise<Judged> => {
      const hits = await recall(
        store,
        { text: queryText(c), repo: c.repo, before: c.createdAt, k: K, minRelevance: 0 },
        {
          embedder: opts.embedder,
          queryVector,
          log: opts.log,
          ...(editing ? { workspaceCode: changedCheckout(c.repo, editing) } : {}),
        },
      );
      return { relevantCount: relevant.size, hits: hits.map((h) => ({ relevance: h.relevance, relevant: relevant.has(h.episodeId) })) };
    };
    asked.push({ repo: c.repo, month: c.createdAt.slice(0, 7), judged: await ask() });
    const changed = changes.get(c.id);
    if (changed) midRepair.push(await ask(changed));
    opts.onProgress?.(asked.length, qs.length);
  }
  const at = (list: Asked[], min = opts.minRelevance) =>
    figures(
      list.map((a) => a.judged),
      min,
    );
  return {
    minRelevance: opts.minRelevance,
    ...(opts.repo === undefined ? {} : { repo: opts.repo }),
    episodes: cases.length,
    resolved: resolved.length,
    overall: at(asked),
    unfiltered: at(asked, 0),
    repos: [...group(asked, (a) => a.repo)]
      .map(([repo, list]) => ({ repo, ...at(list) }))
      .sort((a, b) => b.queries - a.queries || a.repo.localeCompare(b.repo)),
    months: [...group(asked, (a) => a.month)]
      .map(([month, list]) => ({ month, ...at(list) }))
      .sort((a, b) => a.month.localeCompare(b.month)),
    utility: await utilityStats(store, opts.repo),
    midRepair: midRepair.length ? { overall: figures(midRepair, opts.minRelevance), unfiltered: figures(midRepair, 0) } : null,
  };
}

/** What the episode's issue said when it was new: what a new issue would be recalled with. */
export function queryText(c: Pick<EpisodeCase, 'title' | 'body'>): string {
  return [c.title, c.body].filter((s) => s.trim()).join('\n');
}

export function figures(judged: Judged[], minRelevance: number): Figures {
  const a = abstention(judged, minRelevance);
  return {
    queries: judged.length,
    relevantQueries: a.relevantQueries,
    noiseQueries: a.noiseQueries,
    recall5: a.relevantQueries ? a.recall5 : null,
    precision: a.shown ? a.precision : null,
    noise: a.noiseQueries ? a.noise : null,
    shown: a.shown,
    relevantShown: a.relevantShown,
  };
}

function group<T>(list: T[], key: (t: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const t of list) out.set(key(t), [...(out.get(key(t)) ?? []), t]);
  return out;
}
