import type { Command } from 'commander';
import { trackText } from '../../core/agent/format';
import { z } from 'zod';
import { assertReadableFile, InputFileError, readLines } from '../../core/ingest';
import { recall, type RecallHit, type RecallOptions, type RecallQuery } from '../../core/recall/recall';
import { addEmbedOptions, embedderFrom, type EmbedOpts } from '../embedder';
import { recallWithContext } from '../../core/recall/withContext';
import { whyText } from '../../core/recall/why';
import { DEFAULT_MIN_RELEVANCE, parseMinRelevance, relevanceLabel } from '../../core/recall/relevance';
import { type HitLessons, type TriedAttempt } from '../../core/recall/lessons';
import { isoTime } from '../../core/model/time';
import { oneLine } from '../../core/util/text';
import type { ExperienceStore } from '../../core/store';
import { EXIT, CliError } from '../exit';
import { json, progressReporter } from '../io';
import { openStore, UNSAFE_SINGLE_WRITER_HELP } from '../store';
import { workspaceCodeFor } from '../workspaceCode';
import type { Ctx } from '../context';

interface RecallOpts extends EmbedOpts {
  store?: string;
  repo?: string;
  k: string;
  before?: string;
  batch?: string;
  json?: boolean;
  minRelevance?: string;
  workspace?: string | false;
}

const batchQuerySchema = z.object({
  id: z.union([z.string(), z.number()]),
  text: z.string().refine((t) => t.trim() !== '', 'empty: give the issue or failure text'),
  repo: z.string().optional(),
  before: isoTime.optional(),
  k: z.number().int().min(1).max(100).optional(),
  minRelevance: z.number().min(0).max(1).optional(),
});

export function registerRecall(program: Command, ctx: Ctx): void {
  const cmd = program
    .command('recall')
    .description('Find the past repairs most relevant to an issue or failure.')
    .argument('[text...]', 'issue or failure text')
    .option('--repo <repo>', 'rank episodes of this repository first')
    .option('--k <n>', 'how many episodes to return (1-100)', '5')
    .option('--before <time>', 'only episodes created strictly before this ISO time')
    .option('--batch <file>', 'JSONL queries {"id","text","repo"?,"before"?,"k"?,"minRelevance"?}; one result line per query')
    .option('--store <dir>', 'store folder or s3://, gs://, az:// URI (default: the per-user store; DEJAFIX_STORE overrides)')
    .option('--unsafe-single-writer', UNSAFE_SINGLE_WRITER_HELP)
    .option('--json', 'print results as JSON')
    .option('--workspace <dir>', "judge relevance against this checkout's code too (default: the current folder's git checkout)")
    .option('--no-workspace', "relevance from memory alone: do not read the checkout's code")
    .option(
      '--min-relevance <r>',
      `only results at least this relevant, 0-1 (default ${DEFAULT_MIN_RELEVANCE}, calibrated on SWE-bench Lite; 0 = always the top k)`,
    )
    .action(async (words: string[], opts: RecallOpts) => {
      const log = ctx.logger(false);
      const minRelevance = opts.minRelevance === undefined ? undefined : parseMinRelevance(opts.minRelevance);
      if (opts.minRelevance !== undefined && minRelevance === undefined)
        throw new CliError(`--min-relevance ${JSON.stringify(opts.minRelevance)} is not a number from 0 to 1`);
      if (opts.batch) await assertBatchFile(opts.batch);
      const embedder = embedderFrom(opts, log);
      const store = await openStore(opts, 'read', log);
      try {
        const ropts = { embedder, log, workspaceCode: await workspaceCodeFor(opts.workspace, log) };
        ctx.exitCode = opts.batch
          ? await recallBatch(store, opts.batch, ctx, ropts, minRelevance)
          : await recallOne(store, words.join(' '), opts, ctx, ropts, minRelevance);
      } finally {
        store.close();
        await embedder?.dispose();
      }
    });
  addEmbedOptions(cmd);
}

async function recallOne(
  store: ExperienceStore,
  text: string,
  opts: RecallOpts,
  ctx: Ctx,
  ropts: RecallOptions,
  minRelevance: number | undefined,
): Promise<number> {
  if (!text.trim()) throw new CliError('give the issue text to recall for, or --batch FILE');
  const k = Number(opts.k);
  if (!Number.isInteger(k) || k < 1 || k > 100) throw new CliError('--k must be a whole number from 1 to 100');
  let before: string | undefined;
  if (opts.before !== undefined) {
    const b = isoTime.safeParse(opts.before);
    if (!b.success) throw new CliError(`--before ${JSON.stringify(opts.before)} is not an ISO time (e.g. 2020-01-31T12:00:00Z)`);
    before = b.data;
  }
  const {
    hits,
    insights: lessons,
    lessons: tried,
  } = await recallWithContext(store, { text, repo: opts.repo, before, k, minRelevance }, ropts);
  if (opts.json) {
    ctx.io.out(
      json({
        results: hits.map((h) => ({ ...resultOf(h), repo: h.repo, createdAt: h.createdAt, why: h.why, ...tried.get(h.episodeId) })),
        insights: lessons.map((l) => ({
          id: l.insight.id,
          text: l.insight.text,
          role: l.insight.role,
          scope: l.insight.scope,
          score: l.score,
          why: l.why,
        })),
      }),
    );
    return EXIT.ok;
  }
  if (lessons.length)
    ctx.io.out(
      `Lessons:\n${lessons.map((l) => `  - [${l.insight.role}] ${l.insight.text} (importance ${l.insight.importance}, ${l.insight.scope})\n`).join('')}\n`,
    );
  const min = minRelevance ?? DEFAULT_MIN_RELEVANCE;
  if (hits.length === 0)
    ctx.io.out(
      (await store.count('episodes')) === 0
        ? 'The memory holds no past repairs yet: import some (dejafix import) or record them as you work.\n'
        : min
          ? `No confident match: no past repair reached relevance ${min.toFixed(2)} (--min-relevance 0 shows the closest anyway).\n`
          : 'No relevant past repairs found.\n',
    );
  else
    hits.forEach((h, i) =>
      ctx.io.out(
        `${i + 1}. [${h.outcome}] ${h.title}\n   ${h.repo}${h.sourceId ? ` · ${h.sourceId}` : ''} · ${h.createdAt.slice(0, 10)} · ${relevanceLabel(h.relevance)}${trackText(h)} · ${h.episodeId}\n   why: ${explain(h)}\n${triedLines(h, tried.get(h.episodeId))}`,
      ),
    );
  return EXIT.ok;
}

/** A missing or unreadable --batch file is a bad argument (exit 2, one line), found before the store is opened. */
async function assertBatchFile(file: string): Promise<void> {
  await assertReadableFile(file, { emptyOk: true }).catch((e: unknown) => {
    throw e instanceof InputFileError ? new CliError(`--batch ${e.message}`) : e;
  });
}

/** The batch contract used by benchmarks: one output line per input query, in order. */
async function recallBatch(
  store: ExperienceStore,
  file: string,
  ctx: Ctx,
  ropts: RecallOptions,
  minRelevance: number | undefined,
): Promise<number> {
  let bad = 0;
  let done = 0;
  const progress = progressReporter(ctx.io);
  for await (const l of readLines(file)) {
    let id: unknown = null;
    try {
      if (l.error !== undefined) throw new CliError(l.error);
      let raw: unknown;
      try {
        raw = JSON.parse(l.text);
      } catch {
        throw new CliError('not valid JSON');
      }
      id = (raw as { id?: unknown })?.id ?? null;
      const q = batchQuerySchema.safeParse(raw);
      if (!q.success) throw new CliError(q.error.issues.map((i) => `${i.path.join('.') || '(query)'}: ${i.message}`).join('; '));
      const query: RecallQuery = {
        text: q.data.text,
        repo: q.data.repo,
        before: q.data.before,
        k: q.data.k,
        minRelevance: q.data.minRelevance ?? minRelevance,
      };
      const hits = await recall(store, query, ropts);
      ctx.io.out(json({ id: q.data.id, results: hits.map(resultOf) }));
    } catch (e) {
      if (!(e instanceof CliError)) throw e;
      bad++;
      ctx.io.err(`${file}:${l.line}: ${e.message}\n`);
      ctx.io.out(json({ id, results: [], error: e.message }));
    }
    progress.update(`recall: ${++done} queries`);
  }
  progress.done();
  return bad ? EXIT.partial : EXIT.ok;
}

function explain(h: RecallHit): string {
  const p = h.why.parts;
  return `${whyText(h)} (text ${p.text.toFixed(2)}, code ${p.code.toFixed(2)}, meaning ${p.vector.toFixed(2)}, file ${p.file.toFixed(2)})`;
}

/** "What did not work" (and what did) under a hit: the failing attempts before the passing one. */
function triedLines(h: RecallHit, l: HitLessons | undefined): string {
  if (!l) return '';
  const show = (a: TriedAttempt) =>
    `${a.command ? `\`${oneLine(a.command, 80)}\`` : 'a change'}${a.exitCode === null ? '' : ` (exit ${a.exitCode})`}${a.files.length ? ` on ${a.files.slice(0, 3).join(', ')}${a.files.length > 3 ? ', …' : ''}` : ''}`;
  const lines = l.didNotWork.slice(0, 3).map((a) => `   did not work: ${show(a)}\n`);
  if (l.didNotWork.length > 3) lines.push(`   did not work: ${l.didNotWork.length - 3} more attempts\n`);
  if (l.worked && l.didNotWork.length) lines.push(`   worked: ${show(l.worked)}\n`);
  if (h.outcome !== 'resolved' && l.didNotWork.length === 0) lines.push(`   did not work: ended ${h.outcome} without a passing run\n`);
  return lines.join('');
}

function resultOf(h: RecallHit) {
  return { episodeId: h.episodeId, sourceId: h.sourceId, score: h.score, relevance: h.relevance, outcome: h.outcome, title: h.title };
}
