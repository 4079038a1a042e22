// dist/hook.js: the small entry agents run for every hook event (`node dist/hook.js claude-code
// [--store DIR] [--budget N] [--min-relevance X]`). It carries no LanceDB, no embedding model, no
// SDK, no command-line parser: a tool call is a journal append. A first prompt asks the warm recall
// server (./hook/warmServer, started in the background by the first prompt that finds none) and
// falls back to loading the full CLI bundle beside it; the session end (commit) loads that bundle.
// `--warm-server --socket PATH` runs that server (which also serves dist/hook.sh's fast path for
// tool calls). Always exits 0.
import { join } from 'node:path';
import type { HookStoreSide } from '../core/capture/hooks/claudeCode';
import type { Logger } from '../core/util/logger';
import { fileLogger, hookStoreDir, journalDirOf, runHook, type HookOptions } from './hook/runHook';
import { recallWarm, spawnWarmServer, UNAVAILABLE } from './hook/warmClient';
import { isPrivateSocket, warmEnabled, warmSocketPath } from './hook/warmPath';

interface Cli {
  hookStoreSide(store: string, log: Logger): Promise<HookStoreSide>;
  hookWarmServer(store: string, socket: string, log: Logger): Promise<void>;
}

function parseArgs(argv: string[]): { agent: string; opts: HookOptions; warmServer: boolean; socket?: string } {
  const opts: HookOptions = {};
  let agent = '';
  let warmServer = false;
  let socket: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const [flag, inline] =
      a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = () => inline ?? argv[++i];
    if (flag === '--store') opts.store = value();
    else if (flag === '--budget') opts.budget = value();
    else if (flag === '--min-relevance') opts.minRelevance = value();
    else if (flag === '--warm-server') warmServer = true;
    else if (flag === '--socket') socket = value();
    else if (!a.startsWith('--') && !agent) agent = a;
  }
  return { agent, opts, warmServer, socket };
}

// The CLI bundle sits beside this one; loading it is what the store-side events pay for.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const cli = (): Cli => require(join(__dirname, 'cli.js')) as Cli;

/** The store side: recall through the warm server when one answers, else in this process (and start one). */
function storeSide(store: string, log: Logger, storeArg: string): Promise<HookStoreSide> {
  const socket = warmEnabled() ? warmSocketPath(storeArg) : undefined;
  const cold = () => cli().hookStoreSide(store, log);
  return Promise.resolve({
    async recall(open, o) {
      if (!socket) return (await cold()).recall(open, o);
      const warm = await recallWarm(socket, open, o);
      if (warm !== UNAVAILABLE) return warm ?? undefined;
      try {
        return await (await cold()).recall(open, o);
      } finally {
        // After this recall, not during it: on a small machine both would load the model at once.
        spawnWarmServer(store, socket);
      }
    },
    async commit(entries, o) {
      return (await cold()).commit(entries, o);
    },
  });
}

/** Runs the hook (or the warm server) for `argv`; the editor's launcher calls it too. */
export function main(argv: string[]): void {
  const { agent, opts, warmServer, socket: given } = parseArgs(argv);
  if (warmServer) {
    const store = hookStoreDir(opts);
    const socket = given && isPrivateSocket(given) ? given : undefined;
    const log = fileLogger(join(journalDirOf(store), 'hook.log'));
    if (socket)
      void cli()
        .hookWarmServer(store, socket, log)
        .catch((e) => log.error(e, 'hook: warm recall server failed'))
        .finally(() => process.exit(0));
    return;
  }
  void runHook(agent, opts, (store, log) => storeSide(store, log, opts.store ?? '')).then((out) => {
    if (out) process.stdout.write(`${out}\n`);
    process.exitCode = 0;
  });
}

if (require.main === module) main(process.argv.slice(2));

export { parseArgs };
