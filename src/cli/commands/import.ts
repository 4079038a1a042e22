import type { Command } from 'commander';
import {
  FORMATS,
  assertReadableFile,
  documentFormat,
  importDocuments,
  importLines,
  isDocumentFormat,
  lineParser,
  listDocuments,
  recentDatesParser,
  type DocumentImportReport,
  type Format,
  type ImportReport,
} from '../../core/ingest';
import { EXIT, CliError } from '../exit';
import { json, progressReporter, type Io } from '../io';
import { openStore, UNSAFE_SINGLE_WRITER_HELP } from '../store';
import { addEmbedOptions, embedderFrom, type EmbedOpts } from '../embedder';
import { vectorizePending } from '../../core/recall/vectorize';
import type { Ctx } from '../context';

interface ImportOpts extends EmbedOpts {
  store?: string;
  format: string;
  instances?: string;
  results?: string;
  json?: boolean;
  batchSize: string;
  verbose?: boolean;
  shiftDates?: string;
}

export function registerImport(program: Command, ctx: Ctx): void {
  const cmd = program
    .command('import')
    .description(
      'Import episodes and insights from a JSONL file, or agent transcripts. Re-importing the same records updates them; it never duplicates.',
    )
    .argument('<file>', 'JSONL file to import (for claude-code and sweagent-traj: a file or a folder of them)')
    .option('--format <format>', `input format: ${FORMATS.join(', ')}`, 'jsonl')
    .option('--instances <file>', 'for --format swebench-runs: the SWE-bench instances file the runs belong to')
    .option(
      '--results <file>',
      "for --format sweagent-traj: SWE-bench evaluation results {instance_id, model_patch, resolved} that decide each submission's outcome",
    )
    .option(
      '--shift-dates <time>',
      'move every timestamp by one amount so the newest is at <time> (ISO time or "now"; for sample data such as demo/memory.jsonl)',
    )
    .option('--batch-size <n>', 'records per committed batch (a crash keeps whole batches only)', '1000')
    .option('--store <dir>', 'store folder or s3://, gs://, az:// URI (default: the per-user store; DEJAFIX_STORE overrides)')
    .option('--unsafe-single-writer', UNSAFE_SINGLE_WRITER_HELP)
    .option('--json', 'print the report as JSON on stdout')
    .option('-v, --verbose', 'list every redaction and truncation')
    .addHelpText('afterAll', '\nAfter importing, episodes without a vector for the embedding model are embedded (progress on stderr).')
    .addHelpText(
      'after',
      `
Formats:
  jsonl          Dejafix's own export format ({"kind": "episode" | "insight", ...})
  swebench       SWE-bench instances -> resolved episodes (gold patch, test patch)
  swebench-runs  agent predictions {instance_id, system, model_patch, resolved} -> attempts
                 (needs --instances FILE)
  claude-code    Claude Code session transcripts (~/.claude/projects/<project>/*.jsonl, a file
                 or a folder) -> one episode a session; test runs are attempts
  sweagent-traj  SWE-agent .traj files (a file or a folder) -> one episode each; test and
                 reproduction runs are attempts, the submission is the final patch
                 (add --results FILE for real outcomes; otherwise the last run decides)`,
    )
    .action(async (file: string, opts: ImportOpts) => {
      ctx.exitCode = await runImport(file, opts, ctx);
    });
  addEmbedOptions(cmd);
}

/** The --shift-dates target, or undefined when not given. */
function shiftTarget(value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const t = value === 'now' ? Date.now() : /^\d{4}-\d\d-\d\d/.test(value) ? Date.parse(value) : NaN;
  if (!Number.isFinite(t))
    throw new CliError(`--shift-dates must be an ISO time (2026-03-01T12:00:00Z) or "now", got ${JSON.stringify(value.slice(0, 40))}`);
  return new Date(t);
}

async function runImport(file: string, opts: ImportOpts, ctx: Ctx): Promise<number> {
  if (!(FORMATS as readonly string[]).includes(opts.format))
    throw new CliError(`unknown --format ${opts.format}; use one of ${FORMATS.join(', ')}`);
  const batchSize = Number(opts.batchSize);
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 100_000)
    throw new CliError('--batch-size must be a whole number from 1 to 100000');
  if (isDocumentFormat(opts.format) && opts.shiftDates !== undefined)
    throw new CliError(`--shift-dates works with the line formats (jsonl, swebench, swebench-runs), not --format ${opts.format}`);
  if (isDocumentFormat(opts.format)) return runDocumentImport(file, opts, ctx, batchSize);
  const log = ctx.logger(Boolean(opts.verbose));
  const embedder = embedderFrom(opts, log);
  const newest = shiftTarget(opts.shiftDates);
  // Before the store is opened: a mistyped file name must not leave a new, empty store behind.
  await assertReadableFile(file);
  const parsed = await lineParser(opts.format as Format, { instancesFile: opts.instances });
  const { sideErrors } = parsed;
  const parse = newest ? await recentDatesParser(file, parsed.parse, newest) : parsed.parse;
  for (const p of sideErrors) ctx.io.err(`${opts.instances}:${p.line}: ${p.reason}\n`);
  const store = await openStore(opts, 'write', log);
  const progress = progressReporter(ctx.io);
  try {
    const report = await importLines(store, file, parse, {
      batchSize,
      onProgress: (p) =>
        progress.update(
          `importing ${file}: line ${p.linesRead}, ${p.recordsCommitted} records in ${p.batchesCommitted} committed batch${p.batchesCommitted === 1 ? '' : 'es'}, ${p.errors} bad lines`,
        ),
    });
    progress.done();
    await embedImported(store, embedder, progress, ctx.io);
    printReport(ctx.io, file, report, opts);
    return report.errors > 0 || sideErrors.length > 0 ? EXIT.partial : EXIT.ok;
  } finally {
    progress.done();
    store.close();
    await embedder?.dispose();
  }
}

/** After an import, embeds the episodes that have no vector yet (when an embedder is configured). */
async function embedImported(
  store: Parameters<typeof vectorizePending>[0],
  embedder: Parameters<typeof vectorizePending>[1] | undefined,
  progress: ReturnType<typeof progressReporter>,
  io: Io,
): Promise<void> {
  if (!embedder) return;
  const v = await vectorizePending(store, embedder, {
    onProgress: (p) => progress.update(`embedding with ${embedder.id}: ${p.done}/${p.total}`),
  });
  progress.done();
  if (v.total) io.err(`Embedded ${v.done} episode(s) with ${embedder.id}.\n`);
}

function printReport(io: Io, file: string, r: ImportReport, opts: ImportOpts): void {
  for (const p of r.errorLines) io.err(`${file}:${p.line}: ${p.reason}\n`);
  if (r.errors > r.errorLines.length) io.err(`… and ${r.errors - r.errorLines.length} more bad lines\n`);
  if (opts.verbose) for (const n of r.notes) io.err(`note: ${n}\n`);
  else if (r.notes.length) io.err(`${r.notes.length} redaction/truncation notes (use --verbose to list them)\n`);
  if (opts.json) {
    io.out(
      json({
        file,
        linesRead: r.linesRead,
        episodes: r.episodes,
        attempts: r.attempts,
        insights: r.insights,
        feedback: r.feedback,
        recalls: r.recalls,
        errors: r.errorLines,
        errorCount: r.errors,
        notes: r.notes,
      }),
    );
    return;
  }
  const fmt = (x: { inserted: number; updated: number }) => `${x.inserted} new, ${x.updated} updated`;
  const extra = r.feedback || r.recalls ? `; feedback ${r.feedback} rows; recall log ${r.recalls} rows` : '';
  io.out(`Imported ${file}: episodes ${fmt(r.episodes)}; attempts ${fmt(r.attempts)}; insights ${fmt(r.insights)}${extra}.\n`);
  if (r.errors) io.out(`${r.errors} line(s) were not imported; every other line was.\n`);
}

/** Formats where a file (or each file in a folder) is one episode. */
async function runDocumentImport(path: string, opts: ImportOpts, ctx: Ctx, batchSize: number): Promise<number> {
  if (!isDocumentFormat(opts.format)) throw new CliError(`unknown --format ${opts.format}`);
  if (opts.instances) throw new CliError('--instances is for --format swebench-runs only');
  const log = ctx.logger(Boolean(opts.verbose));
  const embedder = embedderFrom(opts, log);
  const { format, sideErrors } = await documentFormat(opts.format, { resultsFile: opts.results }).catch((e: Error) => {
    throw new CliError(e.message);
  });
  for (const p of sideErrors) ctx.io.err(`${opts.results}:${p.line}: ${p.reason}\n`);
  await listDocuments(path, format); // a missing path is reported before the store is created
  const store = await openStore(opts, 'write', log);
  const progress = progressReporter(ctx.io);
  try {
    const r = await importDocuments(store, path, format, {
      batchSize,
      onProgress: (p) => progress.update(`importing ${path}: file ${p.filesRead}/${p.filesFound}, ${p.episodes} episodes`),
    });
    progress.done();
    await embedImported(store, embedder, progress, ctx.io);
    printDocumentReport(ctx.io, path, r, opts);
    return r.problems.length > 0 || sideErrors.length > 0 ? EXIT.partial : EXIT.ok;
  } finally {
    progress.done();
    store.close();
    await embedder?.dispose();
  }
}

function printDocumentReport(io: Io, path: string, r: DocumentImportReport, opts: ImportOpts): void {
  for (const p of r.problems) io.err(`${p.file}${p.line ? `:${p.line}` : ''}: ${p.reason}\n`);
  if (r.moreProblems) io.err(`… and ${r.moreProblems} more problems\n`);
  if (opts.verbose) for (const n of r.notes) io.err(`note: ${n}\n`);
  else if (r.notes.length) io.err(`${r.notes.length} redaction/truncation notes (use --verbose to list them)\n`);
  if (opts.json) {
    io.out(
      json({
        path,
        filesFound: r.filesFound,
        filesImported: r.filesImported,
        episodes: r.episodes,
        attempts: r.attempts,
        problems: r.problems,
        notes: r.notes,
      }),
    );
    return;
  }
  const fmt = (x: { inserted: number; updated: number }) => `${x.inserted} new, ${x.updated} updated`;
  io.out(
    `Imported ${r.filesImported} of ${r.filesFound} file(s) from ${path}: episodes ${fmt(r.episodes)}; attempts ${fmt(r.attempts)}.\n`,
  );
}
