// The repository of a folder, without an editor: its git remote (normalised), else its name.
// Used by the MCP server, which knows only the folder the agent works in.
import { stat } from 'node:fs/promises';
import { basename, isAbsolute } from 'node:path';
import { gitRemoteOf } from '../capture/gitRemote';
import { normaliseRemote, repoIdFor } from '../capture/repoId';

export async function isFolder(path: string): Promise<boolean> {
  return stat(path).then((s) => s.isDirectory(), () => false);
}

export async function repoOfPath(root: string): Promise<string> {
  return repoIdFor(await gitRemoteOf(root), basename(root) || root);
}

/**
 * What an agent's `repo` argument names: an absolute folder path (its repository, and the folder to
 * diff), or a remote / repository id as given (normalised when it is a remote URL).
 */
export async function resolveRepo(given: string | undefined, defaultFolder: string | undefined): Promise<{ repo: string; folder?: string }> {
  if (given && isAbsolute(given) && (await isFolder(given))) return { repo: await repoOfPath(given), folder: given };
  const here = defaultFolder && (await isFolder(defaultFolder)) ? { repo: await repoOfPath(defaultFolder), folder: defaultFolder } : undefined;
  if (!given) return here ?? { repo: 'unknown' };
  const repo = normaliseRemote(given) ?? given.trim();
  // The folder is diffed only when it is the repository the agent named.
  return here?.repo === repo ? here : { repo };
}
