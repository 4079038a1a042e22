// The workspace of a benchmark query (WORKSPACES=dir, built by bench/workspaceIndexes.ts): the code
// index of its repository at its base commit, as recall's `workspace` option takes it.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { codeIndexOf } from '../src/core/workspace/codeIndex';
import type { WorkspaceCode } from '../src/core/workspace/workspaceCode';

export const WORKSPACES = process.env.WORKSPACES;

export function workspaceFor(instanceId: string, repo: string): WorkspaceCode | undefined {
  if (!WORKSPACES) return undefined;
  const file = join(WORKSPACES, `${instanceId}.json`);
  if (!existsSync(file)) return undefined;
  const names = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string[]>;
  return {
    repo,
    index: codeIndexOf(Object.entries(names).map(([path, n]) => ({ path, names: n }))),
  };
}
