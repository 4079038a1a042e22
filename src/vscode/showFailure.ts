// The one way the editor reports a failure to a person: logged with its causes, then a message
// with "Show Logs". Use cases throw; the commands, panel and activation call this.
import * as vscode from 'vscode';
import { userMessageOf } from '../core/util/errors';
import type { Logger } from '../core/util/logger';

/** Shows `text` with a "Show Logs" button that opens the Dejafix log. Never throws. */
export async function offerLogs(text: string, severity: 'error' | 'warning' = 'error'): Promise<void> {
  try {
    const show = severity === 'error' ? vscode.window.showErrorMessage : vscode.window.showWarningMessage;
    if (await show(text, 'Show Logs')) await vscode.commands.executeCommand('dejafix.showLogs');
  } catch {
    // a window closing while the message is up is not a failure worth reporting
  }
}

/**
 * Logs `error` with its stack and causes under `what`, then shows `Dejafix: <its user message>`
 * (or `opts.text`) with "Show Logs". Resolves once the message is closed (callers usually `void` it).
 */
export async function showFailure(log: Logger, what: string, error: unknown, opts: { text?: string; severity?: 'error' | 'warning' } = {}): Promise<void> {
  log.error(error, what);
  await offerLogs(opts.text ?? `Dejafix: ${userMessageOf(error)}`, opts.severity);
}
