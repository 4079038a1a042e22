import { resolve } from 'node:path';
import type { Command } from 'commander';
import { DEFAULT_SESSION_EXPIRY_HOURS, MAX_SESSION_EXPIRY_HOURS, parseExpiryHours } from '../../mcp/sessionExpiry';
import { runStdioServer } from '../../mcp/stdio';
import { addEmbedOptions, embedderFrom, type EmbedOpts } from '../embedder';
import { CliError, EXIT } from '../exit';
import { DEFAULT_MIN_RELEVANCE, parseMinRelevance } from '../../core/recall/relevance';
import { remoteOptions, storeDir, UNSAFE_SINGLE_WRITER_HELP } from '../store';
import type { Ctx } from '../context';

declare const DEJAFIX_VERSION: string;

interface McpOpts extends EmbedOpts {
  store?: string;
  unsafeSingleWriter?: boolean;
  verbose?: boolean;
  allowFolder?: string[];
  allSessions?: boolean;
  minRelevance?: string;
  sessionExpiry?: string;
}

export function registerMcp(program: Command, ctx: Ctx): void {
  const cmd = program
    .command('mcp')
    .description(
      'Serve the experience memory to a coding agent over MCP (stdio): tools dejafix_recall, dejafix_record_attempt, dejafix_record_outcome, dejafix_compose_prompt, dejafix_feedback; resources dejafix://insights, dejafix://episodes/{id}, dejafix://sessions.',
    )
    .option('--store <dir>', 'store folder or s3://, gs://, az:// URI (default: the per-user store; DEJAFIX_STORE overrides)')
    .option('--unsafe-single-writer', UNSAFE_SINGLE_WRITER_HELP)
    .option('--all-sessions', 'let the client see and end every open repair session, not only the ones it opened')
    .option(
      '--min-relevance <r>',
      `dejafix_recall returns only past repairs at least this relevant when the call names no minRelevance, 0-1 (default ${DEFAULT_MIN_RELEVANCE}; 0 = always the closest)`,
    )
    .option(
      '--session-expiry <hours>',
      `end an open repair session as abandoned after this many hours without a recorded attempt (default ${DEFAULT_SESSION_EXPIRY_HOURS}; 0 = never)`,
    )
    .option('--verbose', 'log each step on stderr')
    .option(
      '--allow-folder <dir>',
      'another folder (besides the working directory) whose path a client may pass as `repo`; repeatable',
      (v: string, all: string[] = []) => [...all, resolve(v)],
    )
    .addHelpText(
      'after',
      `
Started by the agent (Claude Code, Cline, Continue, Codex…), not by hand: stdout carries only MCP
messages, logs go to stderr. The working directory is the project: its repository ranks first in
recall, and an attempt recorded without a patch gets the folder's git diff. A client's \`repo\`
path outside it (and outside --allow-folder) is refused; git runs with fsmonitor, hooks, pager,
external diff, textconv and the repository's filters off, so a hostile clone runs nothing.
Repair sessions opened by an agent stay in the store (table open_sessions) until it records an
outcome; only then do they become past repairs that recall finds. A client sees and ends only the
sessions it opened over its own connection; --all-sessions lifts that (to finish sessions a client
left open before it disconnected). A session with no attempt recorded for --session-expiry hours
(default ${DEFAULT_SESSION_EXPIRY_HOURS}) is ended as abandoned, or dropped when it holds no attempt (checked at start, then hourly).`,
    )
    .action(async (opts: McpOpts) => {
      const log = ctx.logger(Boolean(opts.verbose));
      const minRelevance = opts.minRelevance === undefined ? undefined : parseMinRelevance(opts.minRelevance);
      if (opts.minRelevance !== undefined && minRelevance === undefined)
        throw new CliError(`--min-relevance ${JSON.stringify(opts.minRelevance)} is not a number from 0 to 1`);
      const sessionExpiryHours = opts.sessionExpiry === undefined ? undefined : parseExpiryHours(opts.sessionExpiry);
      if (opts.sessionExpiry !== undefined && sessionExpiryHours === undefined)
        throw new CliError(
          `--session-expiry ${JSON.stringify(opts.sessionExpiry.slice(0, 40))} is not a number of hours from 0 to ${MAX_SESSION_EXPIRY_HOURS}`,
        );
      // Checked now, so a bad option fails at once instead of at the first recall.
      embedderFrom(opts, log)
        ?.dispose()
        .catch(() => undefined);
      await runStdioServer({
        storeDir: storeDir(opts),
        remote: remoteOptions(opts),
        version: typeof DEJAFIX_VERSION === 'string' ? DEJAFIX_VERSION : 'dev',
        folder: process.cwd(),
        allowFolders: opts.allowFolder,
        allSessions: Boolean(opts.allSessions),
        minRelevance,
        sessionExpiryHours,
        embedder: () => embedderFrom(opts, log),
        log,
      });
      ctx.exitCode = EXIT.ok;
    });
  addEmbedOptions(cmd);
}
