// Fitting a prompt into its token budget, in a fixed order:
//   1. drop the lowest-ranked demonstrations, down to the best one;
//   2. tighten, level by level: cut long patches by hunk ("[N lines omitted]"), then shorten long
//      outputs and workspace texts to their head and tail, then the next level of both;
//   3. drop the last demonstration, then lessons from the lowest-ranked, then the workspace.
// Patches and outputs tighten in alternation rather than all patches first: cutting every patch
// to its last level before touching any output left the demo prompt with a 2-line "correct patch"
// beside a 25-line pytest log. Within a level, patches still go first.
// The current issue is never cut. When even the issue alone (with the fixed instructions) is over
// the limit, the result is that prompt, marked overBudget.
import { render, type Plan, type PromptParts, type Rendered } from './render';
import { FRAMING_TOKENS, type TokenCounter } from './tokens';
import { OUTPUT_LEVELS, PATCH_LEVELS } from './trim';

export interface Fitted {
  rendered: Rendered;
  plan: Plan;
  tokens: number;
  overBudget: boolean;
  steps: string[];
}

/** The plans to try, each with the step that led to it, from everything to the issue alone. */
function* plans(p: PromptParts): Generator<{ plan: Plan; step: string }> {
  const hasWorkspace = Object.keys(p.workspace).length > 0;
  let plan: Plan = {
    demonstrations: p.demonstrations.length,
    insights: p.insights.length,
    patchLevel: 0,
    outputLevel: 0,
    workspace: hasWorkspace,
  };
  yield { plan, step: '' };
  while (plan.demonstrations > 1) {
    plan = { ...plan, demonstrations: plan.demonstrations - 1 };
    yield { plan, step: `dropped demonstration ${p.demonstrations[plan.demonstrations].episodeId}` };
  }
  for (let l = 1; l < Math.max(PATCH_LEVELS.length, OUTPUT_LEVELS.length); l++) {
    if (l < PATCH_LEVELS.length) {
      plan = { ...plan, patchLevel: l };
      yield { plan, step: patchStep(l) };
    }
    if (l < OUTPUT_LEVELS.length) {
      plan = { ...plan, outputLevel: l };
      yield { plan, step: outputStep(l) };
    }
  }
  if (plan.demonstrations > 0) {
    plan = { ...plan, demonstrations: 0 };
    yield { plan, step: `dropped demonstration ${p.demonstrations[0].episodeId}` };
  }
  while (plan.insights > 0) {
    plan = { ...plan, insights: plan.insights - 1 };
    yield { plan, step: `dropped lesson ${p.insights[plan.insights].id}` };
  }
  if (plan.workspace) {
    plan = { ...plan, workspace: false };
    yield { plan, step: 'dropped the workspace context' };
  }
}

export const patchStep = (l: number) => `cut patches to ${PATCH_LEVELS[l].hunks} hunks of ${PATCH_LEVELS[l].hunkLines} lines`;
export const outputStep = (l: number) => `shortened outputs to ${OUTPUT_LEVELS[l].lines} lines (head and tail)`;

export function countPrompt(counter: TokenCounter, r: { system: string; user: string }): number {
  return counter.count(r.system) + counter.count(r.user) + FRAMING_TOKENS;
}

/** The first plan whose prompt fits `limit` tokens, or the last one (the issue alone) marked overBudget. */
export function fit(p: PromptParts, limit: number, counter: TokenCounter): Fitted {
  const steps: string[] = [];
  let last: Fitted | undefined;
  let previous = '';
  for (const { plan, step } of plans(p)) {
    if (step) steps.push(step);
    const rendered = render(p, plan);
    const key = `${rendered.system}\u0000${rendered.user}`;
    // A step that changed nothing (no patch long enough to cut) is not counted again.
    if (key === previous && last) {
      steps.pop();
      continue;
    }
    previous = key;
    const tokens = countPrompt(counter, rendered);
    last = { rendered, plan, tokens, overBudget: tokens > limit, steps: [...steps] };
    if (tokens <= limit) return last;
  }
  return last!;
}
