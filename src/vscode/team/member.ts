// Who you are in the team, asked of nobody: dejafix.team.name, else git's user of the first folder.
// One name for sharing, syncing and forgetting, so your own feedback rows are never mirrored back to you.
import * as vscode from 'vscode';
import type { App } from '../app';

export async function memberName(app: Pick<App, 'settings'>): Promise<string> {
  const { sharerIdentity } = await import('../../core/team/identity');
  return sharerIdentity(vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? process.cwd(), app.settings.get('team.name'));
}
