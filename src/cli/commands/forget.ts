import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import type { ExperienceStore } from '../../core/store';
import { findRecords } from '../../core/store/queries';
import { CliError, EXIT } from '../exit';
import { json } from '../io';
import { openStore, UNSAFE_SINGLE_WRITER_HELP } from '../store';
import type { Ctx } from '../context';

interface ForgetOpts {
  store?: string;
  yes?: boolean;
  dryRun?: boolean;
  json?: boolean;
}

export function registerForget(program: Command, ctx: Ctx): void {
  program
    .command('forget')
    .description('Delete episodes (with their attempts) or insights by id or source id. Asks first unless --yes.')
    .argument('<ids...>', 'episode ids, insight ids, or source ids (e.g. a SWE-bench instance_id)')
    .option('-y, --yes', 'do not ask for confirmation (required when stdin is not a terminal)')
    .option('--dry-run', 'show what would be forgotten and stop')
    .option('--store <dir>', 'store folder or s3://, gs://, az:// URI (default: the per-user store; DEJAFIX_STORE overrides)')
    .option('--unsafe-single-writer', UNSAFE_SINGLE_WRITER_HELP)
    .option('--json', 'print what was forgotten as JSON')
    .action(async (args: string[], opts: ForgetOpts) => {
      const store = await openStore(opts, 'read', ctx.logger(false));
      try {
        ctx.exitCode = await forget(store, args, opts, ctx);
      } finally {
        store.close();
      }
    });
}

async function forget(store: ExperienceStore, args: string[], opts: ForgetOpts, ctx: Ctx): Promise<number> {
  const { episodes, insights, ids, notFound: unknown } = await findRecords(store, args);
  for (const u of unknown) ctx.io.err(`not found: ${u}\n`);
  const total = episodes.length + insights.length;
  if (total === 0) throw new CliError('nothing matches; check the ids with `dejafix recall --json` or `dejafix export`');
  if (!opts.json || opts.dryRun) {
    for (const e of episodes) ctx.io.err(`episode ${e.id}: ${String(e.title).slice(0, 100)}\n`);
    for (const i of insights) ctx.io.err(`insight ${i.id}: ${String(i.text).slice(0, 100)}\n`);
  }
  if (opts.dryRun) {
    if (opts.json)
      ctx.io.out(json({ dryRun: true, wouldForget: { episodes: episodes.length, insights: insights.length }, ids, notFound: unknown }));
    return EXIT.ok;
  }
  if (!opts.yes) {
    if (!process.stdin.isTTY) throw new CliError(`refusing to forget ${total} record(s) without confirmation: pass --yes`);
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    const answer = await rl.question(
      `Forget ${episodes.length} episode(s) and ${insights.length} insight(s)? This cannot be undone. [y/N] `,
    );
    rl.close();
    if (!/^y(es)?$/i.test(answer.trim())) {
      ctx.io.err('Nothing was forgotten.\n');
      return EXIT.ok;
    }
  }
  const done = await store.forget(ids);
  if (opts.json) ctx.io.out(json({ forgotten: done, ids, notFound: unknown }));
  else
    ctx.io.out(
      `Forgot ${done.episodes} episode(s) and ${done.insights} insight(s); the store was compacted and its old versions removed, so their text is gone from disk.\n`,
    );
  return unknown.length ? EXIT.partial : EXIT.ok;
}
