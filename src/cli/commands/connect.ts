// `dejafix connect <agent> [--project|--user] [--yes]` and `dejafix disconnect <agent>`: hooks for
// agents that have them (Claude Code, Codex), instructions for the others (Cline, Continue, Cursor,
// Copilot), and the MCP server entry — merged into each file, keeping everything already there.
// Without --yes only the preview (a unified diff of every file) is printed; nothing is written.
import { existsSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import {
  AGENT_LABELS,
  changesDiff,
  CONNECT_AGENTS,
  connectPlan,
  isConnectAgent,
  planChanges,
  writeChanges,
  type ConnectCommands,
  type ConnectPlaces,
  type Scope,
} from '../../core/agent/connect';
import { hookCommand } from '../../core/agent/hookCommand';
import { errorText } from '../../core/util/errors';
import { CliError, EXIT } from '../exit';
import type { Ctx } from '../context';

interface ConnectOpts {
  project?: boolean;
  user?: boolean;
  yes?: boolean;
  folder?: string;
  store?: string;
}

function scopeOf(opts: ConnectOpts): Scope {
  if (opts.project && opts.user) throw new CliError('choose one of --project and --user');
  return opts.user ? 'user' : 'project';
}

function places(opts: ConnectOpts): ConnectPlaces {
  const folder = resolve(opts.folder ?? process.cwd());
  // A mistyped --folder is an error, not a new folder with an agent's settings in it.
  if (!statSync(folder, { throwIfNoEntry: false })?.isDirectory()) throw new CliError(`--folder ${folder}: no such folder`);
  return {
    folder,
    home: process.env.HOME || homedir(),
    codexHome: process.env.CODEX_HOME || undefined,
  };
}

/**
 * The hook runs the small bundle beside the CLI (dist/hook.js: no LanceDB on the per-tool-call path),
 * through its sh fast path (dist/hook.sh: no Node at all while the warm server runs) except on
 * Windows; else the CLI.
 */
function commands(opts: ConnectOpts): ConnectCommands {
  const cli = resolve(process.argv[1] ?? 'dejafix');
  const small = join(dirname(cli), 'hook.js');
  const fast = join(dirname(cli), 'hook.sh');
  const store = opts.store ? ['--store', resolve(opts.store)] : [];
  const tail = (agent: string) => `${agent}${store.length ? ` --store ${JSON.stringify(store[1])}` : ''}`;
  return {
    hook: (agent) =>
      existsSync(small)
        ? hookCommand({ node: process.execPath, script: small, sh: existsSync(fast) ? fast : undefined }, tail(agent))
        : `${JSON.stringify(process.execPath)} ${JSON.stringify(cli)} hook ${tail(agent)}`,
    server: { command: process.execPath, args: [cli, 'mcp', ...store] },
  };
}

function agentOf(agent: string): (typeof CONNECT_AGENTS)[number] {
  if (!isConnectAgent(agent))
    throw new CliError(`unknown agent ${JSON.stringify(agent.slice(0, 60))}; one of: ${CONNECT_AGENTS.join(', ')}`);
  return agent;
}

async function run(ctx: Ctx, agentArg: string, opts: ConnectOpts, mode: 'connect' | 'disconnect'): Promise<number> {
  const agent = agentOf(agentArg);
  let changes;
  try {
    changes = await planChanges(connectPlan(agent, scopeOf(opts), places(opts), commands(opts)), mode);
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError(errorText(e), EXIT.usage);
  }
  if (!changes.length) {
    ctx.io.err(`${AGENT_LABELS[agent]}: nothing to change (${mode === 'connect' ? 'already connected' : 'nothing of Dejafix there'}).\n`);
    return EXIT.ok;
  }
  ctx.io.out(changesDiff(changes));
  for (const c of changes)
    ctx.io.err(`${c.after === undefined ? 'delete' : c.before === undefined ? 'create' : 'update'} ${c.path}: ${c.what}\n`);
  if (!opts.yes) {
    ctx.io.err('Preview only: run again with --yes to write these changes.\n');
    return EXIT.ok;
  }
  try {
    await writeChanges(changes);
  } catch (e) {
    throw new CliError(`could not write: ${errorText(e)}`, EXIT.usage);
  }
  ctx.io.err(
    `${mode === 'connect' ? 'Connected' : 'Disconnected'} ${AGENT_LABELS[agent]} (${changes.length} file${changes.length === 1 ? '' : 's'}).${mode === 'connect' ? ' Restart the agent (or reload its MCP servers) to pick it up.' : ''}\n`,
  );
  return EXIT.ok;
}

export function registerConnect(program: Command, ctx: Ctx): void {
  const common = (c: Command) =>
    c
      .argument('<agent>', CONNECT_AGENTS.join(' | '))
      .option('--project', "this project's files (default)")
      .option('--user', 'your own files, for every project')
      .option('--folder <dir>', 'the project folder (default: the current folder)')
      .option('--store <dir>', 'the store the hooks and the MCP server use (default: the per-user store)')
      .option('--yes', 'write the change (without it, only the preview is printed)');
  common(
    program
      .command('connect')
      .description(
        'Connect an agent: hooks where it has them, else instructions, plus the MCP server; keeps what is there, prints the change first.',
      ),
  ).action(async (agent: string, opts: ConnectOpts) => {
    ctx.exitCode = await run(ctx, agent, opts, 'connect');
  });
  common(program.command('disconnect').description('Remove exactly what dejafix connect added for an agent.')).action(
    async (agent: string, opts: ConnectOpts) => {
      ctx.exitCode = await run(ctx, agent, opts, 'disconnect');
    },
  );
}
