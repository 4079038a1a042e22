// The prompt: pick a stage, see the prompt composed from the recalled experience and its token
// count, edit it, then send it to the chat or hand it to Copilot Chat.
import { MAX_PROMPT_CHARS } from '../../shared/limits';
import { stages, type Stage } from '../../shared/viewModel';
import type { App } from '../app';
import { button, h } from '../dom';
import { estimateTokens } from '../format';

const STAGE_LABELS: Record<Stage, string> = { reproduce: 'Reproduce', fix: 'Fix', review: 'Review', chat: 'Chat' };

export class PromptView {
  readonly root = h('section', { class: 'prompt', 'aria-labelledby': 'prompt-title' });
  private readonly stage = h('select', { id: 'stage', 'aria-label': 'Prompt stage' },
    ...stages.map((s) => h('option', { value: s }, STAGE_LABELS[s])));
  private readonly text = h('textarea', { id: 'prompt-text', 'aria-label': 'Composed prompt', rows: 10, maxlength: MAX_PROMPT_CHARS, spellcheck: 'false' });
  private readonly tokens = h('span', { class: 'tokens', 'aria-live': 'polite' });
  private readonly send: HTMLButtonElement;
  private readonly copilot: HTMLButtonElement;
  private readonly recompose: HTMLButtonElement;

  constructor(private readonly app: App) {
    this.stage.addEventListener('change', () => app.composePrompt(this.stage.value as Stage));
    this.text.addEventListener('input', () => {
      const p = app.ui.prompt;
      if (!p) return;
      p.text = this.text.value;
      p.edited = true;
      this.showTokens();
      app.persist();
    });
    this.recompose = button('Recompose', () => app.composePrompt(app.ui.stage), { 'aria-label': 'Recompose the prompt (discards edits)' });
    this.send = button('Send to chat', () => {
      const text = this.text.value.trim();
      if (text) app.sendChat(text);
    }, { class: 'primary', 'aria-label': 'Send the prompt to the chat' });
    this.copilot = button('Open in Copilot Chat', () => {
      const prompt = this.text.value.trim();
      if (prompt) app.post({ type: 'prompt.openInCopilot', prompt });
    }, { 'aria-label': 'Open the prompt in Copilot Chat' });
    this.root.append(
      h('div', { class: 'section-head' }, h('h3', { id: 'prompt-title' }, 'Prompt'),
        h('label', { for: 'stage', class: 'inline' }, 'Stage '), this.stage, this.tokens),
      this.text,
      h('div', { class: 'actions' }, this.send, this.copilot, this.recompose),
    );
  }

  setBusy(busy: boolean): void {
    this.root.setAttribute('aria-busy', String(busy));
    if (busy) this.tokens.textContent = 'composing…';
    else this.showTokens();
  }

  /** Shows the stored prompt; never overwrites what the user is typing. */
  update(): void {
    const p = this.app.ui.prompt;
    this.stage.value = this.app.ui.stage;
    if (p && document.activeElement !== this.text && this.text.value !== p.text) this.text.value = p.text;
    if (!p) this.text.value = '';
    this.text.placeholder = p ? '' : 'The prompt composed from the recalled experience appears here.';
    this.showTokens();
    this.updateControls();
  }

  updateControls(): void {
    const streaming = this.app.chatBusy();
    this.send.disabled = streaming;
  }

  private showTokens(): void {
    const p = this.app.ui.prompt;
    if (!p) this.tokens.textContent = '';
    else if (p.edited) this.tokens.textContent = `≈${estimateTokens(p.text).toLocaleString('en')} tokens (edited)`;
    else this.tokens.textContent = `${p.tokens.toLocaleString('en')} tokens`;
  }
}
