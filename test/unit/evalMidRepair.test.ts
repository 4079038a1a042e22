// `dejafix eval` and Memory Health replay the second moment memory is asked (src/core/eval/midRepair.ts):
// each asked repair that had a failed attempt changing source files is asked again with that attempt's
// files as the checkout's changes. Figures, progress, text and JSON, and the repairs that are not asked again.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { evaluateMemory, type EvalReport } from '../../src/core/eval/evaluate';
import { ExperienceStore } from '../../src/core/store';
import type { Episode } from '../../src/core/model';
import { runCli } from '../helpers/cli';
import { storeWith } from '../helpers/evalOracle';
import { makeAttempt, makeEpisode } from '../helpers/records';
import { useTempDir } from '../helpers/tmp';

const at = (d: string) => `${d}T10:00:00.000Z`;
const diff = (...files: string[]) => files.map((f) => `diff --git a/${f} b/${f}\n--- a/${f}\n+++ b/${f}\n@@ -1 +1 @@\n-a\n+b\n`).join('');

/** r/b: a ledger repair worded a little like the later refund issue, whose failed attempt changed the ledger; and look-alikes. */
function memory(refundAttempts: (id: string) => Episode['attempts']): Episode[] {
  const ep = (id: string, d: string, files: string[], title: string, body: string, attempts: Episode['attempts'] = []) =>
    makeEpisode({ id, repo: 'r/b', createdAt: at(d), files, issue: { title, body }, attempts });
  return [
    ep(
      'ledger',
      '2025-01-05',
      ['src/ledger.py'],
      'Refund of cancelled orders posted twice',
      'Cancelled orders are refunded twice by the ledger.',
    ),
    ep('invoice', '2025-02-05', ['src/invoice.py'], 'Invoice total ignores tax', 'The invoice total is wrong for taxed orders.'),
    ep(
      'refund',
      '2025-03-05',
      ['src/ledger.py'],
      'Refund total wrong for cancelled orders',
      'Cancelling twice refunds twice.',
      refundAttempts('refund'),
    ),
    ep('cart', '2025-04-05', ['src/cart.py'], 'Cart line items duplicated', 'Adding an item twice duplicates the lines.'),
  ];
}

describe('eval: asked again after a failed attempt', function () {
  this.timeout(120_000);
  const tmp = useTempDir();

  async function evaluate(episodes: Episode[], minRelevance = 0.15): Promise<{ report: EvalReport; progress: [number, number][] }> {
    const store = await ExperienceStore.open(await storeWith(join(tmp.path, `s${Math.random()}`), episodes));
    const progress: [number, number][] = [];
    try {
      return { report: await evaluateMemory(store, { minRelevance, onProgress: (d, t) => progress.push([d, t]) }), progress };
    } finally {
      store.close();
    }
  }

  it('the repair with a failed attempt is asked again with its files: the earlier repair of the changed file is found', async () => {
    const { report, progress } = await evaluate(
      memory((id) => [
        makeAttempt(id, { patch: diff('src/ledger.py', 'tests/test_ledger.py'), at: at('2025-03-05'), exitCode: 1, outcome: 'failed' }),
        makeAttempt(id, { patch: diff('src/ledger.py'), at: at('2025-03-06'), exitCode: 0, outcome: 'passed' }),
      ]),
    );
    assert.equal(report.overall.queries, 3, 'invoice, refund and cart have history');
    assert.equal(report.overall.recall5, 0, 'at issue time the ledger repair is not confident enough for the refund issue');
    assert.ok(report.midRepair, 'one repair had a failed attempt');
    assert.equal(report.midRepair.overall.queries, 1);
    assert.equal(report.midRepair.overall.relevantQueries, 1);
    assert.equal(report.midRepair.overall.recall5, 1, 'with the changed ledger, its earlier repair is found');
    assert.equal(report.midRepair.unfiltered.recall5, 1);
    assert.deepEqual(
      progress,
      [0, 1, 2, 3].map((d) => [d, 3]),
      'progress counts the repairs asked (one asked again is part of its step)',
    );
  });

  it('not asked again: no failed attempt, a failed attempt changing only tests or docs, or a failure with no change', async () => {
    for (const attempts of [
      (id: string) => [makeAttempt(id, { patch: diff('src/ledger.py'), exitCode: 0, outcome: 'passed' as const })],
      (id: string) => [makeAttempt(id, { patch: diff('tests/test_ledger.py', 'README.md'), exitCode: 1, outcome: 'failed' as const })],
      (id: string) => [makeAttempt(id, { patch: '', exitCode: 2, outcome: 'failed' as const })],
      () => [],
    ]) {
      const { report, progress } = await evaluate(memory(attempts));
      assert.equal(report.midRepair, null);
      assert.deepEqual(progress.at(-1), [3, 3]);
    }
  });

  it('in `dejafix eval` text and JSON; absent when nothing was asked again', async () => {
    const store = await storeWith(
      join(tmp.path, 'cli'),
      memory((id) => [makeAttempt(id, { patch: diff('src/ledger.py'), exitCode: 1, outcome: 'failed' })]),
    );
    const json = await runCli(['eval', '--store', store, '--embedder', 'none', '--json']);
    assert.equal(json.code, 0, json.stderr);
    const r = JSON.parse(json.stdout) as EvalReport;
    assert.equal(r.midRepair?.overall.recall5, 1);
    const text = await runCli(['eval', '--store', store, '--embedder', 'none']);
    assert.match(text.stdout, /Asked again after a failed attempt, with the files it changed \(1 of them\):\n {2}Recall@5 +1\.000 +1\.000/);
    const plain = await storeWith(
      join(tmp.path, 'plain'),
      memory(() => []),
    );
    const none = await runCli(['eval', '--store', plain, '--embedder', 'none', '--json']);
    assert.equal((JSON.parse(none.stdout) as EvalReport).midRepair, null);
    assert.doesNotMatch((await runCli(['eval', '--store', plain, '--embedder', 'none'])).stdout, /Asked again/);
  });
});
