import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { ExperienceStore } from '../../src/core/store';
import { episodeLine } from '../../src/core/ingest';
import { recall as recallFullText } from '../../src/core/recall/recall';
import { CLI, runCli } from '../helpers/cli';
import { useTempDir } from '../helpers/tmp';
import { makeAttempt, makeEpisode } from '../helpers/records';

const TOTAL = 6000;
const BATCH = 200;

function episode(i: number) {
  const id = `crash-${i}`;
  const e = makeEpisode({
    id,
    issue: { title: `Issue number ${i}`, body: `body ${i} `.repeat(50) },
    finalPatch: `diff --git a/f${i}.py b/f${i}.py\n+${'x'.repeat(2000)}\n`,
  });
  return e;
}

async function writeInput(file: string): Promise<void> {
  const out = createWriteStream(file);
  for (let i = 0; i < TOTAL; i++) if (!out.write(`${episodeLine(episode(i))}\n`)) await once(out, 'drain');
  out.end();
  await once(out, 'finish');
}

describe('crash: an import killed with SIGKILL', () => {
  const tmp = useTempDir();

  it('leaves only whole committed batches, and a re-run completes the import', async () => {
    const input = join(tmp.path, 'big.jsonl');
    const dir = join(tmp.path, 'store');
    await writeInput(input);
    // one episode with attempts, to check nothing half-written survives either
    const seed = await ExperienceStore.open(dir);
    const keep = makeEpisode({ id: 'pre-existing' });
    keep.attempts = [makeAttempt('pre-existing')];
    await seed.upsertEpisodes([keep]);

    const child = spawn(process.execPath, [CLI, 'import', '--store', dir, '--embedder', 'none', '--batch-size', String(BATCH), input], {
      stdio: 'ignore',
    });
    // kill it once a few batches are in, while it is still importing
    let seen = 0;
    for (let i = 0; i < 600 && seen < 3 * BATCH; i++) {
      await new Promise((r) => setTimeout(r, 25));
      seen = (await seed.count('episodes')) - 1;
    }
    child.kill('SIGKILL');
    await once(child, 'close');
    seed.close();

    const store = await ExperienceStore.open(dir);
    try {
      const count = (await store.count('episodes')) - 1;
      assert.ok(count >= 3 * BATCH && count < TOTAL, `killed mid-import (had ${count} of ${TOTAL})`);
      assert.equal(count % BATCH, 0, `only whole batches: ${count} is a multiple of ${BATCH}`);
      assert.deepEqual(await store.getEpisode('pre-existing'), keep);
      // each committed row is whole
      for (const i of [0, count - 1]) assert.deepEqual(await store.getEpisode(`crash-${i}`), episode(i));
      // reopening for writing indexed the rows the killed import left outside the full-text index
      assert.equal((await store.table('episodes').indexStats('issueText_idx'))?.numUnindexedRows, 0);
      const hits = await recallFullText(store, { text: `issue number ${count - 1}`, k: 1, minRelevance: 0 });
      assert.equal(hits[0]?.episodeId, `crash-${count - 1}`);
    } finally {
      store.close();
    }

    const rerun = await runCli(['import', '--store', dir, '--embedder', 'none', '--batch-size', String(BATCH), input]);
    assert.equal(rerun.code, 0, rerun.stderr);
    const done = await ExperienceStore.open(dir, { mode: 'read' });
    try {
      assert.equal(await done.count('episodes'), TOTAL + 1);
      const ids = (await done.table('episodes').query().select(['id']).toArray()).map((r) => String(r.id));
      assert.equal(new Set(ids).size, ids.length, 'no duplicates after the re-run');
      assert.deepEqual(await done.getEpisode(`crash-${TOTAL - 1}`), episode(TOTAL - 1));
    } finally {
      done.close();
    }
  });
});
