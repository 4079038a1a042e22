// The repository id of a workspace folder: its git remote, normalised, else the folder's name.
import { readFile } from 'node:fs/promises';
import { basename, isAbsolute, join, resolve } from 'node:path';
import type * as vscode from 'vscode';
import { remoteFromGitConfig, repoIdFor } from '../core/capture/repoId';

export async function repoOfFolder(folder: vscode.WorkspaceFolder): Promise<string> {
  const root = folder.uri.fsPath;
  return repoIdFor(await remoteOf(root), folder.name || basename(root));
}

async function remoteOf(root: string): Promise<string | undefined> {
  try {
    let gitDir = join(root, '.git');
    // A worktree or submodule has a `.git` file pointing at the real folder.
    const pointer = await readFile(gitDir, 'utf8').catch(() => undefined);
    if (pointer?.startsWith('gitdir:')) {
      const p = pointer.slice(7).trim();
      gitDir = isAbsolute(p) ? p : resolve(root, p);
      const common = await readFile(join(gitDir, 'commondir'), 'utf8').catch(() => undefined);
      if (common) gitDir = resolve(gitDir, common.trim());
    }
    const config = await readFile(join(gitDir, 'config'), 'utf8');
    return remoteFromGitConfig(config.slice(0, 1_000_000));
  } catch {
    return undefined;
  }
}
