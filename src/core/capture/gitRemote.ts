// The git folders and remote of a checkout, read from its files (worktrees and submodules
// included), without running git. Undefined when the folder is not a repository or has no remote.
import { readFile } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import { remoteFromGitConfig } from './repoId';

/**
 * The checkout's own git folder (HEAD, index) and the common one (config, refs, objects): the same
 * `.git` folder in a plain clone; a worktree or submodule has a `.git` file pointing at its own.
 */
export async function gitDirsOf(root: string): Promise<{ gitDir: string; commonDir: string }> {
  const dotGit = join(root, '.git');
  const pointer = await readFile(dotGit, 'utf8').catch(() => undefined);
  if (!pointer?.startsWith('gitdir:')) return { gitDir: dotGit, commonDir: dotGit };
  const p = pointer.slice(7).trim();
  const gitDir = isAbsolute(p) ? p : resolve(root, p);
  const common = await readFile(join(gitDir, 'commondir'), 'utf8').catch(() => undefined);
  return { gitDir, commonDir: common ? resolve(gitDir, common.trim()) : gitDir };
}

export async function gitRemoteOf(root: string): Promise<string | undefined> {
  try {
    const { commonDir } = await gitDirsOf(root);
    return remoteFromGitConfig((await readFile(join(commonDir, 'config'), 'utf8')).slice(0, 1_000_000));
  } catch {
    return undefined;
  }
}
