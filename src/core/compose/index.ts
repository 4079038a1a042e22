/**
 * Stage-aware prompt composition (the public API the side panel, LM tool, MCP server and CLI call).
 *
 * - `composePrompt(store, request, opts)` recalls past repairs and lessons for the issue and composes.
 * - `composeFrom(recalled, request, opts)` composes from memories the caller recalled itself (no store).
 * Both return a `ComposedPrompt`: `{ system, messages }` for the Anthropic Messages API, the same
 * prompt as Markdown, its token count, and what the budget trimmed.
 */
export {
  composeFrom,
  composePrompt,
  ComposeError,
  DEFAULT_BUDGET,
  DEFAULT_DEMONSTRATIONS,
  DEFAULT_INSIGHTS,
  MAX_BUDGET,
  MIN_BUDGET,
  type ComposePromptOptions,
} from './compose';
export { TOKENIZER_SAFETY_MARGIN, limitFor, tokenCounter, type TokenCounter } from './tokens';
export { TAGS } from './quote';
export { stages, stageRole } from './types';
export type {
  Stage,
  CurrentIssue,
  WorkspaceContext,
  ComposeRequest,
  ComposeOptions,
  Recalled,
  RecalledEpisode,
  RecalledInsight,
  ComposedPrompt,
  Trimmed,
  UserMessage,
} from './types';
