// The Anthropic key lives in SecretStorage, never in settings.
import * as vscode from 'vscode';
import type { App } from '../app';

export async function setAnthropicKey(app: App, value?: unknown): Promise<void> {
  const key =
    typeof value === 'string'
      ? value
      : await vscode.window.showInputBox({
          title: 'Dejafix: Anthropic API key',
          prompt: "Stored in VS Code's secret storage (the OS keychain), never in settings files.",
          password: true,
          ignoreFocusOut: true,
          placeHolder: 'sk-ant-…',
          validateInput: (v) =>
            !v.trim()
              ? 'Paste the key'
              : /\s/.test(v.trim())
                ? 'A key has no spaces'
                : v.trim().length > 500
                  ? 'That is too long for an API key'
                  : undefined,
        });
  if (!key?.trim()) return;
  await app.llm.setAnthropicKey(key.trim());
  void vscode.window.showInformationMessage('Dejafix: Anthropic API key saved.');
  app.track(drainQueue(app));
}

export async function clearAnthropicKey(app: App): Promise<void> {
  if (!(await app.llm.hasAnthropicKey())) {
    void vscode.window.showInformationMessage('Dejafix: no Anthropic API key is stored.');
    return;
  }
  const ok = await vscode.window.showWarningMessage('Remove the stored Anthropic API key?', { modal: true }, 'Remove');
  if (ok !== 'Remove') return;
  await app.llm.setAnthropicKey(undefined);
}

/** Reflects on everything waiting in the queue (after a key was set, or by hand). */
export async function drainQueue(app: App): Promise<void> {
  const provider = await app.llm.preferred();
  if (!provider) {
    void vscode.window
      .showWarningMessage(
        'Dejafix: no language model is available for distilling lessons. Set an Anthropic API key or sign in to Copilot.',
        'Set Anthropic API Key',
      )
      .then((c) => c && vscode.commands.executeCommand('dejafix.setAnthropicKey'));
    return;
  }
  const store = await app.memory.open();
  const reflect = await import('../../core/reflect');
  await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Dejafix: distilling lessons' }, async (p) => {
    const r = await reflect.drainQueue(store, provider, {
      requireApproval: app.settings.get('reflection.requireApproval'),
      cap: app.settings.get('insights.maxPerRole'),
      log: app.log,
      force: true,
      onResult: (_r, i, n) => p.report({ message: `${i + 1}/${n}` }),
    });
    app.log.info(`reflection queue: ${r.results.length} processed${r.stopped ? `, stopped: ${r.stopped.message}` : ''}`);
  });
  app.recaller.invalidate();
}
