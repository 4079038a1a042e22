import type { Command } from 'commander';
import { applyFeedback, approveInsight, editInsight, InsightError, retireInsight } from '../../core/reflect';
import { insightRoles, insightStatuses, type Insight, type InsightRole, type InsightStatus } from '../../core/model/insight';
import { insightsFor } from '../../core/store/queries';
import type { ExperienceStore } from '../../core/store';
import { CliError, EXIT } from '../exit';
import { json } from '../io';
import { openStore, UNSAFE_SINGLE_WRITER_HELP } from '../store';
import type { Ctx } from '../context';

interface CommonOpts {
  store?: string;
  json?: boolean;
}

interface ListOpts extends CommonOpts {
  status?: string;
  role?: string;
  scope?: string;
  all?: boolean;
}

export function registerInsights(program: Command, ctx: Ctx): void {
  const cmd = program
    .command('insights')
    .description('List and curate the lessons (insights): approve proposed ones, edit, retire, or say whether one helped.');
  const common = (c: Command) =>
    c
      .option('--store <dir>', 'store folder or s3://, gs://, az:// URI (default: the per-user store; DEJAFIX_STORE overrides)')
      .option('--unsafe-single-writer', UNSAFE_SINGLE_WRITER_HELP)
      .option('--json', 'print JSON');

  common(
    cmd
      .command('list')
      .description('List the lessons, strongest first (retired ones only with --all or --status retired).')
      .option('--status <status>', `only this status: ${insightStatuses.join(', ')}`)
      .option('--role <role>', `only this role: ${insightRoles.join(', ')}`)
      .option('--scope <scope>', 'only this scope: a repository such as github.com/acme/invoices, or global')
      .option('--all', 'include retired lessons'),
  ).action(async (opts: ListOpts) => {
    if (opts.status && !(insightStatuses as readonly string[]).includes(opts.status))
      throw new CliError(`unknown --status ${opts.status}; use one of ${insightStatuses.join(', ')}`);
    if (opts.role && !(insightRoles as readonly string[]).includes(opts.role))
      throw new CliError(`unknown --role ${opts.role}; use one of ${insightRoles.join(', ')}`);
    await withStore(opts, 'read', ctx, async (store) => {
      const status = opts.status ? [opts.status as InsightStatus] : opts.all ? insightStatuses : undefined;
      const list = await insightsFor(store, {
        status,
        ...(opts.role ? { roles: [opts.role as InsightRole] } : {}),
        ...(opts.scope ? { scope: opts.scope } : {}),
      });
      if (opts.json) ctx.io.out(json({ insights: list }));
      else if (list.length === 0) ctx.io.out('No lessons match.\n');
      else for (const i of list) ctx.io.out(line(i));
    });
  });

  const change = (
    name: string,
    description: string,
    run: (store: ExperienceStore, id: string, arg?: string) => Promise<Insight>,
    arg?: string,
  ) => {
    const c = cmd.command(`${name} <id>${arg ? ` <${arg}>` : ''}`).description(description);
    common(c).action(async (id: string, second: string | CommonOpts, third?: CommonOpts) => {
      const opts = (arg ? third : second) as CommonOpts;
      const value = arg ? (second as string) : undefined;
      await withStore(opts, 'write', ctx, async (store) => {
        const i = await run(store, id, value);
        ctx.io.out(opts.json ? json({ insight: i }) : `${line(i)}`);
      });
    });
  };
  change('approve', 'Make a proposed (or retired) lesson active: recall and prompts use it from now on.', (s, id) => approveInsight(s, id));
  change('retire', 'Retire a lesson: it is no longer used (approve brings it back).', (s, id) => retireInsight(s, id));
  change(
    'edit',
    "Replace a lesson's text (12-400 characters); an edited lesson counts as approved.",
    (s, id, text) => editInsight(s, id, text ?? ''),
    'text',
  );
  change(
    'feedback',
    'Say whether a lesson helped: "helpful" raises its importance, "not-helpful" lowers it (at 0 it is retired).',
    (s, id, verdict) => {
      if (verdict !== 'helpful' && verdict !== 'not-helpful')
        throw new CliError(`the verdict is "helpful" or "not-helpful", not ${JSON.stringify(String(verdict).slice(0, 40))}`);
      return applyFeedback(s, id, verdict);
    },
    'verdict',
  );
}

async function withStore(
  opts: CommonOpts,
  mode: 'read' | 'write',
  ctx: Ctx,
  work: (store: ExperienceStore) => Promise<void>,
): Promise<void> {
  const store = await openStore(opts, mode, ctx.logger(false));
  try {
    await work(store);
    ctx.exitCode = EXIT.ok;
  } catch (e) {
    if (e instanceof InsightError)
      throw new CliError(e.code === 'not-found' ? `${e.message} (\`dejafix insights list --all\` lists them all)` : e.message);
    throw e;
  } finally {
    store.close();
  }
}

function line(i: Insight): string {
  const flags = [i.status, i.role, `importance ${i.importance}`, i.scope, ...(i.stale ? ['stale'] : [])].join(' · ');
  return `${i.id}  [${flags}]\n  ${i.text.replace(/\s+/g, ' ')}\n`;
}
