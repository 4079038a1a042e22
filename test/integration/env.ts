// Paths written by `npm run setup` (.cache/env.json), read by the integration runner.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const REPO_ROOT = resolve(__dirname, '../..');
export const BUNDLE_DIR = join(REPO_ROOT, 'dist/test/integration');

export interface SetupEnv {
  codeServerVersion: string;
  /** Node 22 binary that runs code-server. */
  node: string;
  /** code-server's `out/node/entry.js`. */
  codeServerEntry: string;
  chromium: string;
}

export function readSetupEnv(): SetupEnv {
  const file = join(REPO_ROOT, '.cache/env.json');
  if (!existsSync(file)) throw new Error(`${file} is missing: run \`npm run setup\` first (installs code-server, Node 22 and chromium).`);
  const env = JSON.parse(readFileSync(file, 'utf8')) as SetupEnv;
  for (const p of [env.node, env.codeServerEntry, env.chromium]) {
    if (!existsSync(p)) throw new Error(`${p} (from ${file}) is missing: run \`npm run setup\` again.`);
  }
  return env;
}

export function requireBundle(): string {
  const index = join(BUNDLE_DIR, 'index.js');
  if (!existsSync(index)) throw new Error(`${index} is missing: run \`npm run build\` first.`);
  return index;
}
