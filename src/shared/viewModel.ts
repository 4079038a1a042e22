// What the panel shows: plain data the host computes from the store and the active session.
// Self-contained (no imports) so the webview bundle stays free of host code.

export const stages = ['reproduce', 'fix', 'review', 'chat'] as const;
/** The step of a repair the prompt is composed for. */
export type Stage = (typeof stages)[number];

export const providerIds = ['anthropic', 'vscode-lm'] as const;
/** Where chat messages go: Claude through the Anthropic API, or a VS Code language model. */
export type ProviderId = (typeof providerIds)[number];

export const insightActions = ['approve', 'retire', 'helpful', 'not-helpful'] as const;
export type InsightAction = (typeof insightActions)[number];

/** Where Share sends a memory: the team store, or the repository's .dejafix/ folder. */
export const shareTargets = ['team', 'repo'] as const;
export type ShareTarget = (typeof shareTargets)[number];

export type EpisodeOutcomeView = 'resolved' | 'failed' | 'abandoned';
export type AttemptOutcomeView = 'passed' | 'failed' | 'unknown';

/** The issue the current repair session is about. */
export interface IssueView {
  title: string;
  url?: string;
  repo: string;
  /** When the session started (ISO), for the elapsed time. */
  startedAt: string;
  attempts: number;
  lastOutcome?: AttemptOutcomeView;
}

export interface AttemptView {
  id: string;
  command: string;
  exitCode: number | null;
  outcome: AttemptOutcomeView;
  /** The end of the command's output (already shortened by the host). */
  outputTail: string;
  /** The diff at that moment (possibly shortened; see patchTruncated). */
  patch: string;
  patchTruncated: boolean;
  at: string;
  by: string;
}

/** One recalled past repair. */
export interface EpisodeCard {
  id: string;
  title: string;
  repo: string;
  outcome: EpisodeOutcomeView;
  createdAt: string;
  score: number;
  /** Estimated chance (0–1) that the repair touched the code the issue is about. */
  relevance: number;
  /** Its track record when it was ever used or judged: "helped 3 of 4 times". */
  track?: string;
  /** Why it was recalled, in words ("same file src/export.ts; terms: csv, date"). */
  why: string;
  attempts: AttemptView[];
  hasFinalPatch: boolean;
  /** Where it came from, in words: "you", "teammate Ann <a@x> (2026-12-01)", "repository", "import". */
  origin?: string;
}

export interface InsightView {
  id: string;
  text: string;
  role: 'reproduce' | 'fix' | 'review' | 'general';
  status: 'proposed' | 'active';
  importance: number;
  evidence: { episodes: string[]; files: string[] };
  createdAt: string;
  updatedAt: string;
  /** Not confirmed or used for a long time, or its evidence no longer matches the code. */
  stale: boolean;
  /** Where it came from, in words (as EpisodeCard.origin). */
  origin?: string;
}

export interface ChatMessage {
  role: 'user' | 'assistant';
  content: string;
  at: string;
  provider?: ProviderId;
  /** The reply was cut short by Stop (or an error) and holds what arrived until then. */
  stopped?: boolean;
}

export interface ProviderInfo {
  id: ProviderId;
  label: string;
  available: boolean;
  /** Why it is unavailable, or which model it uses. */
  detail?: string;
}

/** A reply still streaming when the panel (re)loaded. */
export interface PendingReply {
  requestId: string;
  provider: ProviderId;
  text: string;
}

/** "Looks fixed": the first passing test run after a failing one; offered until answered. */
export interface ResolveOfferView {
  title: string;
}

/** The episode the last "Save as Resolved" (or "Abandoned") stored: the panel confirms it. */
export interface SavedView {
  episodeId: string;
  title: string;
  outcome: EpisodeOutcomeView;
  attempts: number;
}

/** The relevance threshold the active issue's recall used (the panel says when nothing reached it). */
export interface RecallThresholdView {
  /** The `dejafix.recall.minRelevance` setting (0–1). */
  minRelevance: number;
  /** "Show weaker matches" was chosen for this issue: recall ran without the threshold. */
  weaker: boolean;
}

/** Everything the panel renders; sent whole on load and whenever something changes. */
export interface PanelState {
  issue: IssueView | null;
  /** The key the conversation is kept under (the repair session, or a default one). */
  sessionId: string;
  episodes: EpisodeCard[];
  insights: InsightView[];
  providers: ProviderInfo[];
  conversation: ChatMessage[];
  pending: PendingReply | null;
  /** The "looks fixed — save as resolved?" offer, while unanswered. */
  offer: ResolveOfferView | null;
  /** What was saved last, until the next session starts or the user dismisses it. */
  saved: SavedView | null;
  /** The active issue's recall threshold; null without an issue. */
  threshold: RecallThresholdView | null;
}
