// Several machines writing one team store: each write is followed by upkeep (optimize: compaction, index update),
// and Lance commits it as a CreateIndex/Rewrite transaction that can keep losing to other writers' upkeep ("preempted by
// concurrent transaction CreateIndex", seen on CI with 3 writers on Azurite). A committed write must not fail because
// its upkeep lost: the write stands, a warning is logged, the next write or open indexes the rest. A purge (forget)
// must still fail loudly, since its bytes have to leave now; and any other error is still an error.
import assert from 'node:assert/strict';
import type { Table } from '@lancedb/lancedb';
import { ExperienceStore } from '../../src/core/store/store';
import { lineLogger } from '../../src/core/util/logger';
import { makeEpisode } from '../helpers/records';
import { useTempDir } from '../helpers/tmp';

const CONFLICTS = [
  'Retryable commit conflict for version 12: This CreateIndex transaction was preempted by concurrent transaction CreateIndex at version 12. Please retry.',
  'lance error: Retryable commit conflict for version 4: This Rewrite transaction was preempted by concurrent transaction Append at version 4. Please retry.',
  'Commit conflict for version 9: too many concurrent writers',
];

describe('store upkeep that keeps losing to other writers', function () {
  this.timeout(120_000);
  const tmp = useTempDir();

  async function storeWithFailingUpkeep(message: string) {
    const lines: string[] = [];
    const store = await ExperienceStore.open(tmp.path, {
      mode: 'write',
      log: lineLogger((level, line) => lines.push(`${level} ${line}`)),
    });
    const t = store.table('episodes') as Table & { optimize: Table['optimize'] };
    let calls = 0;
    const real = t.optimize.bind(t);
    t.optimize = (async () => {
      calls++;
      throw new Error(message);
    }) as Table['optimize'];
    return { store, lines, calls: () => calls, restore: () => (t.optimize = real) };
  }

  for (const message of CONFLICTS) {
    it(`a write stands and warns: ${message.slice(0, 60)}…`, async () => {
      const { store, lines, calls, restore } = await storeWithFailingUpkeep(message);
      try {
        await store.upsertEpisodes([makeEpisode({ id: 'kept', issue: { title: 'Totals off by a cent', body: 'rounding' } })]);
        assert.ok(calls() > 1, `upkeep was retried (${calls()} tries)`);
        assert.ok(
          lines.some((l) => /^warn store: upkeep of episodes gave way to other writers/.test(l)),
          lines.join('\n'),
        );
        assert.equal((await store.getEpisode('kept'))?.issue.title, 'Totals off by a cent');
        // a purge of the same table must not pass silently
        await assert.rejects(store.purge('episodes', `id = 'kept'`), new RegExp(message.slice(0, 20).replace(/[()]/g, '.')));
      } finally {
        restore();
        store.close();
      }
    });
  }

  it('an error that is not a commit conflict still fails the write', async () => {
    const { store, restore } = await storeWithFailingUpkeep('IO error: No space left on device (os error 28)');
    try {
      await assert.rejects(store.upsertEpisodes([makeEpisode({ id: 'x' })]), /No space left on device/);
    } finally {
      restore();
      store.close();
    }
  });
});
