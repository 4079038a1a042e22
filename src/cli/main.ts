import { Command, CommanderError } from 'commander';
import { InputFileError } from '../core/ingest';
import { StoreError, asStoreError, isPermissionError } from '../core/store';
import { endpointListening, explainMidCommand, isObjectStoreFailure } from '../core/store/remote/errors';
import { registerCompose } from './commands/compose';
import { registerDoctor } from './commands/doctor';
import { registerEval } from './commands/eval';
import { registerExport } from './commands/export';
import { registerConnect } from './commands/connect';
import { registerFeedback } from './commands/feedback';
import { registerForget } from './commands/forget';
import { registerHook } from './commands/hook';
import { registerImport } from './commands/import';
import { registerInsights } from './commands/insights';
import { registerMcp } from './commands/mcp';
import { registerRecall } from './commands/recall';
import { registerReflect } from './commands/reflect';
import { registerStats } from './commands/stats';
import { registerTeam } from './commands/team';
import { registerTeamForget } from './commands/teamForget';
import { makeCtx, type Ctx } from './context';
import { CliError, EXIT, EXIT_HELP } from './exit';
import { processIo, type Io } from './io';
import { errorDetail, errorText } from '../core/util/errors';
import { usedStoreDir } from './store';

declare const DEJAFIX_VERSION: string;

/** For dist/hook.js, which loads this bundle only for the hook events that need the store. */
export { cliHookStoreSide as hookStoreSide } from './hook/storeSide';
export { runWarmServer as hookWarmServer } from './hook/warmServer';

export function buildProgram(ctx: Ctx): Command {
  const program = new Command('dejafix')
    .description('Experience memory for coding agents: import, export and search past repairs.')
    .version(typeof DEJAFIX_VERSION === 'string' ? DEJAFIX_VERSION : 'dev')
    .exitOverride()
    .configureOutput({ writeOut: (s) => ctx.io.out(s), writeErr: (s) => ctx.io.err(s), outputError: (s, write) => write(usageError(s)) })
    .addHelpText(
      'after',
      `\nStore: --store DIR or s3://, gs://, az:// URI, else $DEJAFIX_STORE, else the per-user store the editor uses.\n${EXIT_HELP}`,
    );
  registerImport(program, ctx);
  registerExport(program, ctx);
  registerRecall(program, ctx);
  registerStats(program, ctx);
  registerForget(program, ctx);
  registerFeedback(program, ctx);
  registerReflect(program, ctx);
  registerCompose(program, ctx);
  registerInsights(program, ctx);
  registerMcp(program, ctx);
  registerHook(program, ctx);
  registerConnect(program, ctx);
  registerDoctor(program, ctx);
  registerEval(program, ctx);
  registerTeam(program, ctx);
  registerTeamForget(program, ctx);
  for (const c of program.commands) c.exitOverride().configureOutput({ writeOut: (s) => ctx.io.out(s), writeErr: (s) => ctx.io.err(s) });
  return program;
}

/**
 * A usage error (unknown option, missing argument, bad choice) as one line, like every other error, with
 * where to look instead of the whole help text after it: `dejafix: unknown option '--bogus' (see --help)`.
 */
function usageError(message: string): string {
  return `dejafix: ${message
    .replace(/^error:\s*/, '')
    .replace(/\s+/g, ' ')
    .trim()} (see --help)\n`;
}

/** Runs the CLI and returns its exit code; never throws. */
export async function run(argv: string[], io: Io = processIo): Promise<number> {
  const ctx = makeCtx(io);
  try {
    await buildProgram(ctx).parseAsync(argv, { from: 'user' });
    return ctx.exitCode;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    if (e instanceof CliError) {
      io.err(`dejafix: ${e.message}\n`);
      return e.exitCode;
    }
    if (e instanceof InputFileError) {
      io.err(`dejafix: ${e.message}\n`);
      return EXIT.usage;
    }
    if (e instanceof StoreError && (e.code === 'unsafe-remote' || e.code === 'bad-location')) {
      io.err(`dejafix: ${e.message}\n`);
      return e.code === 'unsafe-remote' ? EXIT.unsafeRemote : EXIT.usage;
    }
    if (!(e instanceof StoreError) && isObjectStoreFailure(firstLine(e))) {
      const text = errorText(e);
      io.err(`dejafix: ${explainMidCommand(text, process.env, await endpointListening(text))}\n`);
      return EXIT.store;
    }
    const dir = usedStoreDir();
    const storeError = e instanceof StoreError ? e : dir ? asStoreError(e, dir) : undefined;
    if (storeError) {
      io.err(`dejafix: ${storeError.message}\n`);
      return EXIT.store;
    }
    if (isPermissionError(e)) {
      io.err(`dejafix: permission denied: ${firstLine(e)}\nCheck the permissions of the store folder and the input files.\n`);
      return EXIT.store;
    }
    io.err(`dejafix: unexpected error: ${errorDetail(e)}\n`);
    return EXIT.internal;
  }
}

function firstLine(e: unknown): string {
  return errorText(e).split('\n')[0].slice(0, 300);
}

if (require.main === module) {
  // `dejafix stats | head`: the reader went away; that is the end of the output, not an error.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
  run(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
