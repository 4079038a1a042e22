// `dejafix share --to-repo` and `dejafix sync --from-repo`: the repository's `.dejafix/` folder as
// a team memory reviewed in pull requests; and embedding what a sync pulled, so recall by vector finds it.
import { createInterface } from 'node:readline/promises';
import { vectorizePending } from '../../core/recall/vectorize';
import type { ExperienceStore } from '../../core/store';
import { TeamError, applyRepoShare, issueText, planRepoShare, renderPlan, repoRootOf, sharerIdentity, syncFromRepo } from '../../core/team';
import { errorText } from '../../core/util/errors';
import { embedderFrom, type EmbedOpts } from '../embedder';
import { CliError, EXIT } from '../exit';
import { json, progressReporter } from '../io';
import { openStore } from '../store';
import type { Ctx } from '../context';

export interface RepoOpts extends Partial<EmbedOpts> {
  store?: string;
  yes?: boolean;
  json?: boolean;
  as?: string;
  unsafeSingleWriter?: boolean;
}

/** `--to-repo` / `--from-repo` given without a folder: the current directory's repository. */
export function repoDirArg(v: string | boolean): string {
  return typeof v === 'string' ? v : process.cwd();
}

export async function shareToRepo(
  dir: string,
  sel: { ids: string[]; resolved?: boolean; since?: string },
  opts: RepoOpts,
  ctx: Ctx,
): Promise<number> {
  const { root, repoId } = await repoRootOf(dir);
  const local = await openStore(opts, 'read', ctx.logger(false));
  try {
    const who = { by: await sharerIdentity(root, opts.as ?? process.env.DEJAFIX_TEAM_NAME), repo: repoId };
    const plan = await guard(() => planRepoShare(local, root, sel, who));
    ctx.io.err(renderPlan(plan, `${root}/.dejafix`).replace(/^Share with team store /, 'Share to the repository folder '));
    for (const i of plan.folderIssues) ctx.io.err(`warning: ${issueText(i)}\n`);
    const todo = plan.items.filter((i) => i.status !== 'unchanged').length;
    if (todo > 0 && !opts.yes) {
      if (!process.stdin.isTTY)
        throw new CliError(`refusing to write ${todo} record(s) to .dejafix/ without confirmation: review the list above and pass --yes`);
      const rl = createInterface({ input: process.stdin, output: process.stderr });
      const answer = await rl.question(`Write ${todo} record(s) to ${root}/.dejafix? [y/N] `);
      rl.close();
      if (!/^y(es)?$/i.test(answer.trim())) {
        ctx.io.err('Nothing was written.\n');
        return EXIT.ok;
      }
    }
    const r = await guard(() => applyRepoShare(plan));
    ctx.io.out(
      opts.json
        ? json({ ...r, ids: plan.items.map((i) => i.id), skipped: plan.skipped, notFound: plan.notFound })
        : `Wrote ${r.written} record(s) to .dejafix/ (${r.files.join(', ') || 'no files changed'}); ${r.unchanged} already up to date. Commit them for review.\n`,
    );
    return plan.notFound.length || plan.skipped.length ? EXIT.partial : EXIT.ok;
  } finally {
    local.close();
  }
}

export async function syncFromRepoCli(dir: string, opts: RepoOpts, ctx: Ctx): Promise<number> {
  const { root, repoId } = await repoRootOf(dir);
  const log = ctx.logger(false);
  const embedder = opts.embedder ? embedderFrom(opts as EmbedOpts, log) : undefined;
  const local = await openStore(opts, 'write', log);
  try {
    const r = await guard(() => syncFromRepo(local, root, repoId));
    for (const i of r.issues) ctx.io.err(`${issueText(i)}\n`);
    if (r.forgetDeferred)
      ctx.io.err(
        `${r.forgetDeferred} record(s) no longer in .dejafix/ were kept because some lines could not be read; fix them and sync again.\n`,
      );
    const embedded = await embedPulled(local, embedder, r.pulledEpisodeIds, ctx);
    const { pulledEpisodeIds: _ids, issues, ...rest } = r;
    ctx.io.out(
      opts.json
        ? json({ ...rest, embedded, errors: issues.map(issueText) })
        : `Imported ${r.pulled} record(s) from ${root}/.dejafix (${r.unchanged} unchanged, ${r.keptOwn} kept as your own), forgot ${r.forgotten}; ${issues.length} bad line(s).\n`,
    );
    return issues.length ? EXIT.partial : EXIT.ok;
  } finally {
    local.close();
    await embedder?.dispose();
  }
}

/** Embeds the episodes a sync wrote; a failing model leaves them to lexical recall (and the next import/sync embeds them). */
export async function embedPulled(
  local: ExperienceStore,
  embedder: ReturnType<typeof embedderFrom>,
  ids: string[],
  ctx: Ctx,
): Promise<number> {
  if (!embedder || ids.length === 0) return 0;
  const progress = progressReporter(ctx.io);
  try {
    const v = await vectorizePending(local, embedder, {
      ids,
      onProgress: (p) => progress.update(`embedding with ${embedder.id}: ${p.done}/${p.total}`),
    });
    return v.done;
  } catch (e) {
    ctx.io.err(
      `warning: synced records were not embedded (${errorText(e)}); recall finds them by text until the next sync or import embeds them.\n`,
    );
    return 0;
  } finally {
    progress.done();
  }
}

async function guard<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    if (e instanceof TeamError) throw new CliError(e.message);
    throw e;
  }
}
