// Every recall reads the feedback table (the "not relevant" lookup and the utility prior), and every verdict, credit
// and logged recall is a write of a row or two: left alone, each write is one more fragment to scan, and 200 verdicts
// made recall at 1k episodes 48 ms instead of 13 (bench:latency). The tables are compacted as fragments pile up, and
// nothing written is lost by it. Real LanceDB in a temp folder.
import assert from 'node:assert/strict';
import { hiddenFor, logRecall, recordFeedback, undoFeedback, utilityFor } from '../../src/core/feedback/feedback';
import { ExperienceStore } from '../../src/core/store/store';
import { useTempDir } from '../helpers/tmp';

describe('feedback and recall-log tables stay compact', function () {
  this.timeout(120_000);
  const tmp = useTempDir();

  async function fragments(store: ExperienceStore, name: string): Promise<number> {
    const t = await store.extraTable(name);
    assert.ok(t, `${name} exists`);
    return (await t.stats()).fragmentStats.numFragments;
  }

  it('60 verdicts one at a time: one fragment, every verdict still in force', async () => {
    const store = await ExperienceStore.open(tmp.path);
    try {
      for (let i = 0; i < 60; i++)
        await recordFeedback(store, { subject: `ep-${i}`, kind: i % 2 ? 'helpful' : 'not-relevant', query: `issue ${i % 3}` });
      assert.equal(await fragments(store, 'feedback'), 1, 'the table every recall reads stays in one fragment');
      for (let q = 0; q < 3; q++) {
        const want = Array.from({ length: 60 }, (_, i) => i)
          .filter((i) => i % 2 === 0 && i % 3 === q)
          .map((i) => `ep-${i}`);
        assert.deepEqual([...(await hiddenFor(store, `issue ${q}`))].sort(), want.sort());
      }
      const util = await utilityFor(store, ['ep-1', 'ep-59', 'ep-0']);
      assert.ok(util.get('ep-1')!.factor > 1 && util.get('ep-59')!.factor > 1, 'each helpful verdict lifts its episode');
      assert.ok(util.get('ep-0')!.factor < 1, 'a not-relevant verdict lowers it');
    } finally {
      store.close();
    }
  });

  it('60 logged recalls: at most 9 fragments in the recall log', async () => {
    const store = await ExperienceStore.open(tmp.path);
    try {
      for (let i = 0; i < 60; i++)
        await logRecall(store, { sessionId: `s-${i}`, query: `issue ${i}`, episodes: [`ep-${i}`], source: 'cli' });
      assert.ok((await fragments(store, 'recall_log')) <= 9, `fragments: ${await fragments(store, 'recall_log')}`);
      assert.equal(await (await store.extraTable('recall_log'))!.countRows(), 60, 'no logged recall lost');
    } finally {
      store.close();
    }
  });

  it('the copy recall reads is never stale: a verdict written by another connection counts at the next lookup', async () => {
    const reader = await ExperienceStore.open(tmp.path);
    const writer = await ExperienceStore.open(tmp.path);
    try {
      await recordFeedback(writer, { subject: 'ep-a', kind: 'not-relevant', query: 'the issue' });
      assert.deepEqual([...(await hiddenFor(reader, 'the issue'))], ['ep-a'], 'first read');
      for (let i = 0; i < 5; i++) {
        await recordFeedback(writer, { subject: `ep-${i}`, kind: i % 2 ? 'not-relevant' : 'helpful', query: 'the issue' });
        const hidden = [...(await hiddenFor(reader, 'the issue'))].sort();
        assert.deepEqual(
          hidden,
          [
            'ep-a',
            ...Array.from({ length: i + 1 }, (_, j) => j)
              .filter((j) => j % 2)
              .map((j) => `ep-${j}`),
          ].sort(),
        );
        assert.equal((await utilityFor(reader, [`ep-${i}`])).get(`ep-${i}`)!.factor > 1, i % 2 === 0, `ep-${i} credit seen`);
      }
      await undoFeedback(writer, { subject: 'ep-a', kind: 'not-relevant', query: 'the issue' });
      assert.ok(!(await hiddenFor(reader, 'the issue')).has('ep-a'), 'an undo is seen too');
    } finally {
      reader.close();
      writer.close();
    }
  });
});
