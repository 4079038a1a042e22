// The repository id of a workspace folder: its git remote, normalised, else the folder's name.
import { basename } from 'node:path';
import type * as vscode from 'vscode';
import { gitRemoteOf } from '../core/capture/gitRemote';
import { repoIdFor } from '../core/capture/repoId';

export async function repoOfFolder(folder: vscode.WorkspaceFolder): Promise<string> {
  const root = folder.uri.fsPath;
  return repoIdFor(await gitRemoteOf(root), folder.name || basename(root));
}
