// The prompt: pick a stage, see the prompt composed from the recalled experience and its token
// count, edit it, then send it to the chat or hand it to Copilot Chat. Without an active issue it
// is empty and its buttons say why they are disabled.
import { MAX_PROMPT_CHARS } from '../../shared/limits';
import { stages, type Stage } from '../../shared/viewModel';
import { button, h, setDisabled } from '../dom';
import { estimateTokens } from '../format';
import type { ChatApi, PanelContext } from './context';

const STAGE_LABELS: Record<Stage, string> = { reproduce: 'Reproduce', fix: 'Fix', review: 'Review', chat: 'Chat' };

export class PromptView {
  readonly root = h('section', { class: 'prompt', 'aria-labelledby': 'prompt-title' });
  private readonly stage = h(
    'select',
    { id: 'stage', 'aria-label': 'Prompt stage' },
    ...stages.map((s) => h('option', { value: s }, STAGE_LABELS[s])),
  );
  private readonly text = h('textarea', {
    id: 'prompt-text',
    'aria-label': 'Composed prompt',
    rows: 10,
    maxlength: MAX_PROMPT_CHARS,
    spellcheck: 'false',
  });
  private readonly tokens = h('span', { class: 'tokens', 'aria-live': 'polite' });
  /** Why Send / Open in Copilot Chat are disabled (or the last compose error). */
  private readonly reason = h('p', { class: 'reason', id: 'prompt-reason', role: 'status' });
  private readonly send: HTMLButtonElement;
  private readonly copilot: HTMLButtonElement;
  private readonly recompose: HTMLButtonElement;
  private error: string | null = null;

  constructor(
    private readonly app: PanelContext,
    private readonly chat: ChatApi,
  ) {
    this.stage.addEventListener('change', () => app.composePrompt(this.stage.value as Stage));
    this.text.addEventListener('input', () => {
      const p = app.ui.prompt;
      if (!p) return;
      p.text = this.text.value;
      p.edited = true;
      this.showTokens();
      this.updateControls();
      app.persist();
    });
    this.recompose = button('Recompose', () => app.composePrompt(app.ui.stage), { 'aria-label': 'Recompose the prompt (discards edits)' });
    this.send = button(
      'Send to chat',
      () => {
        const text = this.text.value.trim();
        if (text && !this.sendBlocked()) chat.send(text);
      },
      { class: 'primary', 'aria-label': 'Send the prompt to the chat', 'aria-describedby': 'prompt-reason' },
    );
    this.copilot = button(
      'Open in Copilot Chat',
      () => {
        const prompt = this.text.value.trim();
        if (prompt) app.post({ type: 'prompt.openInCopilot', prompt });
      },
      { 'aria-label': 'Open the prompt in Copilot Chat', 'aria-describedby': 'prompt-reason' },
    );
    this.root.append(
      h(
        'div',
        { class: 'section-head' },
        h('h3', { id: 'prompt-title' }, 'Prompt'),
        h('label', { for: 'stage', class: 'inline' }, 'Stage '),
        this.stage,
        this.tokens,
      ),
      this.text,
      h('div', { class: 'actions' }, this.send, this.copilot, this.recompose),
      this.reason,
    );
  }

  setBusy(busy: boolean): void {
    this.root.setAttribute('aria-busy', String(busy));
    if (busy) this.tokens.textContent = 'composing…';
    else this.showTokens();
    if (busy) this.setError(null);
  }

  /** A compose failure, shown next to the prompt (not at the top of the panel); null clears it. */
  setError(message: string | null): void {
    this.error = message;
    this.updateControls();
  }

  /** Shows the stored prompt; never overwrites what the user is typing. */
  update(): void {
    const p = this.app.ui.prompt;
    this.stage.value = this.app.ui.stage;
    if (p && document.activeElement !== this.text && this.text.value !== p.text) this.text.value = p.text;
    if (!p) this.text.value = '';
    const issue = this.app.state?.issue;
    this.text.placeholder = p
      ? ''
      : issue
        ? 'The prompt composed from the recalled experience appears here.'
        : 'Open an issue first: the prompt is composed for it.';
    this.text.readOnly = !issue;
    this.showTokens();
    this.updateControls();
  }

  updateControls(): void {
    const noIssue = !this.app.state?.issue;
    const empty = !this.text.value.trim();
    const sendWhy = this.sendBlocked();
    const copilotWhy = noIssue ? 'Open an issue first: the prompt is composed for it.' : empty ? 'The prompt is empty.' : null;
    setDisabled(this.send, sendWhy);
    setDisabled(this.copilot, copilotWhy);
    setDisabled(this.recompose, noIssue ? 'Open an issue first: the prompt is composed for it.' : null);
    const shown = this.error ?? sendWhy;
    this.reason.textContent = shown ?? '';
    this.reason.className = this.error ? 'reason error' : 'reason';
    this.reason.hidden = !shown;
  }

  private sendBlocked(): string | null {
    if (!this.app.state?.issue) return 'Open an issue first: the prompt is composed for it.';
    if (!this.text.value.trim()) return 'The prompt is empty.';
    return this.chat.blockedReason();
  }

  private showTokens(): void {
    const p = this.app.ui.prompt;
    if (!p) this.tokens.textContent = '';
    else if (p.edited) this.tokens.textContent = `≈${estimateTokens(p.text).toLocaleString('en')} tokens (edited)`;
    else this.tokens.textContent = `${p.tokens.toLocaleString('en')} tokens`;
  }
}
