// Feedback counters across a team: each member's contribution to an insight's helpful/unhelpful
// counts is kept in the team store under (insight, member), replaced — never added to — when they
// share again. A sync folds the other members' contributions into the local record, remembering
// (in local meta) what it folded in, so syncing twice never doubles a count, and counts from two
// members add up. Local clicks since the last share stay local until shared.
import type { Insight } from '../model/insight';
import { metaWithPrefix, readMeta, writeMeta, type ExperienceStore } from '../store';

interface Counts {
  helpful: number;
  unhelpful: number;
}

const ZERO: Counts = { helpful: 0, unhelpful: 0 };
/** Record ids never hold control characters, so the unit separator splits id from member. */
const SEP = '\u001f';
const contributionKey = (id: string, member: string) => `teamCounts:${id}${SEP}${member}`;
const baseKey = (id: string) => `teamCountsBase:${id}`;

function parse(v: string | undefined): Counts {
  try {
    const o = JSON.parse(v ?? '') as Partial<Counts>;
    return { helpful: Math.max(0, Math.trunc(Number(o.helpful) || 0)), unhelpful: Math.max(0, Math.trunc(Number(o.unhelpful) || 0)) };
  } catch {
    return { ...ZERO };
  }
}

const minus = (a: Counts, b: Counts): Counts => ({
  helpful: Math.max(0, a.helpful - b.helpful),
  unhelpful: Math.max(0, a.unhelpful - b.unhelpful),
});
const plus = (a: Counts, b: Counts): Counts => ({ helpful: a.helpful + b.helpful, unhelpful: a.unhelpful + b.unhelpful });

/** This member's own share of the local counts: everything not folded in from teammates. */
async function ownCounts(local: ExperienceStore, i: Insight): Promise<Counts> {
  return minus(i.feedback ?? ZERO, parse(await readMeta(local, baseKey(i.id))));
}

/** Writes this member's contribution for each insight (own or a teammate's replica) to the team store. */
export async function shareCounts(local: ExperienceStore, team: ExperienceStore, insightIds: string[], member: string): Promise<number> {
  let n = 0;
  for (const id of insightIds) {
    const i = await local.getInsight(id);
    if (!i) continue;
    await writeMeta(team, contributionKey(id, member), JSON.stringify(await ownCounts(local, i)));
    n++;
  }
  return n;
}

/** Folds teammates' contributions into the local insights they concern; returns how many changed. */
export async function mergeCounts(local: ExperienceStore, team: ExperienceStore, member: string): Promise<number> {
  const rows = await metaWithPrefix(team, 'teamCounts:');
  const others = new Map<string, Counts>();
  for (const r of rows) {
    const key = String(r.id).slice('teamCounts:'.length);
    const cut = key.indexOf(SEP);
    if (cut <= 0 || key.slice(cut + 1) === member) continue;
    const id = key.slice(0, cut);
    others.set(id, plus(others.get(id) ?? ZERO, parse(String(r.value))));
  }
  const todo: Insight[] = [];
  for (const [id, theirs] of others) {
    const i = await local.getInsight(id);
    if (!i) continue;
    const next = plus(await ownCounts(local, i), theirs);
    if (next.helpful !== (i.feedback?.helpful ?? 0) || next.unhelpful !== (i.feedback?.unhelpful ?? 0)) todo.push({ ...i, feedback: next });
    await writeMeta(local, baseKey(id), JSON.stringify(theirs));
  }
  if (todo.length) await local.upsertInsights(todo);
  return todo.length;
}
