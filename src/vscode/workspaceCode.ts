// The open repository's code for recall's relevance (core/workspace): the folder of the session,
// else the first workspace folder; none when the setting `dejafix.recall.readWorkspaceCode` is off,
// the workspace is not trusted, or the folder is not a git checkout. Indexes are cached per checkout by the core.
import * as vscode from 'vscode';
import type { WorkspaceCode } from '../core/workspace/workspaceCode';
import type { Settings } from './settings';
import type { Logger } from '../core/util/logger';

export async function editorWorkspaceCode(settings: Settings, log: Logger, folder?: string): Promise<WorkspaceCode | undefined> {
  // Restricted Mode runs no git in the workspace (README, Privacy): relevance goes from memory alone there.
  if (!settings.get('recall.readWorkspaceCode') || !vscode.workspace.isTrusted) return undefined;
  const root = folder ?? vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  if (!root) return undefined;
  const { workspaceCodeOf } = await import('../core/workspace/workspaceCode');
  return workspaceCodeOf(root, { log });
}
