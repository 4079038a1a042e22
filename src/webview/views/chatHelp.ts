// What the chat says, inside the conversation, when it cannot answer: no usable model (with the
// actions that fix it: Set Anthropic API Key, Use a VS Code model, Copy prompt), or a failed reply.
import type { ProviderInfo } from '../../shared/viewModel';
import { button, h } from '../dom';
import type { PanelContext } from './context';

/** Why the selected provider cannot be used, or null when it can. */
export function providerProblem(providers: ProviderInfo[], selected: string): string | null {
  const p = providers.find((x) => x.id === selected);
  if (!providers.length) return 'No chat model is available yet.';
  if (p?.available) return null;
  return `${p?.label ?? 'The chat model'} is unavailable${p?.detail ? `: ${p.detail}` : ''}.`;
}

/** The "no model" message with its actions; `useProvider` switches the chat to another provider. */
export function noModelHelp(app: PanelContext, useProvider: (id: ProviderInfo['id']) => void): HTMLElement {
  const providers = app.state?.providers ?? [];
  const anthropic = providers.find((p) => p.id === 'anthropic');
  const lm = providers.find((p) => p.id === 'vscode-lm');
  const prompt = app.ui.prompt?.text.trim();
  const lines = [
    'The chat needs a model: Claude through your Anthropic API key, or a VS Code language model (GitHub Copilot).',
    anthropic && !anthropic.available ? `Claude: ${anthropic.detail ?? 'unavailable'}.` : null,
    lm && !lm.available ? `VS Code language model: ${lm.detail ?? 'unavailable'}.` : null,
    prompt ? 'Meanwhile you can copy the prompt into any chat.' : null,
  ].filter((x): x is string => x !== null);
  return h(
    'div',
    { class: 'chat-help', role: 'note', 'aria-label': 'The chat needs a model' },
    ...lines.map((l) => h('p', {}, l)),
    h(
      'div',
      { class: 'actions' },
      anthropic && !anthropic.available && anthropic.detail !== 'turned off in settings'
        ? button('Set Anthropic API Key', () => app.post({ type: 'chat.setApiKey' }), { class: 'primary', 'data-key': 'chat:setKey' })
        : null,
      lm?.available
        ? button('Use a VS Code model', () => useProvider('vscode-lm'), { 'data-key': 'chat:useLm' })
        : lm && lm.detail !== 'turned off in settings'
          ? button('Use a VS Code model…', () => app.post({ type: 'chat.setupVsCodeModel' }), {
              'aria-label': 'Use a VS Code model: set up GitHub Copilot',
              'data-key': 'chat:setupLm',
            })
          : null,
      prompt
        ? button('Copy prompt', () => app.post({ type: 'code.copy', code: prompt }), {
            'aria-label': 'Copy the prompt to the clipboard',
            'data-key': 'chat:copyPrompt',
          })
        : null,
    ),
  );
}

/** A reply that failed, shown where the reply would have been. */
export function chatError(message: string, app: PanelContext): HTMLElement {
  const keyProblem = /api key/i.test(message);
  return h(
    'div',
    { class: 'chat-error', role: 'alert' },
    h('p', {}, message),
    keyProblem
      ? h(
          'div',
          { class: 'actions' },
          button('Set Anthropic API Key', () => app.post({ type: 'chat.setApiKey' }), { 'data-key': 'chat:errSetKey' }),
        )
      : null,
  );
}
