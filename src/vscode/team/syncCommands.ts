// Dejafix: Sync Team Memory (a cancellable progress notification; failures are one line with Show
// Logs, through the command wrapper) and Pause/Resume Team Sync (the status bar item's click).
import * as vscode from 'vscode';
import type { SyncResult } from '../../core/team/sync';
import { errorCode } from '../../core/util/errors';
import type { TeamSync } from './teamSync';

export async function syncTeamCommand(sync: TeamSync): Promise<SyncResult | undefined> {
  if (!sync.uri()) {
    const pick = await vscode.window.showInformationMessage(
      'Dejafix: no team memory is set. Set dejafix.team.uri to s3://bucket/prefix, gs://bucket/prefix or az://container/prefix.',
      'Open Setting',
    );
    if (pick) await vscode.commands.executeCommand('workbench.action.openSettings', 'dejafix.team.uri');
    return undefined;
  }
  try {
    const r = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Dejafix: syncing team memory', cancellable: true },
      async (progress, token) => {
        const abort = new AbortController();
        const sub = token.onCancellationRequested(() => abort.abort());
        try {
          progress.report({ message: sync.uri() });
          return await sync.sync(abort.signal);
        } finally {
          sub.dispose();
        }
      },
    );
    void vscode.window.showInformationMessage(
      `Dejafix: team memory synced — pulled ${r.pulled} record(s), ${r.unchanged} unchanged, forgot ${r.forgotten}.`,
    );
    return r;
  } catch (e) {
    if (errorCode(e) === 'cancelled') return undefined;
    throw e;
  }
}

/** Pauses or resumes background sync (`paused` forces one way; tests pass it). */
export async function toggleTeamSync(sync: TeamSync, paused?: unknown): Promise<boolean> {
  const next = typeof paused === 'boolean' ? paused : !sync.paused;
  await sync.setPaused(next);
  return next;
}
