// What the side panel needs from the rest of the extension. The extension implements it over the
// session, the store, the prompt composer and the LLM providers; the panel's handlers use nothing
// else, so they run (and are tested) without VS Code.
import type {
  ChatMessage,
  EpisodeCard,
  InsightAction,
  InsightView,
  IssueView,
  ProviderId,
  ProviderInfo,
  RecallThresholdView,
  ResolveOfferView,
  SavedView,
  ShareTarget,
  Stage,
} from '../../shared/viewModel';
import type { HealthView } from '../../shared/health';

export interface Unsubscribe {
  dispose(): void;
}

export type InsightChange = InsightAction | { edit: string };

export interface ChatRequest {
  /** The whole conversation, oldest first, ending with the new user message. */
  messages: ChatMessage[];
  provider: ProviderId;
}

export interface PanelBackend {
  /** The issue of the active repair session, or null when none is open. */
  activeIssue(): Promise<IssueView | null>;
  /** The key the conversation is kept under: the active session's id, or a fixed default. */
  conversationKey(): string;
  /** Episodes recalled for the active issue, best first, without those marked not relevant. */
  recalled(): Promise<EpisodeCard[]>;
  /** The threshold the active issue's recall used, null without an issue. */
  recallThreshold(): Promise<RecallThresholdView | null>;
  /** Recall the active issue again without the relevance threshold ("Show weaker matches"). */
  showWeaker(): Promise<void>;
  /** Active and proposed insights relevant to the active issue. */
  insights(): Promise<InsightView[]>;
  /** Chat providers and whether each can be used now. */
  providers(): Promise<ProviderInfo[]>;

  /** Hide the episode for this issue and rank it lower for similar ones. */
  feedbackEpisode(episodeId: string, verdict: 'not-relevant'): Promise<void>;
  /** Undo "not relevant" for the active issue. */
  undoNotRelevant(episodeId: string): Promise<void>;
  insightAction(insightId: string, change: InsightChange): Promise<void>;
  /** Share with Team… / Share to Repository… for one record (the command previews and asks first). */
  share(id: string, to: ShareTarget): Promise<void>;

  /** The prompt for a stage, composed from the issue and the recalled experience. */
  compose(stage: Stage): Promise<{ text: string; tokens: number }>;
  /**
   * Streams a reply: calls onDelta with each piece of text as it arrives and resolves when the
   * reply is complete. When `signal` aborts, stops promptly (resolving or rejecting).
   * Rejects with an Error whose message the user can act on ("Set an Anthropic API key…").
   */
  chat(request: ChatRequest, signal: AbortSignal, onDelta: (text: string) => void): Promise<void>;

  openPatch(episodeId: string, attemptId?: string): Promise<void>;
  insertAtCursor(code: string): Promise<void>;
  copyToClipboard(text: string): Promise<void>;
  /** Opens Copilot Chat with the prompt where a chat exists ('opened'); otherwise copies it ('copied'). */
  openInCopilotChat(prompt: string): Promise<'opened' | 'copied'>;
  /** Runs "Set Anthropic API Key" (asks for the key). */
  setAnthropicKey(): Promise<void>;
  /** Starts setting up a VS Code language model (Copilot's setup where the editor has it, else the Extensions view). */
  setupVsCodeModel(): Promise<void>;

  /** The "looks fixed" offer while unanswered, and the last save to confirm. */
  resolveOffer(): ResolveOfferView | null;
  lastSaved(): SavedView | null;
  /** Answers the offer: saves the session as resolved (the command's checks and confirmation apply). */
  saveResolved(): Promise<void>;
  keepWorking(): void;
  dismissSaved(): void;

  loadConversation(key: string): Promise<ChatMessage[]>;
  saveConversation(key: string, messages: ChatMessage[]): Promise<void>;

  /**
   * Memory Health: the eval use case (src/core/eval) on the editor's memory. Calls onProgress after
   * each query; rejects with the use case's EvalError (code `empty`, `no-resolved`, `too-few`,
   * `cancelled` when `signal` aborts) or the store's error.
   */
  memoryHealth(signal: AbortSignal, onProgress: (done: number, total: number) => void): Promise<HealthView>;

  /** Fires when what the panel shows changed: another issue, a new recall, a store update. */
  onDidChange(listener: () => void): Unsubscribe;
}
