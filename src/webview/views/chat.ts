// The chat: the conversation of this repair session, the reply streaming in (rendered as it
// arrives), Stop, and code blocks with Copy / Insert at cursor. When it cannot answer, it says so
// inside the conversation, with the actions that help (chatHelp.ts).
import { MAX_PROMPT_CHARS } from '../../shared/limits';
import type { ToWebviewOf } from '../../shared/toWebview';
import type { ChatMessage, ProviderId } from '../../shared/viewModel';
import { chatError, noModelHelp, providerProblem } from './chatHelp';
import type { ChatApi, PanelContext } from './context';
import { button, h, replaceContent, setDisabled } from '../dom';
import { newRequestId } from '../host';
import { renderMarkdown } from '../markdown';

type ChatReply = ToWebviewOf<'chat.started' | 'chat.delta' | 'chat.done' | 'chat.error'>;

const PROVIDER_NAMES: Record<ProviderId, string> = { anthropic: 'Claude', 'vscode-lm': 'VS Code LM' };
/** User messages longer than this (usually a whole composed prompt) start collapsed. */
const COLLAPSE_CHARS = 600;
/** The streaming reply is re-rendered at most this often. */
const STREAM_RENDER_MS = 50;

export class ChatView implements ChatApi {
  readonly root = h('section', { class: 'chat', 'aria-labelledby': 'chat-title' });
  private readonly provider = h('select', { id: 'provider', 'aria-label': 'Chat model provider' });
  private readonly log = h('ol', { class: 'messages', role: 'log', 'aria-label': 'Conversation' });
  private readonly input = h('textarea', {
    id: 'chat-input',
    'aria-label': 'Message',
    rows: 3,
    maxlength: MAX_PROMPT_CHARS,
    placeholder: 'Ask about this issue (Ctrl+Enter to send)',
  });
  /** Why Send is disabled, shown when Ctrl+Enter is pressed anyway (and under the input). */
  private readonly status = h('p', { class: 'reason', id: 'chat-reason', role: 'status', hidden: true });
  private readonly sendButton: HTMLButtonElement;
  private readonly stopButton: HTMLButtonElement;
  private readonly clearButton: HTMLButtonElement;
  private streamingBody: HTMLElement | null = null;
  private renderTimer: ReturnType<typeof setTimeout> | undefined;
  /** A message sent whose reply has not started yet. */
  private awaitingId: string | null = null;
  private fromInput: string | null = null;
  /** The last reply that failed, shown in the conversation until the next message. */
  private error: string | null = null;

  constructor(private readonly app: PanelContext) {
    this.provider.addEventListener('change', () => {
      app.ui.provider = this.provider.value as ProviderId;
      app.persist();
    });
    this.input.addEventListener('input', () => {
      app.ui.draft = this.input.value;
      app.persist();
    });
    this.input.addEventListener('keydown', (ev) => {
      if (ev.key === 'Enter' && (ev.ctrlKey || ev.metaKey)) {
        ev.preventDefault();
        const why = this.blockedReason();
        if (why) this.explain(why);
        else this.sendDraft();
      }
    });
    this.sendButton = button('Send', () => this.sendDraft(), {
      class: 'primary',
      'aria-label': 'Send message',
      'aria-describedby': 'chat-reason',
    });
    this.stopButton = button('■ Stop', () => this.stop(), { 'aria-label': 'Stop the reply' });
    this.clearButton = button(
      'New conversation',
      () => {
        const sessionId = app.state?.sessionId;
        if (sessionId) app.post({ type: 'chat.clear', sessionId });
      },
      { 'aria-label': 'Start a new conversation' },
    );
    this.root.append(
      h(
        'div',
        { class: 'section-head' },
        h('h3', { id: 'chat-title' }, 'Chat'),
        h('label', { for: 'provider', class: 'inline' }, 'Model '),
        this.provider,
      ),
      this.log,
      this.input,
      h('div', { class: 'actions' }, this.sendButton, this.stopButton, this.clearButton),
      this.status,
    );
  }

  get busy(): boolean {
    return this.awaitingId !== null || this.app.ui.streaming !== null;
  }

  /** Why nothing can be sent now (a reply streaming, no model), or null. */
  blockedReason(): string | null {
    if (!this.app.state) return 'The panel is still loading.';
    if (this.busy) return 'A reply is on its way: wait for it, or Stop it.';
    return providerProblem(this.app.state.providers, this.app.ui.provider)
      ? 'No chat model is available: see the chat below for how to set one up.'
      : null;
  }

  send(text: string, fromInput = false): void {
    const sessionId = this.app.state?.sessionId;
    if (this.blockedReason() || !sessionId || !text.trim()) return;
    this.error = null;
    const requestId = newRequestId('chat');
    this.awaitingId = requestId;
    this.fromInput = fromInput ? requestId : null;
    this.app.post({ type: 'chat.send', requestId, sessionId, provider: this.app.ui.provider, text });
    this.app.updateControls();
  }

  stop(): void {
    const requestId = this.app.ui.streaming?.requestId ?? this.awaitingId;
    if (requestId) this.app.post({ type: 'chat.stop', requestId });
  }

  receive(m: ChatReply): void {
    const ui = this.app.ui;
    const ours = m.requestId === this.awaitingId || m.requestId === ui.streaming?.requestId;
    if (!ours) return;
    switch (m.type) {
      case 'chat.started':
        this.awaitingId = null;
        this.app.state?.conversation.push(m.message);
        ui.streaming = { requestId: m.requestId, provider: ui.provider, text: '' };
        if (this.fromInput === m.requestId) {
          ui.draft = '';
          this.input.value = '';
        }
        this.renderAll();
        return;
      case 'chat.delta':
        if (!ui.streaming) return;
        ui.streaming.text += m.text;
        this.scheduleStreamRender();
        return;
      case 'chat.done':
        this.awaitingId = null;
        ui.streaming = null;
        if (m.message.content) this.app.state?.conversation.push(m.message);
        this.renderAll();
        return;
      case 'chat.error': {
        const partial = ui.streaming;
        this.awaitingId = null;
        ui.streaming = null;
        if (partial?.text)
          this.app.state?.conversation.push({
            role: 'assistant',
            content: partial.text,
            at: new Date().toISOString(),
            provider: partial.provider,
            stopped: true,
          });
        this.error = m.message;
        this.renderAll();
        this.errorItem()?.scrollIntoView({ block: 'nearest' });
        return;
      }
    }
  }

  renderAll(): void {
    this.renderProviders();
    const state = this.app.state;
    const items = (state?.conversation ?? []).map((m) => h('li', {}, this.message(m)));
    const streaming = this.app.ui.streaming;
    this.streamingBody = null;
    if (streaming) {
      this.streamingBody = h('div', { class: 'body' });
      items.push(
        h(
          'li',
          {},
          h(
            'article',
            { class: 'msg assistant streaming', 'aria-label': `${PROVIDER_NAMES[streaming.provider]} (replying)`, 'aria-busy': 'true' },
            h('div', { class: 'msg-head' }, PROVIDER_NAMES[streaming.provider], h('span', { class: 'badge' }, 'replying…')),
            this.streamingBody,
          ),
        ),
      );
      this.renderStreaming();
    }
    if (this.error) items.push(h('li', {}, chatError(this.error, this.app)));
    const noModel = state && !streaming && providerProblem(state.providers, this.app.ui.provider);
    if (noModel)
      items.push(
        h(
          'li',
          {},
          noModelHelp(this.app, (id) => this.useProvider(id)),
        ),
      );
    if (!items.length) items.push(h('li', { class: 'muted' }, 'No messages yet. Send the prompt, or ask a question below.'));
    replaceContent(this.log, ...items);
    if (document.activeElement !== this.input && this.input.value !== this.app.ui.draft) this.input.value = this.app.ui.draft;
    this.app.updateControls();
  }

  updateControls(): void {
    const why = this.blockedReason();
    setDisabled(this.sendButton, why);
    if (!why) this.status.hidden = true;
    this.stopButton.disabled = !this.busy;
    this.clearButton.disabled = this.busy || !this.app.state?.conversation.length;
    this.log.setAttribute('aria-busy', String(this.busy));
  }

  private sendDraft(): void {
    if (!this.sendButton.disabled) this.send(this.input.value.trim(), true);
  }

  /** Says why Ctrl+Enter did nothing, under the input. */
  private explain(why: string): void {
    this.status.textContent = why;
    this.status.hidden = false;
  }

  private useProvider(id: ProviderId): void {
    this.app.ui.provider = id;
    this.app.persist();
    this.renderAll();
    this.input.focus();
  }

  private errorItem(): Element | null {
    return this.log.querySelector('.chat-error');
  }

  private renderProviders(): void {
    const providers = this.app.state?.providers ?? [];
    if (providers.length && !providers.some((p) => p.id === this.app.ui.provider && p.available)) {
      this.app.ui.provider = (providers.find((p) => p.available) ?? providers[0]).id;
    }
    this.provider.replaceChildren(
      ...providers.map((p) =>
        h(
          'option',
          {
            value: p.id,
            disabled: !p.available,
            title: p.available ? p.detail : `Unavailable: ${p.detail ?? 'unknown reason'}`,
          },
          p.available ? p.label : `${p.label} (unavailable)`,
        ),
      ),
    );
    this.provider.value = this.app.ui.provider;
  }

  private scheduleStreamRender(): void {
    if (this.renderTimer !== undefined) return;
    this.renderTimer = setTimeout(() => {
      this.renderTimer = undefined;
      this.renderStreaming();
    }, STREAM_RENDER_MS);
  }

  private renderStreaming(): void {
    const streaming = this.app.ui.streaming;
    if (!this.streamingBody || !streaming) return;
    this.streamingBody.replaceChildren(renderMarkdown(streaming.text, { codeActions: (code) => this.codeActions(code) }));
  }

  private message(m: ChatMessage): HTMLElement {
    const who = m.role === 'user' ? 'You' : PROVIDER_NAMES[m.provider ?? 'anthropic'];
    const head = h('div', { class: 'msg-head' }, who, m.stopped ? h('span', { class: 'badge stopped' }, 'stopped') : null);
    let body: Node;
    if (m.role === 'assistant') body = renderMarkdown(m.content, { codeActions: (code) => this.codeActions(code) });
    else if (m.content.length > COLLAPSE_CHARS)
      body = h(
        'details',
        {},
        h('summary', {}, `${m.content.slice(0, 80).replace(/\s+/g, ' ')}… (${m.content.length.toLocaleString('en')} characters)`),
        h('pre', { class: 'plain' }, m.content),
      );
    else body = h('p', { class: 'plain' }, m.content);
    return h('article', { class: `msg ${m.role}`, 'aria-label': who }, head, body);
  }

  private codeActions(code: string): Node {
    if (!code.trim()) return h('span', {});
    return h(
      'span',
      {},
      button('Copy', () => this.app.post({ type: 'code.copy', code }), { 'aria-label': 'Copy code' }),
      button('Insert at cursor', () => this.app.post({ type: 'code.insert', code }), { 'aria-label': 'Insert code at cursor' }),
    );
  }
}
