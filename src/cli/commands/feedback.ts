// `dejafix feedback ID --not-relevant|--helpful --query TEXT [--undo]`: the same verdicts the panel's
// buttons give, kept in the store (core/feedback), so every front door honours them — "not relevant"
// hides the memory when that query is recalled again (CLI, MCP, LM tools, @dejafix, panel) and lowers
// it a bounded amount elsewhere; "helpful" lifts it. `--undo` takes a verdict back.
import type { Command } from 'commander';
import { giveVerdict, verdictText, verdictWords, type VerdictKind } from '../../core/feedback/verdict';
import type { ExperienceStore } from '../../core/store';
import { CliError, EXIT } from '../exit';
import { json } from '../io';
import { openStore, UNSAFE_SINGLE_WRITER_HELP } from '../store';
import type { Ctx } from '../context';

interface FeedbackOpts {
  notRelevant?: boolean;
  helpful?: boolean;
  undo?: boolean;
  query?: string;
  store?: string;
  json?: boolean;
}

/** Longer than any query recall reads (16,000 characters), short enough to refuse a pasted file. */
const MAX_QUERY = 100_000;

export function registerFeedback(program: Command, ctx: Ctx): void {
  program
    .command('feedback')
    .description(
      'Say a recalled past repair (or lesson) was not relevant or helped, for the issue text it was recalled for; --undo takes it back.',
    )
    .argument('<id>', 'episode id, its source id (e.g. a SWE-bench instance_id), or insight id, as `dejafix recall --json` shows')
    .option('--not-relevant', 'hide it when this query is recalled again, and rank it a little lower elsewhere')
    .option('--helpful', 'it helped: rank it a little higher')
    .option('--query <text>', 'the issue text it was recalled for (the same text you gave `dejafix recall`)')
    .option('--undo', 'take the verdict back')
    .option('--store <dir>', 'store folder or s3://, gs://, az:// URI (default: the per-user store; DEJAFIX_STORE overrides)')
    .option('--unsafe-single-writer', UNSAFE_SINGLE_WRITER_HELP)
    .option('--json', 'print what was done as JSON')
    .action(async (id: string, opts: FeedbackOpts) => {
      const kind = verdictOf(opts);
      const query = queryOf(opts.query);
      const store = await openStore(opts, 'write', ctx.logger(false));
      try {
        ctx.exitCode = await feedback(store, id, kind, query, opts, ctx);
      } finally {
        store.close();
      }
    });
}

function verdictOf(opts: FeedbackOpts): VerdictKind {
  if (opts.notRelevant && opts.helpful) throw new CliError('give one verdict: --not-relevant or --helpful, not both');
  if (!opts.notRelevant && !opts.helpful) throw new CliError('give a verdict: --not-relevant or --helpful');
  return opts.notRelevant ? 'not-relevant' : 'helpful';
}

function queryOf(q: string | undefined): string {
  if (q === undefined) throw new CliError('--query TEXT is needed: the issue text the memory was recalled for');
  if (!q.trim()) throw new CliError('--query is empty: give the issue text the memory was recalled for');
  if (q.length > MAX_QUERY) throw new CliError(`--query is ${q.length} characters; at most ${MAX_QUERY} (recall reads the first 16,000)`);
  return q;
}

async function feedback(
  store: ExperienceStore,
  id: string,
  kind: VerdictKind,
  query: string,
  opts: FeedbackOpts,
  ctx: Ctx,
): Promise<number> {
  const r = await giveVerdict(store, { id, verdict: kind, query, undo: opts.undo });
  if (!r) throw new CliError(`not found: ${JSON.stringify(id.slice(0, 200))}; check the id with \`dejafix recall --json\``);
  if (opts.json) ctx.io.out(json({ id: r.subject, kind: r.subjectKind, verdict: r.verdict, undone: r.undone }));
  else if (opts.undo && !r.undone)
    ctx.io.err(`Nothing to undo: ${r.subjectKind} ${r.subject} was not marked ${verdictWords(kind)} for this query.\n`);
  else ctx.io.out(`${verdictText(r, '--undo')}\n`);
  return opts.undo && !r.undone ? EXIT.partial : EXIT.ok;
}
