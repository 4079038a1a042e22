import type { Logger } from '../../../core/util/logger';
import type { FromWebviewOf, FromWebviewType } from '../../../shared/fromWebview';
import type { ToWebview } from '../../../shared/toWebview';
import type { PanelState } from '../../../shared/viewModel';
import type { PanelBackend } from '../backend';
import type { ChatRuns } from '../chatRuns';
import type { HealthRuns } from '../healthRuns';

/** What a message handler may use. */
export interface HandlerContext {
  readonly backend: PanelBackend;
  readonly log: Logger;
  readonly chat: ChatRuns;
  readonly health: HealthRuns;
  /** Sends to the panel; dropped silently while the panel is hidden. */
  post(message: ToWebview): void;
  /** Shows a message in the panel. */
  notify(level: 'info' | 'warning' | 'error', message: string): void;
  /** Rebuilds the state from the backend and sends it. */
  refresh(): Promise<void>;
  /** The state last sent to the panel, null before the first. */
  shown(): PanelState | null;
  now(): string;
}

export type Handler<K extends FromWebviewType> = (message: FromWebviewOf<K>, ctx: HandlerContext) => Promise<void>;

/** One handler per message type: the compiler insists that none is missing. */
export type HandlerTable = { [K in FromWebviewType]: Handler<K> };
