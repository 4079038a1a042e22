// The workspace of a benchmark query (WORKSPACES=dir, built by bench/workspaceIndexes.ts): the code
// index of its repository at its base commit, as recall's `workspace` option takes it.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { codeIndexOf } from '../src/core/workspace/codeIndex';
import { notOwnCode } from '../src/core/workspace/ownCode';
import type { WorkspaceCode } from '../src/core/workspace/workspaceCode';

export const WORKSPACES = process.env.WORKSPACES;

export function workspaceFor(instanceId: string, repo: string): WorkspaceCode | undefined {
  if (!WORKSPACES) return undefined;
  const file = join(WORKSPACES, `${instanceId}.json`);
  if (!existsSync(file)) return undefined;
  // { path: { names, words } }, or the older { path: names[] } (no identifier counts).
  const files = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string[] | { names: string[]; words: Record<string, number> }>;
  return {
    repo,
    index: codeIndexOf(
      Object.entries(files)
        // As the product lists a checkout (workspaceCode.ts readCode): vendored, generated and documentation files left out.
        .filter(([path]) => !notOwnCode(path))
        .map(([path, f]) => (Array.isArray(f) ? { path, names: f } : { path, names: f.names, words: new Map(Object.entries(f.words)) })),
    ),
  };
}
