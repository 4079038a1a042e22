// `dejafix eval`: replays the user's own memory with the bench:recall protocol (src/core/eval) and
// prints whether recall finds the relevant past repair, and how much noise it shows.
import type { Command } from 'commander';
import { EvalError, evaluateMemory } from '../../core/eval/evaluate';
import { DEFAULT_MIN_RELEVANCE, parseMinRelevance } from '../../core/recall/relevance';
import { addEmbedOptions, embedderFrom, type EmbedOpts } from '../embedder';
import { evalText } from '../evalText';
import { CliError, EXIT } from '../exit';
import { json, progressReporter } from '../io';
import { openStore, UNSAFE_SINGLE_WRITER_HELP } from '../store';
import type { Ctx } from '../context';

interface EvalOpts extends EmbedOpts {
  store?: string;
  repo?: string;
  json?: boolean;
  minRelevance?: string;
}

export function registerEval(program: Command, ctx: Ctx): void {
  const cmd = program
    .command('eval')
    .description('Measure recall on your own memory: each resolved repair, oldest first, asked as a new issue against only the older ones.')
    .option('--repo <repo>', 'only ask the episodes of this repository')
    .option(
      '--min-relevance <r>',
      `the relevance threshold the figures are computed at, 0-1 (default ${DEFAULT_MIN_RELEVANCE}, recall's default)`,
    )
    .option('--store <dir>', 'store folder or s3://, gs://, az:// URI (default: the per-user store; DEJAFIX_STORE overrides)')
    .option('--unsafe-single-writer', UNSAFE_SINGLE_WRITER_HELP)
    .option('--json', 'print the report as JSON')
    .action(async (opts: EvalOpts) => {
      const minRelevance = opts.minRelevance === undefined ? DEFAULT_MIN_RELEVANCE : parseMinRelevance(opts.minRelevance);
      if (minRelevance === undefined)
        throw new CliError(`--min-relevance ${JSON.stringify(opts.minRelevance)} is not a number from 0 to 1`);
      if (opts.repo !== undefined && !opts.repo.trim()) throw new CliError('--repo must not be empty');
      const log = ctx.logger(false);
      const embedder = embedderFrom(opts, log);
      const store = await openStore(opts, 'read', log);
      const progress = progressReporter(ctx.io);
      try {
        const report = await evaluateMemory(store, {
          repo: opts.repo,
          minRelevance,
          embedder,
          log,
          onProgress: (done, total) => progress.update(`eval: ${done} of ${total} repairs asked`),
        });
        progress.done();
        ctx.io.out(opts.json ? json({ store: store.dir, ...report }) : evalText(store.dir, report));
      } catch (e) {
        progress.done();
        if (e instanceof EvalError) throw new CliError(e.message, EXIT.usage);
        throw e;
      } finally {
        store.close();
        await embedder?.dispose();
      }
    });
  addEmbedOptions(cmd);
}
