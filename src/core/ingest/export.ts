// `dejafix export`: the whole memory as Dejafix JSONL (jsonl.ts), feedback and recall log included.
import { feedbackLine, recallLine } from '../feedback/lines';
import { feedbackRows, recallLogRows } from '../store/feedbackLog';
import type { ExperienceStore } from '../store/store';
import { episodeLine, insightLine } from './jsonl';

/** Writes every episode (with its attempts), insight, feedback row and recall-log row as Dejafix JSONL lines. */
export async function exportJsonl(
  store: ExperienceStore,
  write: (line: string) => Promise<void> | void,
): Promise<{ episodes: number; insights: number; feedback: number; recalls: number }> {
  let episodes = 0;
  for await (const batch of store.episodes()) {
    for (const e of batch) {
      await write(`${episodeLine(e)}\n`);
      episodes++;
    }
  }
  const insights = await store.insights();
  for (const i of insights) await write(`${insightLine(i)}\n`);
  const feedback = await feedbackRows.all(store);
  for (const r of feedback) await write(`${feedbackLine(r)}\n`);
  const recalls = await recallLogRows.all(store);
  for (const r of recalls) await write(`${recallLine(r)}\n`);
  return { episodes, insights: insights.length, feedback: feedback.length, recalls: recalls.length };
}
