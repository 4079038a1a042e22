import type { Command } from 'commander';
import { episodeOutcomes } from '../../core/model/episode';
import { insightStatuses } from '../../core/model/insight';
import { attemptOutcomes } from '../../core/model/attempt';
import { attemptCounts, countEpisodes, countInsights, episodesPerRepo } from '../../core/store/queries';
import { json } from '../io';
import { openStore, UNSAFE_SINGLE_WRITER_HELP } from '../store';
import type { Ctx } from '../context';

export function registerStats(program: Command, ctx: Ctx): void {
  program
    .command('stats')
    .description('Count what the store holds: episodes by outcome and repository, attempts, insights.')
    .option('--store <dir>', 'store folder or s3://, gs://, az:// URI (default: the per-user store; DEJAFIX_STORE overrides)')
    .option('--unsafe-single-writer', UNSAFE_SINGLE_WRITER_HELP)
    .option('--json', 'print as JSON')
    .action(async (opts: { store?: string; json?: boolean }) => {
      const store = await openStore(opts, 'read', ctx.logger(false));
      try {
        const repos = await episodesPerRepo(store);
        const attempts = await attemptCounts(store, attemptOutcomes);
        const s = {
          store: store.dir,
          schemaVersion: store.schemaVersion,
          episodes: await countEpisodes(store),
          byOutcome: Object.fromEntries(
            await Promise.all(episodeOutcomes.map(async (o) => [o, await countEpisodes(store, { outcome: o })])),
          ),
          attempts: attempts.total,
          attemptsByOutcome: attempts.byOutcome,
          insights: await countInsights(store),
          insightsByStatus: Object.fromEntries(
            await Promise.all(insightStatuses.map(async (o) => [o, await countInsights(store, { status: o })])),
          ),
          repos: Object.fromEntries([...repos].sort((a, b) => b[1] - a[1])),
        };
        if (opts.json) {
          ctx.io.out(json(s));
          return;
        }
        const kv = (o: Record<string, number>) =>
          Object.entries(o)
            .map(([k, v]) => `${k} ${v}`)
            .join(', ');
        ctx.io.out(`Store ${s.store} (schema ${s.schemaVersion})\n`);
        ctx.io.out(
          `Episodes: ${s.episodes} (${kv(s.byOutcome)})\nAttempts: ${s.attempts} (${kv(s.attemptsByOutcome)})\nInsights: ${s.insights} (${kv(s.insightsByStatus)})\n`,
        );
        const top = [...repos].sort((a, b) => b[1] - a[1]).slice(0, 10);
        if (top.length)
          ctx.io.out(
            `Repositories: ${top.map(([r, n]) => `${r} ${n}`).join(', ')}${repos.size > 10 ? `, … ${repos.size - 10} more` : ''}\n`,
          );
      } finally {
        store.close();
      }
    });
}
