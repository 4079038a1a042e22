// `dejafix team forget IDS… --team URI`: forgetting a shared record is a team action — it is removed
// from the team store and a tombstone makes every teammate's replica forget it on their next sync.
import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import { ExperienceStore } from '../../core/store';
import { findRecords } from '../../core/store/queries';
import { TeamError, forgetFromTeam, sharerIdentity, teamLocation } from '../../core/team';
import { CliError, EXIT } from '../exit';
import { json } from '../io';
import { remoteOptions, teamStoreError, UNSAFE_SINGLE_WRITER_HELP } from '../store';
import type { Ctx } from '../context';

interface Opts {
  team?: string;
  yes?: boolean;
  json?: boolean;
  as?: string;
  unsafeSingleWriter?: boolean;
}

export function registerTeamForget(program: Command, ctx: Ctx): void {
  const team = program.command('team').description('Team actions on the shared team store.');
  team
    .command('forget')
    .description(
      'Forget shared records for the whole team: removed from the team store, and from every replica at its next sync. Asks first unless --yes.',
    )
    .argument('<ids...>', 'episode or insight ids (or source ids) in the team store')
    .option('--team <uri>', 'team store: s3://bucket/prefix, gs://…, az://… or a shared folder (DEJAFIX_TEAM overrides)')
    .option('--as <name>', 'who is forgetting (default: git user.name <user.email>)')
    .option('--unsafe-single-writer', UNSAFE_SINGLE_WRITER_HELP)
    .option('-y, --yes', 'do not ask (required when stdin is not a terminal)')
    .option('--json', 'print what was forgotten as JSON')
    .action(async (ids: string[], opts: Opts) => {
      let location: string;
      try {
        location = teamLocation(opts.team ?? process.env.DEJAFIX_TEAM);
      } catch (e) {
        throw e instanceof TeamError ? new CliError(e.message) : e;
      }
      const store = await ExperienceStore.open(location, { mode: 'read', log: ctx.logger(false), remote: remoteOptions(opts) }).catch(
        (e: unknown) => {
          throw teamStoreError(e);
        },
      );
      try {
        ctx.exitCode = await forget(store, location, ids, opts, ctx);
      } finally {
        store.close();
      }
    });
}

async function forget(store: ExperienceStore, location: string, args: string[], opts: Opts, ctx: Ctx): Promise<number> {
  const { episodes, insights, ids, notFound: unknown } = await findRecords(store, args);
  for (const u of unknown) ctx.io.err(`not in the team store: ${u}\n`);
  const total = episodes.length + insights.length;
  if (total === 0) throw new CliError(`nothing matches in the team store ${location}; nothing was forgotten`);
  for (const e of episodes) ctx.io.err(`episode ${e.id}: ${String(e.title).slice(0, 100)}\n`);
  for (const i of insights) ctx.io.err(`insight ${i.id}: ${String(i.text).slice(0, 100)}\n`);
  if (!opts.yes) {
    if (!process.stdin.isTTY)
      throw new CliError(`refusing to forget ${total} record(s) for the whole team without confirmation: pass --yes`);
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    const answer = await rl.question(
      `Forget ${total} record(s) for everyone in the team ${location}? Teammates' replicas forget them at their next sync. [y/N] `,
    );
    rl.close();
    if (!/^y(es)?$/i.test(answer.trim())) {
      ctx.io.err('Nothing was forgotten.\n');
      return EXIT.ok;
    }
  }
  const by = await sharerIdentity(process.cwd(), opts.as ?? process.env.DEJAFIX_TEAM_NAME);
  const done = await forgetFromTeam(store, ids, by);
  ctx.io.out(
    opts.json
      ? json({ ...done, ids, notFound: unknown })
      : `Forgot ${done.episodes} episode(s) and ${done.insights} insight(s) for the team; replicas forget them at their next sync.\n`,
  );
  return unknown.length ? EXIT.partial : EXIT.ok;
}
