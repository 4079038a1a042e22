// Memory Health as the panel sees it: the report of `dejafix eval` (src/core/eval/evaluate.ts),
// which the host sends as is. Types only, shared by the host and the webview. The webview may not import the core,
// so these types restate its report; the host returns evaluateMemory()'s result as a HealthView, so the compiler
// fails if the two drift apart.

export interface HealthFigures {
  queries: number;
  relevantQueries: number;
  noiseQueries: number;
  recall5: number | null;
  precision: number | null;
  noise: number | null;
  shown: number;
  relevantShown: number;
}

export interface HealthView {
  minRelevance: number;
  repo?: string;
  episodes: number;
  resolved: number;
  overall: HealthFigures;
  unfiltered: HealthFigures;
  repos: (HealthFigures & { repo: string })[];
  months: (HealthFigures & { month: string })[];
  utility: { lessons: { voted: number; helpful: number; unhelpful: number } } | null;
  /** The repairs asked again after a failed attempt, with the files it changed; null when none had one. */
  midRepair: { overall: HealthFigures; unfiltered: HealthFigures } | null;
}

/** Why there is no report: nothing to measure yet (a plain sentence), stopped, or a failure. */
export type HealthProblem = 'nothing' | 'cancelled' | 'failed';
