// Builds the temp workspace a run opens: one folder, or several plus a .code-workspace file.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface FolderSpec {
  name: string;
  /** Copied from test/integration/fixtures/<fixture> when given. */
  fixture?: string;
  /** Copied from this absolute path instead (the demo project of `npm start`). */
  source?: string;
  /** With git: the `origin` remote, so the folder's repository is this one (as `npm start` sets up the demo). */
  remote?: string;
  /** Makes the folder a git repository with one commit of its content. */
  git?: boolean;
}

export interface WorkspaceSpec {
  folders: FolderSpec[];
  /** Opens a .code-workspace file (multi-root) instead of the single folder. */
  multiRoot?: boolean;
  /** Workspace settings (in the .code-workspace file, or the folder's .vscode/settings.json). */
  settings?: Record<string, unknown>;
}

export interface BuiltWorkspace {
  /** The query part of the workbench URL: `folder=…` or `workspace=…`. */
  query: string;
  /** What a desktop VS Code opens: the folder, or the .code-workspace file. */
  path: string;
  folders: string[];
}

const FIXTURES = join(__dirname, 'fixtures');

function gitInit(dir: string): void {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, stdio: 'ignore' });
  git('init', '-q', '-b', 'main');
  git('-c', 'user.name=Dejafix Test', '-c', 'user.email=test@dejafix.invalid', 'add', '-A');
  git('-c', 'user.name=Dejafix Test', '-c', 'user.email=test@dejafix.invalid', 'commit', '-q', '--allow-empty', '-m', 'fixture');
}

export function buildWorkspace(root: string, spec: WorkspaceSpec): BuiltWorkspace {
  if (spec.folders.length === 0) throw new Error('a workspace needs at least one folder');
  if (spec.folders.length > 1 && !spec.multiRoot) throw new Error('several folders need multiRoot: true');
  const folders: string[] = [];
  for (const f of spec.folders) {
    const dir = join(root, f.name);
    mkdirSync(dir, { recursive: true });
    if (f.fixture) {
      const src = join(FIXTURES, f.fixture);
      if (!existsSync(src)) throw new Error(`fixture ${src} does not exist`);
      cpSync(src, dir, { recursive: true });
    }
    if (f.source) cpSync(f.source, dir, { recursive: true });
    if (f.git) gitInit(dir);
    if (f.git && f.remote) execFileSync('git', ['remote', 'add', 'origin', f.remote], { cwd: dir, stdio: 'ignore' });
    folders.push(dir);
  }
  if (spec.multiRoot) {
    const file = join(root, 'dejafix-test.code-workspace');
    writeFileSync(file, JSON.stringify({ folders: folders.map((path) => ({ path })), settings: spec.settings ?? {} }, null, 2));
    return { query: `workspace=${encodeURIComponent(file)}`, path: file, folders };
  }
  if (spec.settings) {
    mkdirSync(join(folders[0], '.vscode'), { recursive: true });
    writeFileSync(join(folders[0], '.vscode/settings.json'), JSON.stringify(spec.settings, null, 2));
  }
  return { query: `folder=${encodeURIComponent(folders[0])}`, path: folders[0], folders };
}
