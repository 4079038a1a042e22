// dist/hook.js: the small entry agents run for every hook event (`node dist/hook.js claude-code
// [--store DIR] [--budget N] [--min-relevance X]`). It carries no LanceDB, no embedding model, no
// SDK, no command-line parser: a tool call is a journal append. The first prompt (recall) and the
// session end (commit) load the full CLI bundle beside it for the store. Always exits 0.
import { join } from 'node:path';
import type { HookStoreSide } from '../core/capture/hooks/claudeCode';
import type { Logger } from '../core/util/logger';
import { runHook, type HookOptions } from './hook/runHook';

function parseArgs(argv: string[]): { agent: string; opts: HookOptions } {
  const opts: HookOptions = {};
  let agent = '';
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const [flag, inline] = a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = () => inline ?? argv[++i];
    if (flag === '--store') opts.store = value();
    else if (flag === '--budget') opts.budget = value();
    else if (flag === '--min-relevance') opts.minRelevance = value();
    else if (!a.startsWith('--') && !agent) agent = a;
  }
  return { agent, opts };
}

function storeSide(store: string, log: Logger): Promise<HookStoreSide> {
  // The CLI bundle sits beside this one; loading it is what the store-side events pay for.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const cli = require(join(__dirname, 'cli.js')) as { hookStoreSide(store: string, log: Logger): Promise<HookStoreSide> };
  return cli.hookStoreSide(store, log);
}

if (require.main === module) {
  const { agent, opts } = parseArgs(process.argv.slice(2));
  void runHook(agent, opts, storeSide).then((out) => {
    if (out) process.stdout.write(`${out}\n`);
    process.exitCode = 0;
  });
}

export { parseArgs };
