// The sentences "Check and Repair Memory…" shows, from real doctor runs on a healthy and a damaged store.
import assert from 'node:assert/strict';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { runDoctor } from '../../src/core/store/doctor';
import { checkSentence, damagedTables, repairSentence } from '../../src/core/store/doctor/summary';
import { ExperienceStore } from '../../src/core/store/store';
import { makeAttempt, makeEpisode } from '../helpers/records';
import { useTempDir } from '../helpers/tmp';

describe('doctor summary for the editor', function () {
  this.timeout(300_000);
  const tmp = useTempDir();

  it('says healthy for a sound store, names the damaged table, and reports the repair', async () => {
    const store = await ExperienceStore.open(tmp.path);
    const ep = makeEpisode({ id: 'ep-s1' });
    await store.upsertEpisodes([{ ...ep, attempts: [makeAttempt(ep.id)] }]);
    await store.upsertEpisodes([{ ...makeEpisode({ id: 'ep-s2' }), attempts: [makeAttempt('ep-s2')] }]);
    store.close();
    const healthy = await runDoctor(tmp.path);
    assert.match(checkSentence(healthy), /^the memory is healthy: \d+ tables checked/);

    rmSync(join(tmp.path, 'attempts.lance', '_indices'), { recursive: true, force: true });
    const data = join(tmp.path, 'attempts.lance', 'data');
    rmSync(join(data, readdirSync(data).sort().at(-1)!));
    const damaged = await runDoctor(tmp.path);
    assert.deepEqual(damaged.damaged, ['attempts']);
    assert.match(checkSentence(damaged), /is damaged: attempts \(/);
    assert.match(damagedTables(damaged), /^attempts \(.+\)$/);

    const repaired = await runDoctor(tmp.path, { repair: true });
    const r = repairSentence(repaired);
    assert.equal(r.ok, repaired.damaged.length === 0);
    assert.match(r.text, /attempts/);
    if (r.ok) assert.doesNotMatch(r.text, /still damaged/);
    else assert.match(r.text, /still damaged: attempts/);
  });

  it('names orphan attempts (a save cut off between its two writes) and says the repair removed them', async () => {
    const store = await ExperienceStore.open(tmp.path);
    await store.upsertEpisodes([{ ...makeEpisode({ id: 'ep-o1' }), attempts: [makeAttempt('ep-o1')] }]);
    // what a save killed after its attempts write leaves: attempts whose episode never came
    await store.upsertAttempts([makeAttempt('ep-never'), makeAttempt('ep-never')]);
    store.close();
    const found = await runDoctor(tmp.path);
    assert.deepEqual(found.damaged, []);
    assert.deepEqual(found.orphans, { attempts: 2, episodeIds: ['ep-never'] });
    assert.match(
      checkSentence(found),
      /^every table of the memory reads in full, but 2 attempts belong to no stored episode .*a repair removes them\.$/,
    );
    // a repair confirmed for other episodes removes nothing
    const other = await runDoctor(tmp.path, { repair: true, orphansOf: ['ep-else'] });
    assert.equal(other.removedOrphans, 0);
    assert.equal(repairSentence(other).ok, false);
    const repaired = await runDoctor(tmp.path, { repair: true, orphansOf: found.orphans.episodeIds });
    assert.equal(repaired.removedOrphans, 2);
    const r = repairSentence(repaired);
    assert.deepEqual(r, { ok: true, text: 'removed 2 orphan attempts.' });
    assert.match(checkSentence(await runDoctor(tmp.path)), /^the memory is healthy/);
  });
});
