// The shapes callers of prompt composition see: what they ask for, what they pass in when they
// recalled memories themselves, and what comes back.
import type { Episode } from '../model/episode';
import type { Insight, InsightRole } from '../model/insight';
import type { RecallHit } from '../recall/recall';

export const stages = ['reproduce', 'fix', 'review', 'chat'] as const;
/** `reproduce`: write a test that shows the issue; `fix`: write the patch; `review`: judge candidate patches; `chat`: general. */
export type Stage = (typeof stages)[number];

/** The lessons each stage is shown: its own role's (chat has no role of its own, so it gets the general ones). */
export const stageRole: Record<Stage, InsightRole> = { reproduce: 'reproduce', fix: 'fix', review: 'review', chat: 'general' };

/** The issue being worked on now. It is never shortened. */
export interface CurrentIssue {
  title?: string;
  body: string;
  /** Normalised repository (e.g. `github.com/acme/invoices`); its memories rank first. */
  repo?: string;
}

/** What the person or agent is looking at; every part is optional and may be shortened. */
export interface WorkspaceContext {
  /** The selected text in the editor. */
  selection?: string;
  /** The file in the active editor, with its text if the caller wants it included. */
  openFile?: { path: string; text?: string };
  /** Output of the failing command or test run. */
  errorOutput?: string;
  /** The working tree's diff or a candidate patch (what `review` judges). */
  diff?: string;
}

export interface ComposeRequest {
  stage: Stage;
  issue: CurrentIssue;
  workspace?: WorkspaceContext;
  /** Tokens the whole prompt (system + messages) may take; default DEFAULT_BUDGET. */
  budget?: number;
}

/** A past episode to show, best first; `hit` (from recall) adds why it was recalled. */
export interface RecalledEpisode {
  episode: Episode;
  hit?: Pick<RecallHit, 'score' | 'why'>;
}

/** A lesson to show, best first (an `InsightHit` from recallInsights fits). */
export interface RecalledInsight {
  insight: Insight;
  score?: number;
}

export interface Recalled {
  episodes: RecalledEpisode[];
  insights: RecalledInsight[];
}

export interface ComposeOptions {
  /** The time ages are measured from (fixed in tests so the output is stable); default: now. */
  now?: Date | string;
  /** At most this many demonstrations are considered (default DEFAULT_DEMONSTRATIONS). */
  maxDemonstrations?: number;
  /** At most this many lessons are considered (default DEFAULT_INSIGHTS). */
  maxInsights?: number;
}

/** What the budget took out, in the order it was taken. */
export interface Trimmed {
  /** Episode ids of demonstrations left out, lowest-ranked first. */
  demonstrations: string[];
  /** Insight ids left out, lowest-ranked first. */
  insights: string[];
  /** Patches shortened by hunk (count). */
  patchesCut: number;
  /** Outputs and texts shortened to their head and tail (count). */
  outputsShortened: number;
  /** The workspace context was left out entirely. */
  workspace: boolean;
  /** One readable line per trimming step taken, in order. */
  steps: string[];
}

/** A user message in the Anthropic Messages API form (assignable to the SDK's `MessageParam`). */
export interface UserMessage {
  role: 'user';
  content: string;
}

export interface ComposedPrompt {
  stage: Stage;
  /** Pass as `system` to the Messages API. */
  system: string;
  /** Pass as `messages` to the Messages API. */
  messages: [UserMessage];
  /** The same prompt as one Markdown document, for copying or handing to another agent. */
  markdown: string;
  /** Tokens of system + messages, counted with the Claude tokenizer package (see tokens.ts). */
  tokens: number;
  /** The budget asked for. */
  budget: number;
  /** The budget less the safety margin: `tokens` stays at or under it unless `overBudget`. */
  limit: number;
  /**
   * The current issue alone (with the fixed instructions) exceeds `limit`. The prompt then holds
   * the whole issue and nothing else; callers decide whether to send it.
   */
  overBudget: boolean;
  trimmed: Trimmed;
  /** Ids of the memories the prompt shows (for usage counters and "why" displays). */
  used: { episodes: string[]; insights: string[] };
}
