// A separate process writing into a shared store: overlapping new episode ids, attempts for
// them, and importance increments on the same insights. Used by the concurrency test.
import { ExperienceStore } from '../../src/core/store';
import { makeAttempt, makeEpisode } from '../helpers/records';

async function main(): Promise<void> {
  const [dir, who, rounds, ids] = [process.argv[2], process.argv[3], Number(process.argv[4]), Number(process.argv[5])];
  const store = await ExperienceStore.open(dir);
  for (let r = 0; r < rounds; r++) {
    // every writer writes the same ids, in a different order
    const batch = Array.from({ length: 5 }, (_, i) => `shared-${(r * 5 + i + Number(who) * 7) % ids}`);
    await store.upsertEpisodes(batch.map((id) => makeEpisode({ id, issue: { title: `written by ${who}`, body: id } })));
    await store.upsertAttempts([makeAttempt('shared-0', { id: `att-${r % 4}` })]);
    await store.addImportance('counter-a', 1);
    await store.addImportance('counter-b', 2);
  }
  store.close();
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.stack : e}\n`);
  process.exit(1);
});
