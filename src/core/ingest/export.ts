import type { ExperienceStore } from '../store/store';
import { episodeLine, insightLine } from './jsonl';

/** Writes every episode (with its attempts) and every insight as Dejafix JSONL lines. */
export async function exportJsonl(
  store: ExperienceStore,
  write: (line: string) => Promise<void> | void,
): Promise<{ episodes: number; insights: number }> {
  let episodes = 0;
  for await (const batch of store.episodes()) {
    for (const e of batch) {
      await write(`${episodeLine(e)}\n`);
      episodes++;
    }
  }
  const insights = await store.insights();
  for (const i of insights) await write(`${insightLine(i)}\n`);
  return { episodes, insights: insights.length };
}
