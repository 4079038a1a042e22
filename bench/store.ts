// bench:store — ingest throughput of the experience store for 10k episodes built from the real
// SWE-bench Lite data (../shared/bench). Embedding excluded (the built-in model embeds ~14 issues a second, measured apart); redaction,
// validation, parsing and LanceDB writes included: it runs the same path as `dejafix import`.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { episodeLine, importLines, lineParser } from '../src/core/ingest';
import { ExperienceStore } from '../src/core/store';
import { perturbedEpisodes } from './corpus';
import { machineLine, median } from './machine';

const N = Number(process.env.BENCH_EPISODES ?? 10_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'dejafix-bench-store-'));
  try {
    const episodes = perturbedEpisodes(N);
    const file = join(dir, 'episodes.jsonl');
    writeFileSync(file, episodes.map((e) => `${episodeLine(e)}\n`).join(''));
    const mb = readFileSync(file).length / 1e6;
    const { parse } = await lineParser('jsonl');
    const fresh: number[] = [];
    const again: number[] = [];
    for (let r = 0; r < RUNS; r++) {
      const store = await ExperienceStore.open(join(dir, `store-${r}`));
      let t = performance.now();
      const rep = await importLines(store, file, parse, { batchSize: 1000 });
      fresh.push(performance.now() - t);
      if (rep.episodes.inserted !== N || rep.errors)
        throw new Error(`expected ${N} new episodes, got ${JSON.stringify(rep.episodes)} and ${rep.errors} errors`);
      t = performance.now();
      const rep2 = await importLines(store, file, parse, { batchSize: 1000 });
      again.push(performance.now() - t);
      if (rep2.episodes.updated !== N) throw new Error('re-import did not update every episode');
      if ((await store.count('episodes')) !== N) throw new Error('duplicates after re-import');
      store.close();
    }
    const rate = (ms: number) => Math.round(N / (ms / 1000));
    console.log(`bench:store — ${new Date().toISOString().slice(0, 10)} — ${machineLine()}`);
    console.log(`input: ${N} episodes from SWE-bench Lite (${mb.toFixed(1)} MB JSONL), batches of 1000, ${RUNS} runs, median`);
    console.log(
      `import into an empty store: ${rate(median(fresh))} episodes/s (${(median(fresh) / 1000).toFixed(2)} s; runs ${fresh.map((m) => rate(m)).join(', ')})`,
    );
    console.log(
      `re-import (all updates):    ${rate(median(again))} episodes/s (${(median(again) / 1000).toFixed(2)} s; runs ${again.map((m) => rate(m)).join(', ')})`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
