// The host side of the panel without VS Code: validates each message from the panel, runs its
// handler, builds the state the panel shows, and keeps the streaming reply across panel reloads.
// The provider (provider.ts) attaches a webview to it; tests attach a recorder.
import { childLogger, type Logger } from '../../core/util/logger';
import type { FromWebview, FromWebviewType } from '../../shared/fromWebview';
import type { ToWebview } from '../../shared/toWebview';
import type { PanelState } from '../../shared/viewModel';
import type { PanelBackend } from './backend';
import { ChatRuns } from './chatRuns';
import { HealthRuns } from './healthRuns';
import type { Handler, HandlerContext } from './handlers/context';
import { handlers } from './handlers';
import { parseMessage } from './parseMessage';
import { buildState } from './state';
import { errorText } from '../../core/util/errors';
import { oneLine } from '../../core/util/text';

export type PostToWebview = (message: ToWebview) => unknown;

export class PanelController {
  readonly chat = new ChatRuns();
  readonly health = new HealthRuns();
  private post: PostToWebview | null = null;
  private lastState: PanelState | null = null;
  private refreshes = 0;
  private readonly ctx: HandlerContext;
  private readonly log: Logger;

  constructor(
    private readonly backend: PanelBackend,
    log: Logger,
    now: () => string = () => new Date().toISOString(),
  ) {
    this.log = childLogger(log, 'panel');
    this.ctx = {
      backend,
      log: this.log,
      chat: this.chat,
      health: this.health,
      post: (m) => this.send(m),
      notify: (level, message) => this.send({ type: 'notice', level, message }),
      refresh: () => this.refresh(),
      shown: () => this.lastState,
      now,
    };
  }

  /** Connects a (re)created panel; it asks for the state with `ready`. */
  attach(post: PostToWebview): void {
    this.post = post;
  }

  detach(): void {
    this.post = null;
  }

  /** Handles one message from the panel. Never throws: failures are logged and shown as a notice. */
  async receive(raw: unknown): Promise<void> {
    const parsed = parseMessage(raw);
    if (!parsed.ok) {
      this.log.warn(`message rejected: ${parsed.reason}`);
      return;
    }
    const message = parsed.message;
    try {
      await run(message, this.ctx);
    } catch (e) {
      this.log.error(`"${message.type}" failed: ${oneLine(errorText(e))}`);
      this.send({ type: 'notice', level: 'error', message: errorText(e) });
    }
  }

  /** Sends the current state; an older refresh finishing late does not overwrite a newer one. */
  async refresh(): Promise<void> {
    const seq = ++this.refreshes;
    const state = await buildState(this.backend, this.chat, this.log);
    if (seq !== this.refreshes) return;
    this.lastState = state;
    this.send({ type: 'state', state });
  }

  /** "Show Memory Health": the panel opens the view and measures (now, or when it is next ready). */
  openHealth(): void {
    this.health.wanted = true;
    this.send({ type: 'health.open' });
  }

  dispose(): void {
    this.chat.stopAll();
    this.health.stopAll();
    this.post = null;
  }

  private send(message: ToWebview): void {
    if (!this.post) return;
    try {
      const sent = this.post(message);
      if (sent instanceof Promise) sent.catch((e) => this.log.debug(`posting failed: ${errorText(e)}`));
    } catch (e) {
      this.log.debug(`posting failed: ${errorText(e)}`);
    }
  }
}

function run<K extends FromWebviewType>(message: FromWebview & { type: K }, ctx: HandlerContext): Promise<void> {
  const handler = handlers[message.type] as Handler<K>;
  return handler(message as Parameters<Handler<K>>[0], ctx);
}
