// The git remote of a folder, read from its git config (worktrees and submodules included),
// without running git. Undefined when the folder is not a repository or has no remote.
import { readFile } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import { remoteFromGitConfig } from './repoId';

export async function gitRemoteOf(root: string): Promise<string | undefined> {
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
    return remoteFromGitConfig((await readFile(join(gitDir, 'config'), 'utf8')).slice(0, 1_000_000));
  } catch {
    return undefined;
  }
}
