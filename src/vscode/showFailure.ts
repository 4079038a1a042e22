// The one way the editor reports a failure to a person: logged with its causes, then a message
// with "Show Logs". Use cases throw; the commands, panel and activation call this. A damaged store
// is named in one line (which table) with a "Check and Repair Memory" action instead.
import * as vscode from 'vscode';
import { damageOf } from '../core/store/damage';
import { StoreError } from '../core/store/errors';
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
export async function showFailure(
  log: Logger,
  what: string,
  error: unknown,
  opts: { text?: string; severity?: 'error' | 'warning' } = {},
): Promise<void> {
  log.error(error, what);
  const damage = damageIn(error);
  if (damage) return offerRepair(`Dejafix: ${damage}`);
  await offerLogs(opts.text ?? `Dejafix: ${userMessageOf(error)}`, opts.severity);
}

/** The one-line description of store damage anywhere in `error`'s cause chain, if it is that. */
export function damageIn(error: unknown): string | undefined {
  for (let e = error, depth = 0; e && depth < 8; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof StoreError) return e.code === 'damaged' ? e.message : undefined;
    const d = damageOf(e);
    if (d) return `the memory is damaged: ${d.table ? `the ${d.table} table` : 'a table'} cannot be read (${d.what}).`;
  }
  return undefined;
}

/** Shows `text` with "Check and Repair Memory" (runs the doctor) and "Show Logs". Never throws. */
export async function offerRepair(text: string): Promise<void> {
  try {
    const repair = 'Check and Repair Memory';
    const pick = await vscode.window.showErrorMessage(text, repair, 'Show Logs');
    if (pick === repair) await vscode.commands.executeCommand('dejafix.checkMemory');
    else if (pick) await vscode.commands.executeCommand('dejafix.showLogs');
  } catch {
    // as in offerLogs
  }
}
