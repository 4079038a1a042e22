// What a view may use of the panel: a narrow interface, so views never import the concrete App
// (which imports the views) — the panel's modules form no import cycle, not even type-only
// (scripts/cycles.mjs, run by lint; test/unit/layering.test.ts proves it fires).
import type { FromWebview } from '../../shared/fromWebview';
import type { PanelState, Stage } from '../../shared/viewModel';
import type { UiState } from '../uiState';

export interface PanelContext {
  readonly ui: UiState;
  /** The last state from the host, null before the first. */
  readonly state: PanelState | null;
  post(message: FromWebview): void;
  /** Saves the UI state soon. */
  persist(): void;
  notify(level: 'info' | 'warning' | 'error', message: string): void;
  /** Re-renders the episode and insight lists (after a card was expanded, hidden, …). */
  renderLists(): void;
  composePrompt(stage: Stage): void;
  /** Re-evaluates which buttons are enabled (and why not). */
  updateControls(): void;
}

/** What the chat view offers the prompt view: send a prompt, and whether (and why not) it can. */
export interface ChatApi {
  send(text: string): void;
  /** Why a message cannot be sent now, or null when it can. */
  blockedReason(): string | null;
}
