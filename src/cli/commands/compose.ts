import { readFile, stat } from 'node:fs/promises';
import { workspaceCodeFor } from '../workspaceCode';
import type { Command } from 'commander';
import {
  composePrompt,
  ComposeError,
  DEFAULT_BUDGET,
  MAX_BUDGET,
  MIN_BUDGET,
  stages,
  TOKENIZER_SAFETY_MARGIN,
  type ComposeRequest,
  type Stage,
  type WorkspaceContext,
} from '../../core/compose';
import { isoTime } from '../../core/model/time';
import { DEFAULT_MIN_RELEVANCE, parseMinRelevance } from '../../core/recall/relevance';
import { addEmbedOptions, embedderFrom, type EmbedOpts } from '../embedder';
import { CliError, EXIT } from '../exit';
import { json } from '../io';
import { openStore, UNSAFE_SINGLE_WRITER_HELP } from '../store';
import type { Ctx } from '../context';
import { errorText } from '../../core/util/errors';

interface ComposeOpts extends EmbedOpts {
  stage: string;
  budget: string;
  repo?: string;
  title?: string;
  errorFile?: string;
  diffFile?: string;
  openFile?: string;
  k: string;
  now?: string;
  store?: string;
  json?: boolean;
  minRelevance?: string;
  workspace?: string | false;
}

/** Issue text, error output or a diff beyond this is not an issue but a mistake (wrong file). */
const MAX_INPUT_BYTES = 16 * 1024 * 1024;

export function registerCompose(program: Command, ctx: Ctx): void {
  const cmd = program
    .command('compose')
    .description('Compose a prompt for a stage of a repair from past repairs and lessons, within a token budget.')
    .argument('[text...]', 'the issue text; "-" reads it from stdin')
    .requiredOption('--stage <stage>', `${stages.join(', ')}`)
    .option(
      '--budget <n>',
      `tokens the whole prompt may take (${MIN_BUDGET}-${MAX_BUDGET}; ${Math.round(TOKENIZER_SAFETY_MARGIN * 100)}% is kept in reserve)`,
      String(DEFAULT_BUDGET),
    )
    .option('--repo <repo>', "the issue's repository: its repairs rank first")
    .option('--title <title>', "the issue's title")
    .option('--error-file <file>', 'output of the failing command, included as workspace context')
    .option('--diff-file <file>', 'the current diff or a candidate patch (what --stage review judges)')
    .option('--open-file <file>', 'a file to include as the open file')
    .option('--k <n>', 'at most this many past repairs (0-10)', '3')
    .option(
      '--min-relevance <r>',
      `only past repairs at least this relevant, 0-1 (default ${DEFAULT_MIN_RELEVANCE}; 0 = the closest whatever their relevance)`,
    )
    .option('--now <time>', 'measure ages from this ISO time (for reproducible output)')
    .option('--store <dir>', 'store folder or s3://, gs://, az:// URI (default: the per-user store; DEJAFIX_STORE overrides)')
    .option('--unsafe-single-writer', UNSAFE_SINGLE_WRITER_HELP)
    .option('--json', 'print the composed prompt as JSON: system, messages (Anthropic Messages API), markdown, tokens, trimmed')
    .option('--workspace <dir>', "judge relevance against this checkout's code too (default: the current folder's git checkout)")
    .option('--no-workspace', "relevance from memory alone: do not read the checkout's code")
    .addHelpText(
      'after',
      `
Prints the prompt as Markdown (or JSON with --json). The issue is never shortened: when it alone
exceeds the budget, the prompt holds just the issue, a warning goes to stderr and the exit code is 1.`,
    )
    .action(async (words: string[], opts: ComposeOpts) => {
      ctx.exitCode = await runCompose(words, opts, ctx);
    });
  addEmbedOptions(cmd);
}

async function runCompose(words: string[], opts: ComposeOpts, ctx: Ctx): Promise<number> {
  const stage = opts.stage as Stage;
  if (!(stages as readonly string[]).includes(stage)) throw new CliError(`unknown --stage ${opts.stage}; use one of ${stages.join(', ')}`);
  const budget = wholeNumber(opts.budget, '--budget', MIN_BUDGET, MAX_BUDGET);
  const k = wholeNumber(opts.k, '--k', 0, 10);
  if (opts.now !== undefined && !isoTime.safeParse(opts.now).success)
    throw new CliError(`--now ${JSON.stringify(opts.now)} is not an ISO time (e.g. 2026-04-01T00:00:00Z)`);
  const minRelevance = opts.minRelevance === undefined ? undefined : parseMinRelevance(opts.minRelevance);
  if (opts.minRelevance !== undefined && minRelevance === undefined)
    throw new CliError(`--min-relevance ${JSON.stringify(opts.minRelevance)} is not a number from 0 to 1`);
  const body = words.length === 1 && words[0] === '-' ? await readInput('-', 'stdin') : words.join(' ');
  if (!body.trim() && !opts.title?.trim()) throw new CliError('give the issue text (or "-" to read it from stdin)');
  const workspace: WorkspaceContext = {};
  if (opts.errorFile) workspace.errorOutput = await readInput(opts.errorFile, '--error-file');
  if (opts.diffFile) workspace.diff = await readInput(opts.diffFile, '--diff-file');
  if (opts.openFile) workspace.openFile = { path: opts.openFile, text: await readInput(opts.openFile, '--open-file') };
  const request: ComposeRequest = { stage, issue: { body, title: opts.title, repo: opts.repo }, workspace, budget };

  const log = ctx.logger(false);
  const embedder = embedderFrom(opts, log);
  const store = await openStore(opts, 'read', log);
  try {
    const workspaceCode = await workspaceCodeFor(opts.workspace, log);
    const prompt = await composePrompt(store, request, { now: opts.now, maxDemonstrations: k, embedder, log, minRelevance, workspaceCode });
    ctx.io.out(opts.json ? json(prompt) : prompt.markdown);
    for (const step of prompt.trimmed.steps) ctx.io.err(`trimmed: ${step}\n`);
    if (prompt.overBudget) {
      ctx.io.err(
        `warning: the issue alone takes ${prompt.tokens} tokens, over the limit of ${prompt.limit} (budget ${budget} less the ${Math.round(TOKENIZER_SAFETY_MARGIN * 100)}% reserve); the prompt holds only the issue. Raise --budget or shorten the issue.\n`,
      );
      return EXIT.partial;
    }
    return EXIT.ok;
  } catch (e) {
    if (e instanceof ComposeError) throw new CliError(e.message);
    throw e;
  } finally {
    store.close();
    await embedder?.dispose();
  }
}

function wholeNumber(value: string, name: string, min: number, max: number): number {
  const n = Number(value);
  if (!/^\s*\d+\s*$/.test(value) || !Number.isSafeInteger(n) || n < min || n > max)
    throw new CliError(`${name} must be a whole number from ${min} to ${max}`);
  return n;
}

/** A UTF-8 text from a file or stdin ("-"), at most MAX_INPUT_BYTES. */
async function readInput(file: string, what: string): Promise<string> {
  let bytes: Buffer;
  try {
    if (file === '-') bytes = await readStdin();
    else {
      const s = await stat(file);
      if (!s.isFile()) throw new CliError(`${what} ${file} is not a file`);
      if (s.size > MAX_INPUT_BYTES) throw new CliError(`${what} ${file} is ${s.size} bytes; the limit is ${MAX_INPUT_BYTES}`);
      bytes = await readFile(file);
    }
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError(`cannot read ${what}${file === '-' ? '' : ` ${file}`}: ${errorText(e)}`);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new CliError(`${what}${file === '-' ? '' : ` ${file}`} is not valid UTF-8 text`);
  }
}

async function readStdin(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin) {
    size += (chunk as Buffer).length;
    if (size > MAX_INPUT_BYTES) throw new CliError(`stdin is over ${MAX_INPUT_BYTES} bytes; the limit for an issue text`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
