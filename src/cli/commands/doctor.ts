import { createInterface } from 'node:readline/promises';
import { stat } from 'node:fs/promises';
import type { Command } from 'commander';
import { needsRepair, runDoctor, type DoctorReport } from '../../core/store/doctor';
import { CliError, EXIT } from '../exit';
import { json, type Io } from '../io';
import { isRemoteStore } from '../../core/store';
import { looseModesWarning } from '../../core/store/privateModes';
import { remoteOptions, storeDir } from '../store';
import type { Ctx } from '../context';

interface DoctorOpts {
  store?: string;
  repair?: boolean;
  yes?: boolean;
  json?: boolean;
}

export function registerDoctor(program: Command, ctx: Ctx): void {
  program
    .command('doctor')
    .description(
      'Check every table of the store (open, count, read every row, use every index); with --repair, rebuild lost indexes, go back to the last readable version and remove the orphan attempts it reported (attempts whose episode is not stored). Never deletes other data.',
    )
    .option('--repair', 'repair what can be repaired (asks first unless --yes)')
    .option('-y, --yes', 'do not ask before repairing (required when stdin is not a terminal)')
    .option(
      '--store <dir>',
      'store folder or s3://, gs://, az:// URI (default: the per-user store; DEJAFIX_STORE overrides; --repair: folders only)',
    )
    .option('--json', 'print the report as JSON')
    .action(async (opts: DoctorOpts) => {
      const dir = storeDir(opts);
      const remote = isRemoteStore(dir);
      if (
        !remote &&
        !(await stat(dir).then(
          (s) => s.isDirectory(),
          () => false,
        ))
      )
        throw new CliError(`No Dejafix store at ${dir}; nothing to check.`, EXIT.store);
      let report = await runDoctor(dir, { remote: remoteOptions(opts) });
      if (opts.repair && needsRepair(report)) {
        if (!opts.json) print(ctx.io, report);
        if (!(await confirmed(opts, report))) {
          ctx.io.err('Nothing was changed.\n');
          ctx.exitCode = EXIT.store;
          return;
        }
        report = await runDoctor(dir, { repair: true, remote: remoteOptions(opts), orphansOf: report.orphans.episodeIds });
      }
      if (opts.json) ctx.io.out(json(report));
      else print(ctx.io, report);
      ctx.exitCode = report.damaged.length ? EXIT.store : EXIT.ok;
    });
}

async function confirmed(opts: DoctorOpts, r: DoctorReport): Promise<boolean> {
  if (opts.yes) return true;
  const what = [
    ...r.damaged,
    ...(r.orphans.attempts ? [`${r.orphans.attempts} orphan attempt(s)`] : []),
    ...(r.modes ? ['the file modes (made private: folders 0700, files 0600)'] : []),
  ].join(', ');
  if (!process.stdin.isTTY) throw new CliError(`refusing to repair ${what} without confirmation: pass --yes`);
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  const answer = await rl.question(`Repair ${what}? Damaged versions are set aside, not deleted; orphan attempts are deleted. [y/N] `);
  rl.close();
  return /^y(es)?$/i.test(answer.trim());
}

function print(io: Io, r: DoctorReport): void {
  io.out(`Store ${r.store}\n`);
  for (const t of r.tables) io.out(`  ${t.table}: ${t.state === 'ok' ? `ok (${t.rows} rows)` : `${t.state}: ${t.problem}`}\n`);
  for (const x of r.repairs) io.out(`  repaired ${x.table}: ${x.action}\n`);
  if (r.madePrivate) io.out(`  made ${r.madePrivate} folder(s) and file(s) private (folders 0700, files 0600)\n`);
  if (r.modes) io.err(`warning: ${looseModesWarning(r.store, r.modes)}\n`);
  if (r.removedOrphans) io.out(`  removed ${r.removedOrphans} orphan attempt(s) whose episode is not stored\n`);
  if (r.orphans.attempts)
    io.out(
      `  attempts: ${r.orphans.attempts} orphan attempt(s) whose episode is not stored (a save cut off by a crash, or an episode lost to damage), of ${r.orphans.episodeIds.slice(0, 5).join(', ')}${r.orphans.episodeIds.length > 5 ? ', …' : ''}. Nothing shows them; re-importing those episodes attaches them again, \`dejafix doctor --repair\` removes them.\n`,
    );
  if (r.damaged.length)
    io.out(
      `Damaged: ${r.damaged.join(', ')}.${r.repairs.length ? '' : ' Run `dejafix doctor --repair` to repair what can be repaired.'}\n`,
    );
  else if (!r.orphans.attempts) io.out('Every table reads in full.\n');
}
