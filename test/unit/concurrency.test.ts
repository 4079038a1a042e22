import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ExperienceStore } from '../../src/core/store';
import { useTempDir } from '../helpers/tmp';
import { makeInsight } from '../helpers/records';

function runWriter(dir: string, who: number, rounds: number, ids: number): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ['--require', 'tsx/cjs', join(__dirname, '../workers/writer.ts'), dir, String(who), String(rounds), String(ids)],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

describe('concurrency: three processes writing one store', () => {
  const tmp = useTempDir();

  it('keeps exactly one row per id and loses no increment', async () => {
    const seed = await ExperienceStore.open(tmp.path);
    await seed.upsertInsights([makeInsight({ id: 'counter-a', importance: 0 }), makeInsight({ id: 'counter-b', importance: 10 })]);
    seed.close();

    const rounds = 12;
    const ids = 25;
    const results = await Promise.all([0, 1, 2].map((w) => runWriter(tmp.path, w, rounds, ids)));
    for (const r of results) assert.equal(r.code, 0, r.stderr);

    const store = await ExperienceStore.open(tmp.path, { mode: 'read' });
    try {
      const rows = await store.table('episodes').query().select(['id']).toArray();
      const seen = rows.map((r) => String(r.id));
      assert.equal(seen.length, new Set(seen).size, 'no id appears twice');
      assert.equal(seen.length, ids, 'every id written is there');
      const attempts = (await store.table('attempts').query().select(['id']).toArray()).map((r) => String(r.id));
      assert.deepEqual(attempts.sort(), ['att-0', 'att-1', 'att-2', 'att-3']);
      assert.equal((await store.getInsight('counter-a'))?.importance, 3 * rounds);
      assert.equal((await store.getInsight('counter-b'))?.importance, 10 + 3 * rounds * 2);
    } finally {
      store.close();
    }
  });

  it('lets three processes create the same new store at once', async () => {
    const results = await Promise.all([0, 1, 2].map((w) => runWriter(join(tmp.path, 'fresh'), w, 2, 10)));
    // increments target insights that do not exist there: updates of nothing, not errors
    for (const r of results) assert.equal(r.code, 0, r.stderr);
    const store = await ExperienceStore.open(join(tmp.path, 'fresh'), { mode: 'read' });
    const ids = (await store.table('episodes').query().select(['id']).toArray()).map((r) => String(r.id));
    assert.equal(ids.length, new Set(ids).size);
    assert.equal(ids.length, 10);
    assert.equal((await store.table('meta').query().toArray()).length, 1);
    store.close();
  });
});
