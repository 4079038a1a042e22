import * as vscode from 'vscode';

/**
 * Minimal entry point: the editor features arrive with the editor issue. Activation does no work;
 * the store, the embedding model and the SDK load on first use.
 */
export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('Dejafix', { log: true });
  context.subscriptions.push(log);
  log.info('Dejafix activated');
}

export function deactivate(): void {}
