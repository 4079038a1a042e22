// The repository of a folder, without an editor: its git remote (normalised), else its name.
// Used by the MCP server, which knows only the folder the agent works in. A folder path an agent
// passes is read only inside the folders the user opened or configured (see `insideFolders`).
import { realpath, stat } from 'node:fs/promises';
import { basename, isAbsolute, sep } from 'node:path';
import { gitRemoteOf } from '../capture/gitRemote';
import { normaliseRemote, repoIdFor } from '../capture/repoId';
import { AgentToolError } from './errors';

export async function isFolder(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isDirectory(),
    () => false,
  );
}

export async function repoOfPath(root: string): Promise<string> {
  return repoIdFor(await gitRemoteOf(root), basename(root) || root);
}

/** Whether `path` (symlinks resolved) is one of `roots` or inside one. */
export async function insideFolders(path: string, roots: readonly string[]): Promise<boolean> {
  const real = await realpath(path).catch(() => undefined);
  if (!real) return false;
  for (const root of roots) {
    const r = await realpath(root).catch(() => undefined);
    if (r && (real === r || real.startsWith(r.endsWith(sep) ? r : r + sep))) return true;
  }
  return false;
}

/**
 * What an agent's `repo` argument names: an absolute folder path (its repository, and the folder to
 * diff), or a remote / repository id as given (normalised when it is a remote URL). A folder path
 * outside `allowed` (default: the working folder) is refused: git and the repository's files are
 * touched only where the user works.
 */
export async function resolveRepo(
  given: string | undefined,
  defaultFolder: string | undefined,
  allowed?: readonly string[],
): Promise<{ repo: string; folder?: string }> {
  if (given && isAbsolute(given) && (await isFolder(given))) {
    const roots = allowed ?? (defaultFolder ? [defaultFolder] : []);
    if (!(await insideFolders(given, roots))) throw new AgentToolError(outsideMessage(given, roots));
    return { repo: await repoOfPath(given), folder: given };
  }
  const here =
    defaultFolder && (await isFolder(defaultFolder)) ? { repo: await repoOfPath(defaultFolder), folder: defaultFolder } : undefined;
  if (!given) return here ?? { repo: 'unknown' };
  const repo = normaliseRemote(given) ?? given.trim();
  // The folder is diffed only when it is the repository the agent named.
  return here?.repo === repo ? here : { repo };
}

function outsideMessage(given: string, roots: readonly string[]): string {
  const where = roots.length
    ? `the folders this server works in (${roots.slice(0, 5).join(', ')})`
    : 'any folder this server works in (it has none)';
  return `repo "${given.slice(0, 300)}" is a folder outside ${where}, so Dejafix will not read it or run git there. Leave \`repo\` out to use the project folder, or pass the repository's remote (e.g. "github.com/acme/invoices"). The user can allow more folders with \`dejafix mcp --allow-folder <dir>\`.`;
}
