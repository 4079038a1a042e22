// `dejafix connect claude-code [--project|--user] [--yes]` and `dejafix disconnect claude-code`:
// add Dejafix's hooks to Claude Code's settings file (or take them out), keeping everything else.
// Without --yes only the preview (a unified diff of the file) is printed.
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { createTwoFilesPatch } from 'diff';
import { connectClaudeHooks, disconnectClaudeHooks } from '../../core/agent/claudeHooksConfig';
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

function settingsPath(opts: ConnectOpts): string {
  if (opts.project && opts.user) throw new CliError('choose one of --project and --user');
  return opts.user ? join(process.env.HOME || homedir(), '.claude', 'settings.json') : join(resolve(opts.folder ?? process.cwd()), '.claude', 'settings.json');
}

/** The small hook bundle beside the CLI (dist/hook.js: no LanceDB on the per-tool-call path), else the CLI. */
function hookCommand(opts: ConnectOpts): string {
  const cli = resolve(process.argv[1] ?? 'dejafix');
  const small = join(dirname(cli), 'hook.js');
  const store = opts.store ? ` --store ${JSON.stringify(resolve(opts.store))}` : '';
  const entry = existsSync(small) ? JSON.stringify(small) : `${JSON.stringify(cli)} hook`;
  return `${JSON.stringify(process.execPath)} ${entry} claude-code${store}`;
}

async function readMaybe(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new CliError(`cannot read ${path}: ${errorText(e)}`, EXIT.usage);
  }
}

async function apply(ctx: Ctx, path: string, before: string | undefined, after: { text: string; changed: boolean }, yes: boolean | undefined): Promise<number> {
  if (!after.changed) {
    ctx.io.err(`${path}: nothing to change.\n`);
    return EXIT.ok;
  }
  ctx.io.out(createTwoFilesPatch(path, path, before ?? '', after.text, 'before', 'after'));
  if (!yes) {
    ctx.io.err('Preview only: run again with --yes to write this change.\n');
    return EXIT.ok;
  }
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.dejafix-${process.pid}.tmp`;
  await writeFile(tmp, after.text, { mode: 0o600 });
  await rename(tmp, path);
  ctx.io.err(`Wrote ${path}.\n`);
  return EXIT.ok;
}

export function registerConnect(program: Command, ctx: Ctx): void {
  const common = (c: Command) =>
    c
      .argument('<agent>', 'claude-code')
      .option('--project', "this project's .claude/settings.json (default)")
      .option('--user', 'your ~/.claude/settings.json (every project)')
      .option('--folder <dir>', 'the project folder (default: the current folder)')
      .option('--yes', 'write the change (without it, only the preview is printed)');
  common(program.command('connect').description("Add Dejafix's hooks to Claude Code's settings, keeping what is there; prints the change first."))
    .option('--store <dir>', 'the store the hook uses (default: the per-user store)')
    .action(async (agent: string, opts: ConnectOpts) => {
      if (agent !== 'claude-code') throw new CliError(`unknown agent ${JSON.stringify(agent)}; supported: claude-code`);
      const path = settingsPath(opts);
      const before = await readMaybe(path);
      ctx.exitCode = await apply(ctx, path, before, wrap(() => connectClaudeHooks(before, hookCommand(opts), path)), opts.yes);
    });
  common(program.command('disconnect').description("Remove exactly the hooks Dejafix added from Claude Code's settings.")).action(async (agent: string, opts: ConnectOpts) => {
    if (agent !== 'claude-code') throw new CliError(`unknown agent ${JSON.stringify(agent)}; supported: claude-code`);
    const path = settingsPath(opts);
    const before = await readMaybe(path);
    ctx.exitCode = await apply(ctx, path, before, wrap(() => disconnectClaudeHooks(before, path)), opts.yes);
  });
}

function wrap<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    throw new CliError(errorText(e), EXIT.usage);
  }
}
