// Stage-aware prompt composition: past repairs and lessons, formatted for the stage, quoted with
// their provenance, redacted, and fitted into a token budget around the current issue.
import { z } from 'zod';
import type { Embedder } from '../embed/embedder';
import type { WorkspaceCode } from '../workspace/workspaceCode';
import { recallInsights } from '../recall/insights';
import { recall, MAX_QUERY_CHARS } from '../recall/recall';
import type { ExperienceStore } from '../store/store';
import { silentLogger, type Logger } from '../util/logger';
import { fit } from './budget';
import { demonstrationFor, type Demonstration } from './demonstrations';
import { prepareEpisode, prepareInsight, prepareIssue, prepareWorkspace } from './prepare';
import { toMarkdown, type PromptParts } from './render';
import { limitFor, tokenCounter } from './tokens';
import { stageRole, stages, type ComposedPrompt, type ComposeOptions, type ComposeRequest, type Recalled } from './types';
import { DejafixError } from '../util/errors';

export const DEFAULT_BUDGET = 8000;
/** Smaller budgets cannot hold the fixed instructions and an issue of a few lines. */
export const MIN_BUDGET = 200;
/** Beyond any model's context window. */
export const MAX_BUDGET = 2_000_000;
/** A few precise demonstrations help; many distract (CTIM-Rover got worse with more). */
export const DEFAULT_DEMONSTRATIONS = 3;
export const DEFAULT_INSIGHTS = 5;

/** A request that cannot be composed (empty issue, unknown stage, budget out of range); the message says which. */
export class ComposeError extends DejafixError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, { code: 'compose', cause: options.cause });
    this.name = 'ComposeError';
  }
}

const requestSchema = z.object({
  stage: z.enum(stages, { error: () => `stage must be one of ${stages.join(', ')}` }),
  issue: z.object({ title: z.string().optional(), body: z.string(), repo: z.string().optional() }),
  workspace: z
    .object({
      selection: z.string().optional(),
      openFile: z.object({ path: z.string(), text: z.string().optional() }).optional(),
      errorOutput: z.string().optional(),
      diff: z.string().optional(),
    })
    .optional(),
  budget: z.number().int().min(MIN_BUDGET).max(MAX_BUDGET).optional(),
});

function validate(request: ComposeRequest): ComposeRequest {
  const r = requestSchema.safeParse(request);
  if (!r.success)
    throw new ComposeError(`cannot compose: ${r.error.issues.map((i) => `${i.path.join('.') || 'request'}: ${i.message}`).join('; ')}`);
  if (!`${r.data.issue.title ?? ''}${r.data.issue.body}`.trim())
    throw new ComposeError('cannot compose: the issue is empty; give its title or text');
  return r.data as ComposeRequest;
}

function nowOf(opts: ComposeOptions): Date {
  const now = opts.now === undefined ? new Date() : new Date(opts.now);
  if (Number.isNaN(now.getTime())) throw new ComposeError(`cannot compose: now ${JSON.stringify(String(opts.now))} is not a valid time`);
  return now;
}

/**
 * Composes a prompt from memories the caller already recalled (best first). Pure: it reads no
 * store; the same input and `now` give the same prompt.
 */
export async function composeFrom(recalled: Recalled, request: ComposeRequest, opts: ComposeOptions = {}): Promise<ComposedPrompt> {
  const req = validate(request);
  const now = nowOf(opts);
  const budget = req.budget ?? DEFAULT_BUDGET;
  const maxDemos = Math.max(0, opts.maxDemonstrations ?? DEFAULT_DEMONSTRATIONS);
  const maxInsights = Math.max(0, opts.maxInsights ?? DEFAULT_INSIGHTS);

  const demonstrations: Demonstration[] = [];
  for (const r of recalled.episodes) {
    if (demonstrations.length >= maxDemos) break;
    if (demonstrations.some((d) => d.episodeId === r.episode.id)) continue;
    const d = demonstrationFor(req.stage, { episode: await prepareEpisode(r.episode), hit: r.hit }, now);
    if (d) demonstrations.push(d);
  }
  const role = stageRole[req.stage];
  const chosen = recalled.insights.filter((i) => i.insight.role === role || i.insight.role === 'general').slice(0, maxInsights);
  const insights = [];
  for (const i of chosen) insights.push(await prepareInsight(i.insight));

  const parts: PromptParts = {
    stage: req.stage,
    issue: await prepareIssue(req.issue),
    workspace: await prepareWorkspace(req.workspace),
    demonstrations,
    insights,
    now,
  };
  const limit = limitFor(budget);
  const fitted = fit(parts, limit, await tokenCounter());
  const { rendered, plan } = fitted;
  const { system, user } = rendered;
  return {
    stage: req.stage,
    system,
    messages: [{ role: 'user', content: user }],
    markdown: toMarkdown(req.stage, system, user, fitted.tokens, budget),
    tokens: fitted.tokens,
    budget,
    limit,
    overBudget: fitted.overBudget,
    trimmed: {
      demonstrations: demonstrations
        .slice(plan.demonstrations)
        .map((d) => d.episodeId)
        .reverse(),
      insights: insights
        .slice(plan.insights)
        .map((i) => i.id)
        .reverse(),
      patchesCut: rendered.patchesCut,
      outputsShortened: rendered.outputsShortened,
      workspace: Object.keys(parts.workspace).length > 0 && !plan.workspace,
      steps: fitted.steps,
    },
    used: {
      episodes: demonstrations.slice(0, plan.demonstrations).map((d) => d.episodeId),
      insights: insights.slice(0, plan.insights).map((i) => i.id),
    },
  };
}

export interface ComposePromptOptions extends ComposeOptions {
  /** Adds meaning to recall (see recall()); without it, recall is lexical. */
  embedder?: Embedder;
  log?: Logger;
  /** Episodes never shown (e.g. the one being worked on, when it is already stored). */
  exclude?: string[];
  /** Only repairs with at least this relevance (see recall's `minRelevance`). */
  minRelevance?: number;
  /** The code of the checkout the issue is asked in (see recall's `workspaceCode`). */
  workspaceCode?: WorkspaceCode;
}

/**
 * Recalls past repairs and lessons for the issue from the store, then composes (composeFrom).
 * The recall query is the issue's title and text, then the tail of the error output (tracebacks
 * name the files recall looks for).
 */
export async function composePrompt(
  store: ExperienceStore,
  request: ComposeRequest,
  opts: ComposePromptOptions = {},
): Promise<ComposedPrompt> {
  const req = validate(request);
  const error = req.workspace?.errorOutput ?? '';
  const text = [req.issue.title ?? '', req.issue.body.slice(0, MAX_QUERY_CHARS), error.slice(-4000)].filter((s) => s.trim()).join('\n');
  const maxDemos = Math.max(0, opts.maxDemonstrations ?? DEFAULT_DEMONSTRATIONS);
  const exclude = new Set(opts.exclude ?? []);
  // More than shown: a stage skips repairs with nothing to show for it (no test, no patch).
  const hits =
    maxDemos === 0
      ? []
      : await recall(
          store,
          { text, repo: req.issue.repo, k: maxDemos * 2 + exclude.size, minRelevance: opts.minRelevance },
          { embedder: opts.embedder, log: opts.log ?? silentLogger, workspaceCode: opts.workspaceCode },
        );
  const shown = hits.filter((h) => !exclude.has(h.episodeId));
  const found = await store.getEpisodes(shown.map((h) => h.episodeId));
  const episodes = shown.flatMap((hit) => {
    const episode = found.get(hit.episodeId);
    return episode ? [{ episode, hit }] : [];
  });
  const insights = await recallInsights(store, { text, repo: req.issue.repo, k: 20 });
  return composeFrom({ episodes, insights }, req, opts);
}
