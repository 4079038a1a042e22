// `dejafix share` and `dejafix sync`: thin front doors onto core/team (share with review, sync as a replica).
import { createInterface } from 'node:readline/promises';
import { basename } from 'node:path';
import type { Command } from 'commander';
import { repoIdFor } from '../../core/capture/repoId';
import { ExperienceStore } from '../../core/store';
import {
  TeamError,
  applyFeedbackShare,
  applyShare,
  planFeedbackShare,
  planShare,
  renderPlan,
  shareCounts,
  sharerIdentity,
  syncFromTeam,
  teamLocation,
  type FeedbackShare,
} from '../../core/team';
import { CliError, EXIT } from '../exit';
import { json } from '../io';
import { openStore, remoteOptions, teamStoreError, UNSAFE_SINGLE_WRITER_HELP } from '../store';
import type { Ctx } from '../context';
import { embedPulled, repoDirArg, shareToRepo, syncFromRepoCli } from './teamRepo';
import { addEmbedOptions, embedderFrom, type EmbedOpts } from '../embedder';

interface TeamOpts extends Partial<EmbedOpts> {
  store?: string;
  team?: string;
  yes?: boolean;
  json?: boolean;
  resolved?: boolean;
  feedback?: boolean;
  since?: string;
  as?: string;
  unsafeSingleWriter?: boolean;
  toRepo?: string | boolean;
  fromRepo?: string | boolean;
}

export function registerTeam(program: Command, ctx: Ctx): void {
  program
    .command('share')
    .description(
      'Share episodes or insights with a team store, after review: shows exactly what will be written (re-redacted) and asks once.',
    )
    .argument('[ids...]', 'episode ids, source ids or insight ids')
    .option('--team <uri>', 'team store: s3://bucket/prefix, gs://…, az://… or a shared folder (DEJAFIX_TEAM overrides)')
    .option(
      '--to-repo [dir]',
      "write to the repository's .dejafix/ folder instead (default: the current repository), for review in a pull request",
    )
    .option('--resolved', 'share your own resolved episodes')
    .option(
      '--feedback',
      'share only your feedback on repairs the team store holds (always sent along with any share; no query text or session)',
    )
    .option('--since <date>', 'with --resolved: only episodes created on or after this date')
    .option('--as <name>', 'who is sharing (default: git user.name <user.email>)')
    .option('--unsafe-single-writer', UNSAFE_SINGLE_WRITER_HELP)
    .option('-y, --yes', 'do not ask (required when stdin is not a terminal)')
    .option('--store <dir>', 'local store folder (default: the per-user store; DEJAFIX_STORE overrides)')
    .option('--json', 'print the result as JSON')
    .action(async (ids: string[], opts: TeamOpts) => {
      ctx.exitCode = await share(ids, opts, ctx);
    });
  const syncCmd = program
    .command('sync')
    .description('Pull new and changed team records into the local store (a replica recall reads offline).')
    .option('--team <uri>', 'team store: s3://bucket/prefix, gs://…, az://… or a shared folder (DEJAFIX_TEAM overrides)')
    .option('--from-repo [dir]', "import the repository's .dejafix/ folder instead (default: the current repository)")
    .option('--as <name>', 'who you are in the team, for feedback counts (default: git user.name <user.email>)')
    .option('--store <dir>', 'local store folder (default: the per-user store; DEJAFIX_STORE overrides)')
    .option('--json', 'print the result as JSON')
    .action(async (opts: TeamOpts) => {
      if (opts.fromRepo !== undefined) {
        ctx.exitCode = await syncFromRepoCli(repoDirArg(opts.fromRepo), opts, ctx);
        return;
      }
      const location = teamArg(opts);
      const embedder = embedderFrom(opts as EmbedOpts, ctx.logger(false));
      const local = await openStore(opts, 'write', ctx.logger(false));
      try {
        const team = await openTeam(location, 'read', ctx, opts);
        try {
          const member = await sharerIdentity(process.cwd(), opts.as ?? process.env.DEJAFIX_TEAM_NAME);
          const { pulledEpisodeIds, ...r } = await syncFromTeam(local, team, location, { member });
          const embedded = await embedPulled(local, embedder, pulledEpisodeIds ?? [], ctx);
          ctx.io.out(
            opts.json
              ? json({ ...r, embedded })
              : `Pulled ${r.pulled} record(s) (${r.unchanged} unchanged, ${r.keptOwn} kept as your own), forgot ${r.forgotten}.${
                  r.feedbackSynced ? ` Teammates' feedback: ${r.feedbackSynced} change(s).` : ''
                }\n`,
          );
        } finally {
          team.close();
        }
      } finally {
        local.close();
        await embedder?.dispose();
      }
    });
  addEmbedOptions(syncCmd);
}

async function share(ids: string[], opts: TeamOpts, ctx: Ctx): Promise<number> {
  if (!ids.length && !opts.resolved && !opts.feedback) throw new CliError('nothing to share: give ids, --resolved or --feedback');
  if (opts.feedback && opts.toRepo !== undefined)
    throw new CliError("--feedback goes to a team store: the repository's .dejafix/ folder holds no feedback");
  let since: string | undefined;
  if (opts.since !== undefined) {
    if (!opts.resolved) throw new CliError('--since goes with --resolved');
    const t = Date.parse(opts.since);
    if (Number.isNaN(t)) throw new CliError(`--since: not a date: ${opts.since.slice(0, 60)}`);
    since = new Date(t).toISOString();
  }
  if (opts.toRepo !== undefined) return shareToRepo(repoDirArg(opts.toRepo), { ids, resolved: opts.resolved, since }, opts, ctx);
  const location = teamArg(opts);
  const local = await openStore(opts, 'read', ctx.logger(false));
  try {
    const team = await openTeam(location, 'write', ctx, opts);
    try {
      const cwd = process.cwd();
      const who = { by: await sharerIdentity(cwd, opts.as ?? process.env.DEJAFIX_TEAM_NAME), repo: repoIdFor(undefined, basename(cwd)) };
      const plan = await planShare(local, team, { ids, resolved: opts.resolved, since }, who);
      const feedback = await planFeedbackShare(local, team, who.by);
      ctx.io.err(renderPlan(plan, location) + feedbackLine(feedback, who.by));
      const todo = plan.items.filter((i) => i.status !== 'unchanged').length;
      const credits = feedback.rows.length + feedback.stale.length;
      if (todo + credits > 0 && !opts.yes) {
        const what = [todo ? `${todo} record(s)` : '', credits ? `${credits} feedback change(s)` : ''].filter(Boolean).join(' and ');
        if (!process.stdin.isTTY)
          throw new CliError(`refusing to share ${what} without confirmation: review the list above and pass --yes`);
        const rl = createInterface({ input: process.stdin, output: process.stderr });
        const answer = await rl.question(`Write ${what} to the team store? [y/N] `);
        rl.close();
        if (!/^y(es)?$/i.test(answer.trim())) {
          ctx.io.err('Nothing was shared.\n');
          return EXIT.ok;
        }
      }
      const r = await applyShare(team, plan, local);
      // Feedback counts travel as this member's contribution, also for teammates' insights (counted once each).
      await shareCounts(
        local,
        team,
        [...plan.items.filter((i) => i.kind === 'insight').map((i) => i.id), ...plan.skipped.map((s) => s.id)],
        who.by,
      );
      const feedbackWritten = await applyFeedbackShare(team, feedback);
      ctx.io.out(
        opts.json
          ? json({ ...r, feedbackWritten, ids: plan.items.map((i) => i.id), skipped: plan.skipped, notFound: plan.notFound })
          : `Shared ${r.written} record(s); ${r.unchanged} already up to date.${feedbackWritten ? ` Feedback: ${feedbackWritten} change(s).` : ''}\n`,
      );
      return plan.notFound.length || plan.skipped.length ? EXIT.partial : EXIT.ok;
    } finally {
      team.close();
    }
  } finally {
    local.close();
  }
}

/** The plan's line for feedback: what of it goes, and that no query text or session does. */
function feedbackLine(f: FeedbackShare, member: string): string {
  if (!f.rows.length && !f.stale.length) return '';
  const parts = [
    f.rows.length ? `${f.rows.length} credit(s) on ${f.repairs} team repair(s)` : '',
    f.stale.length ? `${f.stale.length} taken back` : '',
  ];
  return `Your feedback, as ${member}: ${parts.filter(Boolean).join(', ')} (helped / harmed / used and when; no query text, no session).\n`;
}

function teamArg(opts: TeamOpts): string {
  try {
    return teamLocation(opts.team ?? process.env.DEJAFIX_TEAM);
  } catch (e) {
    if (e instanceof TeamError) throw new CliError(e.message);
    throw e;
  }
}

function openTeam(location: string, mode: 'read' | 'write', ctx: Ctx, opts: TeamOpts): Promise<ExperienceStore> {
  return ExperienceStore.open(location, { mode, log: ctx.logger(false), remote: remoteOptions(opts), shared: true }).catch((e: unknown) => {
    throw teamStoreError(e);
  });
}
