// Reflection on finished episodes: ask the model for insight operations on one episode, apply the
// valid ones in one write, and keep every reflection that failed in the retry queue.
import { createHash } from 'node:crypto';
import type { Embedder } from '../embed/embedder';
import type { Episode } from '../model/episode';
import type { Insight } from '../model/insight';
import { LlmError } from '../llm/errors';
import type { LlmProvider, LlmUsage } from '../llm/provider';
import { ReflectionQueue } from '../store/reflectQueue';
import { insightsFor } from '../store/queries';
import type { ExperienceStore } from '../store/store';
import { childLogger, silentLogger, type Logger } from '../util/logger';
import { planOperations, type OpOutcome } from './apply';
import { DEFAULT_CAP, reflectionTool } from './ops';
import { buildReflectionPrompt, DEFAULT_PROMPT_BUDGET, type Contrast } from './prompt';
import { lexical, withEmbedder } from './similarity';
import { errorText } from '../util/errors';

export interface ReflectOptions {
  /** New insights start `proposed` until a person approves them (default true). */
  requireApproval?: boolean;
  /** Most insights per scope × role (default 15). */
  cap?: number;
  /** Request budget in estimated tokens (default 24,000). */
  budgetTokens?: number;
  /** Bound on the answer's length (default 2048 tokens). */
  maxAnswerTokens?: number;
  /** For near-duplicate merging by meaning; without it, by words. */
  embedder?: Embedder;
  /** Why the episode is reflected on (kept with a queued retry): `episode-ended`, `import`, `manual`. */
  reason?: string;
  signal?: AbortSignal;
  log?: Logger;
  now?: () => Date;
}

export interface ReflectionResult {
  episodeId: string;
  /** applied: the answer was applied (maybe with rejected operations); queued: it failed and waits for a retry; skipped: nothing to do. */
  status: 'applied' | 'queued' | 'skipped';
  contrast?: Contrast;
  outcomes: OpOutcome[];
  /** Insights written (new or changed) and those retired to keep within the cap. */
  written: string[];
  evicted: string[];
  usage?: LlmUsage;
  promptTokens?: number;
  error?: { code: string; message: string; transient: boolean };
  note?: string;
}

/** Errors after which every further request would fail the same way: stop, keep the rest queued. */
const FATAL_CODES = new Set(['no-key', 'auth', 'bad-request']);

export function episodeHash(e: Episode): string {
  const h = createHash('sha256');
  for (const p of [e.outcome, e.finalPatch, ...e.attempts.map((a) => `${a.id}:${a.outcome}:${a.patch.length}`)])
    h.update(p).update('\u0000');
  return h.digest('hex').slice(0, 24);
}

/** The current (not retired) insights of an episode's repository and the global ones. */
export async function currentInsights(store: ExperienceStore, repo: string): Promise<Insight[]> {
  const list = await insightsFor(store, { repo: repo || null });
  return list.sort(
    (a, b) =>
      a.role.localeCompare(b.role) ||
      Number(a.scope === 'global') - Number(b.scope === 'global') ||
      b.importance - a.importance ||
      a.id.localeCompare(b.id),
  );
}

/** Reflects on one episode. Never throws for an LLM failure: the episode is queued and the result says so. */
export async function reflectOnEpisode(
  store: ExperienceStore,
  provider: LlmProvider,
  episodeId: string,
  opts: ReflectOptions = {},
): Promise<ReflectionResult> {
  const log = childLogger(opts.log ?? silentLogger, 'reflect');
  const now = (opts.now ?? (() => new Date()))();
  const queue = new ReflectionQueue(store);
  const reason = opts.reason ?? 'manual';
  const base = { episodeId, outcomes: [], written: [], evicted: [] };
  const episode = await store.getEpisode(episodeId);
  if (!episode) {
    await queue.remove([episodeId]);
    return { ...base, status: 'skipped', note: 'no such episode (forgotten?)' };
  }
  if (episode.attempts.length === 0 && !episode.finalPatch) {
    await queue.done(episodeId, episodeHash(episode), now);
    return { ...base, status: 'skipped', note: 'nothing to learn: no attempts and no patch' };
  }
  const existing = await currentInsights(store, episode.repo);
  const budget = opts.budgetTokens ?? DEFAULT_PROMPT_BUDGET;
  const prompt = await buildReflectionPrompt(episode, existing, budget);
  if (prompt.clipped.length) log.info(`${episodeId}: left out or clipped ${prompt.clipped.join(', ')} to fit ${budget} tokens`);
  if (prompt.tokens > budget)
    log.warn(`${episodeId}: the request is ~${prompt.tokens} tokens even at its smallest, over the ${budget} budget`);

  let answer;
  try {
    answer = await provider.structured(
      {
        system: prompt.system,
        messages: [{ role: 'user', content: prompt.user }],
        maxTokens: opts.maxAnswerTokens ?? 2048,
        temperature: 0,
        signal: opts.signal,
      },
      reflectionTool,
    );
  } catch (e) {
    const err = e instanceof LlmError ? e : new LlmError('malformed', `reflection failed: ${errorText(e)}`, { cause: e });
    const entry = await queue.failed(episodeId, reason, err.code, err.message, now);
    log.warn(`${episodeId}: queued for a retry after ${entry.attempts} failed tries (${err.code}); next try after ${entry.nextAttemptAt}`);
    if (!(e instanceof LlmError)) throw e;
    return {
      ...base,
      status: 'queued',
      contrast: prompt.contrast,
      promptTokens: prompt.tokens,
      error: { code: err.code, message: err.message, transient: err.transient },
    };
  }

  const similarity = opts.embedder
    ? withEmbedder(opts.embedder, (why) => log.warn(`merging by words: the embedder failed (${why})`))
    : lexical();
  const plan = await planOperations(answer.value.operations, {
    episode,
    handles: prompt.handles,
    files: prompt.files,
    existing,
    similarity,
    log,
    now: now.toISOString(),
    requireApproval: opts.requireApproval ?? true,
    cap: opts.cap ?? DEFAULT_CAP,
  });
  // One write for the whole answer: either all of its valid operations land, or none does.
  const written = await store.upsertInsights(plan.write);
  for (const n of written.notes) log.info(n);
  await queue.done(episodeId, episodeHash(episode), now);
  const counts = summarize(plan.outcomes);
  log.info(`${episodeId}: ${counts || 'no operations'}${plan.evicted.length ? `; ${plan.evicted.length} retired by the cap` : ''}`);
  return {
    ...base,
    status: 'applied',
    contrast: prompt.contrast,
    outcomes: plan.outcomes,
    written: plan.write.map((i) => i.id),
    evicted: plan.evicted,
    usage: answer.usage,
    promptTokens: prompt.tokens,
  };
}

export function summarize(outcomes: OpOutcome[]): string {
  const by = new Map<string, number>();
  for (const o of outcomes) by.set(o.result, (by.get(o.result) ?? 0) + 1);
  return [...by].map(([k, v]) => `${v} ${k}`).join(', ');
}

export interface BatchOptions extends ReflectOptions {
  onResult?: (r: ReflectionResult, index: number, total: number) => void;
}

/**
 * Reflects on episodes one after another. After an error that every request would meet (no key,
 * key refused, request refused), it stops and queues the rest, so nothing is lost.
 */
export async function reflectOnEpisodes(
  store: ExperienceStore,
  provider: LlmProvider,
  episodeIds: string[],
  opts: BatchOptions = {},
): Promise<{ results: ReflectionResult[]; stopped?: { code: string; message: string } }> {
  const results: ReflectionResult[] = [];
  for (let i = 0; i < episodeIds.length; i++) {
    const r = await reflectOnEpisode(store, provider, episodeIds[i], opts);
    results.push(r);
    opts.onResult?.(r, i, episodeIds.length);
    if (r.error && FATAL_CODES.has(r.error.code)) {
      const rest = episodeIds.slice(i + 1);
      if (rest.length) await new ReflectionQueue(store).enqueue(rest, opts.reason ?? 'manual');
      return { results, stopped: { code: r.error.code, message: r.error.message } };
    }
    if (opts.signal?.aborted) {
      await new ReflectionQueue(store).enqueue(episodeIds.slice(i + 1), opts.reason ?? 'manual');
      break;
    }
  }
  return { results };
}

/** Retries the queued reflections that are due (all of them with `force`), up to `limit`. */
export async function drainQueue(
  store: ExperienceStore,
  provider: LlmProvider,
  opts: BatchOptions & { force?: boolean; limit?: number } = {},
) {
  const now = (opts.now ?? (() => new Date()))();
  const due = await new ReflectionQueue(store).pending(opts.force ? undefined : now);
  const ids = due.slice(0, opts.limit ?? due.length).map((e) => e.episodeId);
  return reflectOnEpisodes(store, provider, ids, { ...opts, reason: opts.reason ?? 'retry' });
}

/** Puts episodes in the queue, e.g. when one ends while no model is configured. */
export async function queueReflection(store: ExperienceStore, episodeIds: string[], reason = 'episode-ended'): Promise<void> {
  await new ReflectionQueue(store).enqueue(episodeIds, reason);
}

/** Episodes never reflected on, or changed since (new attempts, a new outcome), oldest first. */
export async function episodesToReflect(store: ExperienceStore, opts: { all?: boolean; limit?: number } = {}): Promise<string[]> {
  const done = opts.all ? new Map<string, string>() : await new ReflectionQueue(store).reflected();
  const out: { id: string; at: string }[] = [];
  for await (const batch of store.episodes(200)) {
    for (const e of batch) {
      if (e.attempts.length === 0 && !e.finalPatch) continue;
      if (!opts.all && done.get(e.id) === episodeHash(e)) continue;
      out.push({ id: e.id, at: e.createdAt });
    }
  }
  out.sort((a, b) => a.at.localeCompare(b.at) || a.id.localeCompare(b.id));
  return out.slice(0, opts.limit ?? out.length).map((e) => e.id);
}
