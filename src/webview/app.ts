// The panel: its state, the sections it renders, and what it does with each host message. Views see
// it only through PanelContext (views/context.ts); the prompt view reaches the chat through ChatApi.
import type { FromWebview } from '../shared/fromWebview';
import type { ToWebview } from '../shared/toWebview';
import type { PanelState, Stage } from '../shared/viewModel';
import { h, replaceContent } from './dom';
import { newRequestId, type Host } from './host';
import { restoreUiState, type UiState } from './uiState';
import { ChatView } from './views/chat';
import { renderEpisodes } from './views/episodes';
import type { PanelContext } from './views/context';
import { renderHeader, tickHeader } from './views/header';
import { HealthPanel } from './views/health';
import { renderInsights } from './views/insights';
import { NoticeView } from './views/notice';
import { PromptView } from './views/prompt';
import { renderResolve } from './views/resolve';

export class App implements PanelContext {
  readonly ui: UiState;
  private readonly header = h('header', { class: 'issue', 'aria-label': 'Active issue' });
  private readonly resolve = h('section', { class: 'resolve', 'aria-label': 'Save this repair' });
  private readonly episodes = h('section', { class: 'episodes', 'aria-labelledby': 'episodes-title' });
  private readonly insights = h('section', { class: 'insights', 'aria-labelledby': 'insights-title' });
  private readonly notice = new NoticeView();
  private readonly health: HealthPanel;
  private readonly prompt: PromptView;
  private readonly chat: ChatView;
  private pendingCompose: string | null = null;
  private persistTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly host: Host,
    root: HTMLElement,
  ) {
    this.ui = restoreUiState(host.getState());
    this.health = new HealthPanel(this);
    this.chat = new ChatView(this);
    this.prompt = new PromptView(this, this.chat);
    root.replaceChildren(
      this.notice.root,
      this.header,
      this.health.root,
      this.resolve,
      this.episodes,
      this.insights,
      this.prompt.root,
      this.chat.root,
    );
    if (this.ui.snapshot) this.renderAll();
    // The header's "2 min in" keeps running.
    setInterval(() => tickHeader(this.header), 1000);
    // A reload or close within the save delay would otherwise restore the state before it.
    window.addEventListener('pagehide', () => this.flushPersist());
  }

  post(message: FromWebview): void {
    this.host.post(message);
  }

  get state(): PanelState | null {
    return this.ui.snapshot;
  }

  /** Saves the UI state soon (coalescing bursts such as typing or streaming). */
  persist(): void {
    if (this.persistTimer !== undefined) return;
    this.persistTimer = setTimeout(() => this.flushPersist(), 200);
  }

  /** Saves the UI state now (a pending save is not lost when the page goes away first). */
  flushPersist(): void {
    if (this.persistTimer === undefined) return;
    clearTimeout(this.persistTimer);
    this.persistTimer = undefined;
    // The streaming reply is not kept: the host re-sends it (state.pending) after a reload.
    const saved: UiState = { ...this.ui, streaming: null };
    try {
      this.host.setState(saved);
    } catch {
      this.host.setState({ ...saved, snapshot: null }); // too big to keep: the host re-sends it on `ready`
    }
  }

  notify(level: 'info' | 'warning' | 'error', message: string): void {
    this.notice.show(level, message);
  }

  renderAll(): void {
    replaceContent(this.header, ...renderHeader(this));
    replaceContent(this.resolve, ...renderResolve(this));
    this.resolve.hidden = !this.resolve.childElementCount;
    this.renderLists();
    this.prompt.update();
    this.chat.renderAll();
  }

  /** Re-renders the cards and insights where the user is: the scroll position stays. */
  renderLists(): void {
    const scroller = document.scrollingElement;
    const top = scroller?.scrollTop ?? 0;
    replaceContent(this.episodes, ...renderEpisodes(this));
    replaceContent(this.insights, ...renderInsights(this));
    if (scroller && scroller.scrollTop !== top) scroller.scrollTop = top;
  }

  updateControls(): void {
    this.chat.updateControls();
    this.prompt.updateControls();
  }

  composePrompt(stage: Stage): void {
    this.ui.stage = stage;
    this.pendingCompose = newRequestId('compose');
    this.prompt.setBusy(true);
    this.post({ type: 'prompt.compose', requestId: this.pendingCompose, stage });
    this.persist();
  }

  receive(message: ToWebview): void {
    switch (message.type) {
      case 'state':
        return this.onState(message.state);
      case 'compose.result': {
        if (message.requestId !== this.pendingCompose) return;
        this.pendingCompose = null;
        const sessionId = this.state?.sessionId ?? '';
        this.ui.prompt = { sessionId, stage: message.stage, text: message.text, tokens: message.tokens, edited: false };
        this.prompt.setBusy(false);
        this.prompt.update();
        this.chat.renderAll(); // its "no model" help offers to copy the prompt
        this.persist();
        return;
      }
      case 'compose.error':
        if (message.requestId !== this.pendingCompose) return;
        this.pendingCompose = null;
        this.prompt.setBusy(false);
        // Next to the prompt, and only while an issue is open (without one there is nothing to compose).
        if (this.state?.issue) this.prompt.setError(`Could not compose the prompt: ${message.message}`);
        return;
      case 'chat.started':
      case 'chat.delta':
      case 'chat.done':
      case 'chat.error':
        this.chat.receive(message);
        if (message.type !== 'chat.delta') this.persist();
        return;
      case 'notice':
        this.notify(message.level, message.message);
        return;
      case 'health.open':
      case 'health.progress':
      case 'health.result':
      case 'health.error':
        this.health.receive(message);
        return;
      default:
        return;
    }
  }

  private onState(state: PanelState): void {
    const before = this.state;
    const sessionChanged = before?.sessionId !== state.sessionId;
    const shown = new Set(state.episodes.map((e) => e.id));
    this.ui.hidden = this.ui.hidden.filter((id) => shown.has(id));
    this.ui.snapshot = state;
    // The host reports the reply it is streaming; deltas after this state continue it.
    this.ui.streaming = state.pending ? { ...state.pending } : null;
    if (sessionChanged) {
      this.ui.expanded = [];
      this.ui.dismissed = [];
    }
    // A prompt belongs to its issue: when the session ends, it goes (and Send says why it is disabled).
    if (!state.issue) {
      this.ui.prompt = null;
      this.pendingCompose = null;
      this.prompt.setBusy(false);
      this.prompt.setError(null);
    }
    this.renderAll();
    // Recompose when the prompt was made for another session, or (unless the user edited it)
    // when what it is made from changed.
    const prompt = this.ui.prompt;
    const memoryChanged = !before || ids(before) !== ids(state);
    const outdated = !prompt || prompt.sessionId !== state.sessionId || (memoryChanged && !prompt.edited);
    if (state.issue && outdated && this.pendingCompose === null) this.composePrompt(this.ui.stage);
    this.persist();
  }
}

function ids(s: PanelState): string {
  return [...s.episodes.map((e) => e.id), '|', ...s.insights.map((i) => `${i.id}:${i.status}:${i.text.length}`)].join(' ');
}
