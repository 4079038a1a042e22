// How the Dejafix MCP server is started: `<node> <launcher> mcp --store <the editor's store>` plus
// the editor's embedding settings. The launcher is a two-line script in the extension's global
// storage that runs the CLI of the installed extension version, so agent configs that point at
// it keep working after the extension updates (its own folder name changes with each version).
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ServerCommand } from '../../core/agent/connect';

export interface ServerSettings {
  storeDir: string;
  embeddings: { provider: string; url?: string; model?: string };
  /** Workspace folders besides the first (the server's cwd) that tools may name as `repo`. */
  folders?: string[];
}

export function launcherSource(cliPath: string): string {
  return [
    '#!/usr/bin/env node',
    "// Written by the Dejafix extension: runs the installed version's CLI (`dejafix mcp …`).",
    `require(${JSON.stringify(cliPath)}).run(process.argv.slice(2)).then((code) => { process.exitCode = code; });`,
    '',
  ].join('\n');
}

/** Writes the launcher when missing or pointing at another version; returns its path. */
export async function ensureLauncher(globalStorage: string, cliPath: string): Promise<string> {
  const file = join(globalStorage, 'dejafix-mcp.js');
  const source = launcherSource(cliPath);
  const have = await readFile(file, 'utf8').catch(() => undefined);
  if (have !== source) {
    await mkdir(globalStorage, { recursive: true });
    await writeFile(file, source, { mode: 0o755 });
  }
  return file;
}

export function hookLauncherSource(hookPath: string): string {
  return [
    '#!/usr/bin/env node',
    "// Written by the Dejafix extension: runs the installed version's agent hook (`hook.js <agent> …`).",
    `require(${JSON.stringify(hookPath)}).main(process.argv.slice(2));`,
    '',
  ].join('\n');
}

/** The hook launcher (for agents' hook settings), written like the MCP one; returns its path. */
export async function ensureHookLauncher(globalStorage: string, hookPath: string): Promise<string> {
  const file = join(globalStorage, 'dejafix-hook.js');
  const source = hookLauncherSource(hookPath);
  if ((await readFile(file, 'utf8').catch(() => undefined)) !== source) {
    await mkdir(globalStorage, { recursive: true });
    await writeFile(file, source, { mode: 0o755 });
  }
  return file;
}

/** The hook's sh fast path (dist/hook.sh), copied beside the hook launcher; its path, or undefined on Windows. */
export async function ensureHookShell(globalStorage: string, hookSh: string): Promise<string | undefined> {
  if (process.platform === 'win32') return undefined;
  const file = join(globalStorage, 'dejafix-hook.sh');
  const source = await readFile(hookSh, 'utf8').catch(() => undefined);
  if (source === undefined) return undefined;
  if ((await readFile(file, 'utf8').catch(() => undefined)) !== source) {
    await mkdir(globalStorage, { recursive: true });
    await writeFile(file, source, { mode: 0o755 });
  }
  return file;
}

export function serverArgs(launcher: string, s: ServerSettings): string[] {
  const args = [launcher, 'mcp', '--store', s.storeDir];
  const p = s.embeddings.provider;
  if (p && p !== 'builtin') args.push('--embedder', p);
  if (p === 'openai-compatible') {
    if (s.embeddings.url) args.push('--embed-url', s.embeddings.url);
    if (s.embeddings.model) args.push('--embed-model', s.embeddings.model);
  }
  for (const f of s.folders ?? []) args.push('--allow-folder', f);
  return args;
}

/** For agents outside VS Code: `node` from their PATH (Node 20 or later). */
export function externalServer(launcher: string, s: ServerSettings): ServerCommand {
  return { command: 'node', args: serverArgs(launcher, s) };
}
