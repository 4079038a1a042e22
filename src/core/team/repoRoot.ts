// The repository a `.dejafix/` folder belongs to: the git top-level folder (else the folder given)
// and its id as episodes store it (normalised `origin` remote, else the folder name).
import { execFile } from 'node:child_process';
import { basename, resolve } from 'node:path';
import { promisify } from 'node:util';
import { repoIdFor } from '../capture/repoId';

const run = promisify(execFile);

async function git(cwd: string, args: string[]): Promise<string | undefined> {
  try {
    const { stdout } = await run('git', args, { cwd, timeout: 5000 });
    return stdout.trim() || undefined;
  } catch {
    return undefined;
  }
}

export async function repoRootOf(dir: string): Promise<{ root: string; repoId: string }> {
  const start = resolve(dir);
  const root = (await git(start, ['rev-parse', '--show-toplevel'])) ?? start;
  const remote = (await git(root, ['config', '--get', 'remote.origin.url'])) ?? undefined;
  return { root, repoId: repoIdFor(remote, basename(root)) };
}
