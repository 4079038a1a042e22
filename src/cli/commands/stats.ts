import type { Command } from 'commander';
import { episodeOutcomes } from '../../core/model/episode';
import { insightStatuses } from '../../core/model/insight';
import { sqlString } from '../../core/store';
import { json } from '../io';
import { openStore } from '../store';
import type { Ctx } from '../context';

export function registerStats(program: Command, ctx: Ctx): void {
  program
    .command('stats')
    .description('Count what the store holds: episodes by outcome and repository, attempts, insights.')
    .option('--store <dir>', 'store folder (default: the per-user store; DEJAFIX_STORE overrides)')
    .option('--json', 'print as JSON')
    .action(async (opts: { store?: string; json?: boolean }) => {
      const store = await openStore(opts, 'read', ctx.logger(false));
      try {
        const count = (t: 'episodes' | 'attempts' | 'insights', col: string, v: string) => store.count(t, `${col} = ${sqlString(v)}`);
        const repos = new Map<string, number>();
        for (const r of await store.table('episodes').query().select(['repo']).toArray()) repos.set(String(r.repo), (repos.get(String(r.repo)) ?? 0) + 1);
        const s = {
          store: store.dir,
          schemaVersion: store.schemaVersion,
          episodes: await store.count('episodes'),
          byOutcome: Object.fromEntries(await Promise.all(episodeOutcomes.map(async (o) => [o, await count('episodes', 'outcome', o)]))),
          attempts: await store.count('attempts'),
          attemptsByOutcome: Object.fromEntries(await Promise.all(['passed', 'failed', 'unknown'].map(async (o) => [o, await count('attempts', 'outcome', o)]))),
          insights: await store.count('insights'),
          insightsByStatus: Object.fromEntries(await Promise.all(insightStatuses.map(async (o) => [o, await count('insights', 'status', o)]))),
          repos: Object.fromEntries([...repos].sort((a, b) => b[1] - a[1])),
        };
        if (opts.json) {
          ctx.io.out(json(s));
          return;
        }
        const kv = (o: Record<string, number>) => Object.entries(o).map(([k, v]) => `${k} ${v}`).join(', ');
        ctx.io.out(`Store ${s.store} (schema ${s.schemaVersion})\n`);
        ctx.io.out(`Episodes: ${s.episodes} (${kv(s.byOutcome)})\nAttempts: ${s.attempts} (${kv(s.attemptsByOutcome)})\nInsights: ${s.insights} (${kv(s.insightsByStatus)})\n`);
        const top = [...repos].sort((a, b) => b[1] - a[1]).slice(0, 10);
        if (top.length) ctx.io.out(`Repositories: ${top.map(([r, n]) => `${r} ${n}`).join(', ')}${repos.size > 10 ? `, … ${repos.size - 10} more` : ''}\n`);
      } finally {
        store.close();
      }
    });
}
