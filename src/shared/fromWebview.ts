// Messages the panel sends to the host. The panel is untrusted input as far as the host is
// concerned (it renders memory content and model output), so every message is validated against
// its schema here before a handler sees it: known type, known keys only, bounded sizes.
// The webview imports only the types (`import type`), so zod stays out of its bundle.
import { z } from 'zod';
import { MAX_CODE_CHARS, MAX_ERROR_CHARS, MAX_ID_CHARS, MAX_INSIGHT_CHARS, MAX_PROMPT_CHARS, MAX_REQUEST_ID_CHARS } from './limits';
import { insightActions, providerIds, shareTargets, stages } from './viewModel';

const id = z.string().min(1).max(MAX_ID_CHARS);
const requestId = z
  .string()
  .min(1)
  .max(MAX_REQUEST_ID_CHARS)
  .regex(/^[\w.-]+$/, 'letters, digits, _ . - only');
const text = (max: number) =>
  z
    .string()
    .max(max)
    .refine((s) => s.trim().length > 0, 'must not be empty');

export const fromWebviewSchemas = {
  /** The panel loaded (or reloaded) and wants the whole state. */
  ready: z.strictObject({ type: z.literal('ready') }),
  /** Hide a recalled episode for this issue and rank it lower for similar ones. */
  'episode.notRelevant': z.strictObject({ type: z.literal('episode.notRelevant'), episodeId: id }),
  /** Nothing reached the relevance threshold: recall the active issue again without it. */
  'recall.showWeaker': z.strictObject({ type: z.literal('recall.showWeaker') }),
  /** Show an attempt's patch (or the final patch when no attempt is given) in a diff editor. */
  /** Undo "not relevant": show the episode again and drop its demotion. */
  'episode.undoNotRelevant': z.strictObject({ type: z.literal('episode.undoNotRelevant'), episodeId: id }),
  'episode.openPatch': z.strictObject({ type: z.literal('episode.openPatch'), episodeId: id, attemptId: id.optional() }),
  /** Share with Team… / Share to Repository… for a shown card or insight (the host previews and asks first). */
  'episode.share': z.strictObject({ type: z.literal('episode.share'), episodeId: id, to: z.enum(shareTargets) }),
  'insight.share': z.strictObject({ type: z.literal('insight.share'), insightId: id, to: z.enum(shareTargets) }),
  'insight.action': z.strictObject({ type: z.literal('insight.action'), insightId: id, action: z.enum(insightActions) }),
  'insight.edit': z.strictObject({ type: z.literal('insight.edit'), insightId: id, text: text(MAX_INSIGHT_CHARS) }),
  /** Compose the prompt for a stage; answered by `compose.result` or `compose.error`. */
  'prompt.compose': z.strictObject({ type: z.literal('prompt.compose'), requestId, stage: z.enum(stages) }),
  'prompt.openInCopilot': z.strictObject({ type: z.literal('prompt.openInCopilot'), prompt: text(MAX_PROMPT_CHARS) }),
  /** Send one user message; answered by `chat.started`, `chat.delta`…, then `chat.done` or `chat.error`. */
  'chat.send': z.strictObject({
    type: z.literal('chat.send'),
    requestId,
    sessionId: id,
    provider: z.enum(providerIds),
    text: text(MAX_PROMPT_CHARS),
  }),
  'chat.stop': z.strictObject({ type: z.literal('chat.stop'), requestId }),
  /** Start a new conversation for the session. */
  'chat.clear': z.strictObject({ type: z.literal('chat.clear'), sessionId: id }),
  'code.copy': z.strictObject({ type: z.literal('code.copy'), code: text(MAX_CODE_CHARS) }),
  'code.insert': z.strictObject({ type: z.literal('code.insert'), code: text(MAX_CODE_CHARS) }),
  /** Ask for the Anthropic API key (the "Set Anthropic API Key" command). */
  'chat.setApiKey': z.strictObject({ type: z.literal('chat.setApiKey') }),
  /** Help set up a VS Code language model (GitHub Copilot) when none is available. */
  'chat.setupVsCodeModel': z.strictObject({ type: z.literal('chat.setupVsCodeModel') }),
  /** Answer the "looks fixed" offer: save the session as resolved, or keep working. */
  'session.saveResolved': z.strictObject({ type: z.literal('session.saveResolved') }),
  'session.keepWorking': z.strictObject({ type: z.literal('session.keepWorking') }),
  /** Hide the "saved" confirmation. */
  'session.dismissSaved': z.strictObject({ type: z.literal('session.dismissSaved') }),
  /** Measure the memory (Memory Health); answered by `health.progress`…, then `health.result` or `health.error`. */
  'health.run': z.strictObject({ type: z.literal('health.run'), requestId }),
  'health.cancel': z.strictObject({ type: z.literal('health.cancel'), requestId }),
  /** An unexpected error inside the panel, for the log. */
  'webview.error': z.strictObject({ type: z.literal('webview.error'), message: z.string().max(MAX_ERROR_CHARS) }),
} as const;

type Schemas = typeof fromWebviewSchemas;
export type FromWebviewType = keyof Schemas;
export type FromWebviewOf<K extends FromWebviewType> = z.infer<Schemas[K]>;
export type FromWebview = { [K in FromWebviewType]: FromWebviewOf<K> }[FromWebviewType];
