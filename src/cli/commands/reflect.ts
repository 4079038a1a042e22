import type { Command } from 'commander';
import { AnthropicProvider, LlmError } from '../../core/llm';
import { drainQueue, episodesToReflect, reflectOnEpisodes, summarize, ReflectionQueue, type ReflectionResult } from '../../core/reflect';
import type { Embedder } from '../../core/embed';
import type { ExperienceStore } from '../../core/store';
import type { Logger } from '../../core/util/logger';
import { addEmbedOptions, embedderFrom, type EmbedOpts } from '../embedder';
import { CliError, EXIT } from '../exit';
import { json, progressReporter } from '../io';
import { openStore, UNSAFE_SINGLE_WRITER_HELP } from '../store';
import type { Ctx } from '../context';

interface ReflectOpts extends EmbedOpts {
  store?: string;
  episode?: string[];
  all?: boolean;
  retry?: boolean;
  limit?: string;
  approve?: boolean;
  model?: string;
  baseUrl?: string;
  json?: boolean;
  verbose?: boolean;
}

export function registerReflect(program: Command, ctx: Ctx): void {
  const cmd = program
    .command('reflect')
    .description(
      'Distil insights (short lessons) from finished episodes with an LLM: failing attempts against the patch that passed.\n' +
        'Without --episode, --all or --retry: the episodes not reflected on yet (or changed since), and the failed reflections that are due.\n' +
        'Needs ANTHROPIC_API_KEY. New insights wait for approval unless --approve.',
    )
    .option('--episode <ids...>', 'reflect on these episodes (again)')
    .option('--all', 'reflect on every episode again')
    .option('--retry', 'retry every queued (failed) reflection now, due or not')
    .option('--limit <n>', 'reflect on at most N episodes')
    .option('--approve', 'new insights are active at once instead of proposed')
    .option('--model <model>', 'Anthropic model (default: the current Claude Sonnet)')
    .option('--base-url <url>', 'Messages API base URL (default: $ANTHROPIC_BASE_URL, else https://api.anthropic.com)')
    .option('--store <dir>', 'store folder or s3://, gs://, az:// URI (default: the per-user store; DEJAFIX_STORE overrides)')
    .option('--unsafe-single-writer', UNSAFE_SINGLE_WRITER_HELP)
    .option('--json', 'print the results as JSON')
    .option('--verbose', 'log each step and the token usage on stderr')
    .action(async (opts: ReflectOpts) => {
      const limit = opts.limit === undefined ? undefined : Number(opts.limit);
      if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) throw new CliError('--limit must be a whole number ≥ 1');
      if ([opts.episode?.length, opts.all, opts.retry].filter(Boolean).length > 1)
        throw new CliError('give only one of --episode, --all and --retry');
      const log = ctx.logger(Boolean(opts.verbose));
      let provider: AnthropicProvider;
      try {
        provider = new AnthropicProvider({
          apiKey: process.env.ANTHROPIC_API_KEY,
          model: opts.model,
          baseURL: opts.baseUrl ?? process.env.ANTHROPIC_BASE_URL,
          log,
        });
      } catch (e) {
        if (e instanceof LlmError) throw new CliError(e.message);
        throw e;
      }
      const embedder = embedderFrom(opts, log);
      const store = await openStore(opts, 'write', log);
      try {
        ctx.exitCode = await reflect(store, provider, opts, limit, ctx, { embedder, log });
      } finally {
        store.close();
        await embedder?.dispose();
      }
    });
  addEmbedOptions(cmd);
}

async function reflect(
  store: ExperienceStore,
  provider: AnthropicProvider,
  opts: ReflectOpts,
  limit: number | undefined,
  ctx: Ctx,
  base: { embedder?: Embedder; log: Logger },
): Promise<number> {
  const progress = progressReporter(ctx.io);
  const common = {
    ...base,
    requireApproval: !opts.approve,
    onResult: (r: ReflectionResult, i: number, n: number) => {
      progress.update(`reflecting ${i + 1}/${n}`);
      if (!opts.json) {
        progress.done();
        ctx.io.err(
          `${r.episodeId}: ${r.status === 'applied' ? summarize(r.outcomes) || 'nothing to change' : r.status === 'queued' ? `queued for a retry (${r.error?.message})` : r.note}\n`,
        );
      }
    },
  };
  let run;
  if (opts.retry) {
    run = await drainQueue(store, provider, { ...common, force: true, limit });
  } else {
    let ids: string[];
    if (opts.episode?.length) ids = opts.episode.slice(0, limit);
    else {
      const due = (await new ReflectionQueue(store).pending(new Date())).map((e) => e.episodeId);
      const fresh = await episodesToReflect(store, { all: opts.all, limit });
      ids = [...new Set([...(opts.all ? [] : due), ...fresh])].slice(0, limit);
    }
    if (ids.length === 0)
      ctx.io.err('Nothing to reflect on: every episode was reflected on already (use --all or --episode to do it again).\n');
    run = await reflectOnEpisodes(store, provider, ids, { ...common, reason: 'manual' });
  }
  progress.done();
  const { results, stopped } = run;
  const applied = results.filter((r) => r.status === 'applied');
  const queued = results.filter((r) => r.status === 'queued');
  const usage = results.reduce(
    (u, r) => ({ inputTokens: u.inputTokens + (r.usage?.inputTokens ?? 0), outputTokens: u.outputTokens + (r.usage?.outputTokens ?? 0) }),
    { inputTokens: 0, outputTokens: 0 },
  );
  const waiting = (await new ReflectionQueue(store).pending()).length;
  const summary = {
    model: provider.model,
    reflected: applied.length,
    queued: queued.length,
    skipped: results.length - applied.length - queued.length,
    waitingInQueue: waiting,
    usage,
    ...(stopped ? { stopped } : {}),
  };
  if (opts.json) ctx.io.out(json({ ...summary, results }));
  else {
    const all = summarize(applied.flatMap((r) => r.outcomes));
    ctx.io.out(
      `Reflected on ${applied.length} episode(s) with ${provider.model}: ${all || 'no changes'}. ${usage.inputTokens} input + ${usage.outputTokens} output tokens.\n`,
    );
    if (waiting) ctx.io.out(`${waiting} reflection(s) wait in the queue; run \`dejafix reflect --retry\` to retry them now.\n`);
  }
  if (stopped) {
    ctx.io.err(`dejafix: stopped: ${stopped.message}\n`);
    return stopped.code === 'auth' || stopped.code === 'no-key' || stopped.code === 'bad-request' ? EXIT.usage : EXIT.partial;
  }
  // An --episode id that names no episode is a rejected input, as for forget and feedback.
  const missing = opts.episode?.length ? results.filter((r) => r.status === 'skipped' && r.note?.startsWith('no such episode')) : [];
  return queued.length || missing.length ? EXIT.partial : EXIT.ok;
}
