// Which model the editor talks to: Claude through the Anthropic API (key in SecretStorage, never
// in settings) or a VS Code language model, chosen by `dejafix.llm.provider`
// (auto: Anthropic when a key is set, else a VS Code model, else none).
import * as vscode from 'vscode';
import { LlmError } from '../../core/llm/errors';
import type { LlmProvider } from '../../core/llm/provider';
import { childLogger, type Logger } from '../../core/util/logger';
import type { ProviderId, ProviderInfo } from '../../shared/viewModel';
import type { Settings } from '../settings';
import { errorText } from '../../core/util/errors';

export const ANTHROPIC_KEY_SECRET = 'dejafix.anthropicApiKey';

export class LlmProviders implements vscode.Disposable {
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  /** Lines about choosing a model (the providers log their own, under `llm` too). */
  private readonly llmLog: Logger;

  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly settings: Settings,
    private readonly log: Logger,
  ) {
    this.llmLog = childLogger(log, 'llm');
    this.subscriptions.push(
      secrets.onDidChange((e) => e.key === ANTHROPIC_KEY_SECRET && this.changed.fire()),
      vscode.lm.onDidChangeChatModels(() => this.changed.fire()),
      this.changed,
    );
  }

  async hasAnthropicKey(): Promise<boolean> {
    return Boolean(await this.secrets.get(ANTHROPIC_KEY_SECRET));
  }

  async setAnthropicKey(key: string | undefined): Promise<void> {
    if (key) await this.secrets.store(ANTHROPIC_KEY_SECRET, key.trim());
    else await this.secrets.delete(ANTHROPIC_KEY_SECRET);
  }

  /** A provider by id; rejects with an LlmError that says what to do when it cannot be used. */
  async get(id: ProviderId): Promise<LlmProvider> {
    if (this.settings.get('llm.provider') === 'off')
      throw new LlmError('no-key', 'Language models are turned off (dejafix.llm.provider is "off").');
    if (id === 'anthropic') {
      const apiKey = await this.secrets.get(ANTHROPIC_KEY_SECRET);
      if (!apiKey)
        throw new LlmError(
          'no-key',
          'No Anthropic API key yet. Run "Dejafix: Set Anthropic API Key", or choose the VS Code language model.',
        );
      const { AnthropicProvider } = await import('../../core/llm/anthropic');
      return new AnthropicProvider({
        apiKey,
        model: this.settings.get('llm.anthropic.model') || undefined,
        baseURL: this.settings.get('llm.anthropic.baseUrl') || undefined,
        log: this.log,
      });
    }
    const { VscodeLmProvider } = await import('./vscodeLm');
    const p = await VscodeLmProvider.select(this.settings.get('llm.vscodeLm.family'));
    if (!p)
      throw new LlmError(
        'no-key',
        'No VS Code language model is available. Sign in to GitHub Copilot (or install a model provider), or set an Anthropic API key.',
      );
    return p;
  }

  /** The provider for background work (reflection), per the setting; undefined when none can be used. */
  async preferred(): Promise<LlmProvider | undefined> {
    const setting = this.settings.get('llm.provider');
    if (setting === 'off') return undefined;
    const order: ProviderId[] =
      setting === 'anthropic' ? ['anthropic'] : setting === 'vscode-lm' ? ['vscode-lm'] : ['anthropic', 'vscode-lm'];
    for (const id of order) {
      try {
        return await this.get(id);
      } catch (e) {
        this.llmLog.debug(`${id} not available: ${errorText(e)}`);
      }
    }
    return undefined;
  }

  async info(): Promise<ProviderInfo[]> {
    const off = this.settings.get('llm.provider') === 'off';
    const key = await this.hasAnthropicKey();
    let models: vscode.LanguageModelChat[] = [];
    try {
      models = await vscode.lm.selectChatModels(
        this.settings.get('llm.vscodeLm.family') ? { family: this.settings.get('llm.vscodeLm.family') } : {},
      );
    } catch (e) {
      this.llmLog.debug(`listing VS Code models failed: ${errorText(e)}`);
    }
    const { DEFAULT_ANTHROPIC_MODEL } = await import('../../core/llm/anthropic');
    return [
      {
        id: 'anthropic',
        label: 'Claude (Anthropic API)',
        available: !off && key,
        detail: off
          ? 'turned off in settings'
          : key
            ? this.settings.get('llm.anthropic.model') || DEFAULT_ANTHROPIC_MODEL
            : 'no API key: run "Dejafix: Set Anthropic API Key"',
      },
      {
        id: 'vscode-lm',
        label: 'VS Code language model',
        available: !off && models.length > 0,
        detail: off
          ? 'turned off in settings'
          : models[0]
            ? `${models[0].vendor} ${models[0].name}`
            : 'none available (sign in to Copilot)',
      },
    ];
  }

  dispose(): void {
    for (const s of this.subscriptions.splice(0)) s.dispose();
  }
}
