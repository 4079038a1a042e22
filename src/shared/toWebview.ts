// Messages the host sends to the panel. The host is trusted, but the panel still ignores
// anything whose `type` it does not know.
import type { HealthProblem, HealthView } from './health';
import type { ChatMessage, PanelState, Stage } from './viewModel';

export type ToWebview =
  | { type: 'state'; state: PanelState }
  | { type: 'compose.result'; requestId: string; stage: Stage; text: string; tokens: number }
  | { type: 'compose.error'; requestId: string; stage: Stage; message: string }
  | { type: 'chat.started'; requestId: string; sessionId: string; message: ChatMessage }
  | { type: 'chat.delta'; requestId: string; text: string }
  | { type: 'chat.done'; requestId: string; message: ChatMessage }
  | { type: 'chat.error'; requestId: string; message: string }
  | { type: 'notice'; level: 'info' | 'warning' | 'error'; message: string }
  /** Show Memory Health (the command) and measure. */
  | { type: 'health.open' }
  | { type: 'health.progress'; requestId: string; done: number; total: number }
  | { type: 'health.result'; requestId: string; report: HealthView }
  | { type: 'health.error'; requestId: string; problem: HealthProblem; message: string };

export type ToWebviewType = ToWebview['type'];
export type ToWebviewOf<K extends ToWebviewType> = Extract<ToWebview, { type: K }>;
