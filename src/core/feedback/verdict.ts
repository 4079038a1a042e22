// A person's or an agent's verdict on one recalled memory — "not relevant" or "helpful" for the issue text it was
// recalled for — or taking it back: the one use case behind `dejafix feedback`, the `dejafix_feedback` agent tool
// (MCP and VS Code LM tools). The memory is named by its episode id, its source id (a SWE-bench instance_id) or
// its insight id, as recall returns them.
import type { ExperienceStore } from '../store/store';
import { findRecords } from '../store/queries';
import { recordFeedback, undoFeedback } from './feedback';

export type VerdictKind = 'not-relevant' | 'helpful';

export interface Verdict {
  id: string;
  verdict: VerdictKind;
  /** The issue text the memory was recalled for. */
  query: string;
  undo?: boolean;
}

export interface VerdictResult {
  /** The stored id the verdict is about (an episode's id when `id` was its source id). */
  subject: string;
  subjectKind: 'episode' | 'insight';
  verdict: VerdictKind;
  /** With `undo`: whether there was such a verdict to take back. */
  undone: boolean;
}

/** Records (or with `undo` takes back) the verdict; undefined when no episode or insight has that id. */
export async function giveVerdict(store: ExperienceStore, v: Verdict): Promise<VerdictResult | undefined> {
  const found = await findRecords(store, [v.id]);
  const episode = found.episodes[0];
  const insight = found.insights[0];
  if (!episode && !insight) return undefined;
  const subject = episode ? episode.id : insight!.id;
  const subjectKind = episode ? 'episode' : 'insight';
  const key = { subject, subjectKind, kind: v.verdict, query: v.query } as const;
  if (v.undo) return { subject, subjectKind, verdict: v.verdict, undone: await undoFeedback(store, key) };
  await recordFeedback(store, key);
  return { subject, subjectKind, verdict: v.verdict, undone: false };
}

/** The verdict in words: "not relevant" or "helpful". */
export function verdictWords(kind: VerdictKind): string {
  return kind === 'not-relevant' ? 'not relevant' : 'helpful';
}

/** One sentence saying what the verdict did, for a person or a model. */
export function verdictText(r: VerdictResult, undoHow: string): string {
  const what = verdictWords(r.verdict);
  if (r.undone) return `Took back "${what}" on ${r.subjectKind} ${r.subject} for this query.`;
  return r.verdict === 'not-relevant'
    ? `Marked ${r.subjectKind} ${r.subject} not relevant: recalling this query will not show it again, and it ranks a little lower elsewhere. ${undoHow} takes it back.`
    : `Marked ${r.subjectKind} ${r.subject} helpful: it ranks a little higher from now on. ${undoHow} takes it back.`;
}
