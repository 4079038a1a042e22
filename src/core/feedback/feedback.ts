// Feedback and utility, kept in the store so every front door and every teammate's replica sees
// them (storage: store/feedbackLog.ts; the ranking rule: utility.ts). The whole API:
//
//   recordFeedback(store, { subject, kind, sessionId?, query?, subjectKind? })
//       kind: 'not-relevant' | 'helpful' | 'opened' | 'copied' | 'inserted' | 'prompted'
//       (prompted = included in a prompt that was sent). Repeating it in a session changes nothing.
//       Without a session (CLI, MCP) a verdict counts at once: not-relevant → harmed, helpful → helped.
//   undoFeedback(store, same key)       → true when there was something to undo; a credited session
//                                         is credited again without it.
//   logRecall(store, { sessionId?, query, episodes, insights?, source })   every recall a front door shows.
//   creditSession(store, { sessionId, outcome })   at session end: each memory shown or acted on is
//       credited once — used and resolved → helped; marked not relevant → harmed; used but not
//       resolved → used; shown and ignored → nothing. Idempotent. Insights also get the vote in their
//       helpful/unhelpful counters.
//   creditInjected(store, { sessionId, query, episodes, insights, source, outcome })   for a front
//       door that put memories into a prompt it sent (the agent hook): log, 'prompted', credit.
//   hiddenFor(store, query)             ids marked not relevant for exactly this query (hidden there).
//   utilityFor(store, ids, now?)        Map id → Utility (decayed sums, "helped n of m", ranking factor).
//   utilityStats(store, now?)           totals for Memory Health / `dejafix eval`.
//
// Only the query's hash is stored, never its text.
import { createHash } from 'node:crypto';
import { feedbackRows, recallLogRows, SEP, type FeedbackRow } from '../store/feedbackLog';
import type { ExperienceStore } from '../store/store';
import { utilityOf, type CreditKind, type Utility } from './utility';

export const FEEDBACK_KINDS = ['not-relevant', 'helpful', 'opened', 'copied', 'inserted', 'prompted'] as const;
export type FeedbackKind = (typeof FEEDBACK_KINDS)[number];
export type SessionOutcome = 'resolved' | 'failed' | 'abandoned';

export interface FeedbackKey {
  /** The episode (or insight) the feedback is about. */
  subject: string;
  kind: FeedbackKind;
  /** The repair session it was given in; without one, the query scopes it. */
  sessionId?: string;
  /** The issue text the memory was recalled for (stored as a hash). */
  query?: string;
  subjectKind?: 'episode' | 'insight';
}

/** Recall reads this much of a query (recall.ts MAX_QUERY_CHARS): the hash covers the same text. */
const QUERY_CHARS = 16_000;

/** The hash a query is known by: case and spacing do not matter, nor text beyond what recall reads. */
export function queryHash(text: string): string {
  const read = text.toWellFormed().slice(0, QUERY_CHARS);
  return createHash('sha256').update(read.toLowerCase().replace(/\s+/g, ' ').trim()).digest('hex').slice(0, 16);
}

function scopeOf(k: Pick<FeedbackKey, 'sessionId' | 'query'>): string {
  if (k.sessionId) return k.sessionId;
  if (k.query === undefined) throw new Error('feedback needs a session or the query it was given for');
  return `q:${queryHash(k.query)}`;
}

const eventId = (scope: string, subject: string, kind: string) => ['ev', scope, subject, kind].join(SEP);
const creditId = (scope: string, subject: string) => ['cr', scope, subject].join(SEP);
const markerId = (sessionId: string) => ['done', sessionId].join(SEP);
const USE: ReadonlySet<string> = new Set(['helpful', 'opened', 'copied', 'inserted', 'prompted']);

export async function recordFeedback(store: ExperienceStore, k: FeedbackKey, at = new Date().toISOString()): Promise<void> {
  const scope = scopeOf(k);
  const base = {
    subject: k.subject,
    subjectKind: k.subjectKind ?? 'episode',
    sessionId: k.sessionId ?? '',
    queryHash: k.query === undefined ? '' : queryHash(k.query),
    at,
    by: '',
  } as const;
  const rows: FeedbackRow[] = [{ id: eventId(scope, k.subject, k.kind), kind: k.kind, ...base }];
  // Without a session nothing will be credited later: a verdict counts now.
  if (!k.sessionId && (k.kind === 'not-relevant' || k.kind === 'helpful'))
    rows.push({ id: creditId(scope, k.subject), kind: k.kind === 'helpful' ? 'helped' : 'harmed', ...base });
  if (k.kind === 'not-relevant') await feedbackRows.remove(store, [eventId(scope, k.subject, 'helpful')]);
  await feedbackRows.write(store, rows);
  if (k.sessionId) await recreditIfDone(store, k.sessionId);
}

export async function undoFeedback(store: ExperienceStore, k: FeedbackKey): Promise<boolean> {
  const scope = scopeOf(k);
  const ids = [eventId(scope, k.subject, k.kind)];
  if (!k.sessionId) ids.push(creditId(scope, k.subject));
  const existing = await feedbackRows.byIds(store, ids);
  if (!existing.length) return false;
  await feedbackRows.remove(store, ids);
  if (k.sessionId) await recreditIfDone(store, k.sessionId);
  return true;
}

export async function logRecall(
  store: ExperienceStore,
  r: { sessionId?: string; query: string; episodes: string[]; insights?: string[]; source: string },
  at = new Date().toISOString(),
): Promise<void> {
  const hash = queryHash(r.query);
  // One row per session and query: recalling the same issue again replaces what it showed.
  const id = r.sessionId ? ['log', r.sessionId, hash].join(SEP) : ['log', `${r.source}:${at}`, hash].join(SEP);
  await recallLogRows.write(store, {
    id,
    sessionId: r.sessionId ?? '',
    queryHash: hash,
    episodes: JSON.stringify(r.episodes),
    insights: JSON.stringify(r.insights ?? []),
    source: r.source,
    at,
  });
}

export interface CreditReport {
  helped: string[];
  harmed: string[];
  used: string[];
}

export async function creditSession(
  store: ExperienceStore,
  s: { sessionId: string; outcome: SessionOutcome },
  at = new Date().toISOString(),
): Promise<CreditReport> {
  const logs = await recallLogRows.forSession(store, s.sessionId);
  const kindOf = new Map<string, 'episode' | 'insight'>();
  for (const l of logs) {
    for (const id of parseIds(l.episodes)) kindOf.set(id, 'episode');
    for (const id of parseIds(l.insights)) kindOf.set(id, 'insight');
  }
  const rows = await feedbackRows.forSession(store, s.sessionId);
  const events = new Map<string, Set<string>>();
  for (const r of rows.filter((x) => x.id.startsWith(`ev${SEP}`))) {
    events.set(r.subject, (events.get(r.subject) ?? new Set()).add(r.kind));
    if (!kindOf.has(r.subject)) kindOf.set(r.subject, r.subjectKind === 'insight' ? 'insight' : 'episode');
  }
  const before = new Map(rows.filter((x) => x.id.startsWith(`cr${SEP}`)).map((r) => [r.subject, r.kind as CreditKind]));
  const report: CreditReport = { helped: [], harmed: [], used: [] };
  const next = new Map<string, CreditKind>();
  for (const subject of kindOf.keys()) {
    const ev = events.get(subject) ?? new Set<string>();
    const kind: CreditKind | undefined = ev.has('not-relevant')
      ? 'harmed'
      : [...ev].some((e) => USE.has(e))
        ? s.outcome === 'resolved'
          ? 'helped'
          : 'used'
        : undefined;
    if (!kind) continue;
    next.set(subject, kind);
    report[kind].push(subject);
  }
  const stale = [...before.keys()].filter((subject) => !next.has(subject)).map((subject) => creditId(s.sessionId, subject));
  await feedbackRows.remove(store, stale);
  await feedbackRows.write(store, [
    ...[...next].map(([subject, kind]): FeedbackRow => ({
      id: creditId(s.sessionId, subject),
      subject,
      subjectKind: kindOf.get(subject)!,
      kind,
      sessionId: s.sessionId,
      queryHash: '',
      at,
      by: '',
    })),
    {
      id: markerId(s.sessionId),
      subject: '',
      subjectKind: '',
      kind: `credited:${s.outcome}`,
      sessionId: s.sessionId,
      queryHash: '',
      at,
      by: '',
    },
  ]);
  await voteInsights(store, kindOf, before, next);
  return report;
}

/** A session whose recalled memories went into a sent prompt (the hook's injection), ended with `outcome`. */
export async function creditInjected(
  store: ExperienceStore,
  s: { sessionId: string; query: string; episodes: string[]; insights: string[]; source: string; outcome: SessionOutcome },
  at = new Date().toISOString(),
): Promise<CreditReport> {
  await logRecall(store, { sessionId: s.sessionId, query: s.query, episodes: s.episodes, insights: s.insights, source: s.source }, at);
  const events = [...s.episodes.map((id) => ['episode', id] as const), ...s.insights.map((id) => ['insight', id] as const)];
  await feedbackRows.write(
    store,
    events.map(([subjectKind, subject]): FeedbackRow => ({
      id: eventId(s.sessionId, subject, 'prompted'),
      subject,
      subjectKind,
      kind: 'prompted',
      sessionId: s.sessionId,
      queryHash: queryHash(s.query),
      at,
      by: '',
    })),
  );
  return creditSession(store, { sessionId: s.sessionId, outcome: s.outcome }, at);
}

/** Insights keep their helpful/unhelpful counters: move each by the change of this session's vote. */
async function voteInsights(
  store: ExperienceStore,
  kindOf: Map<string, string>,
  before: Map<string, CreditKind>,
  next: Map<string, CreditKind>,
): Promise<void> {
  const vote = (k?: CreditKind) => ({ helpful: k === 'helped' ? 1 : 0, unhelpful: k === 'harmed' ? 1 : 0 });
  const changed = [];
  for (const [id, kind] of kindOf) {
    if (kind !== 'insight' || before.get(id) === next.get(id)) continue;
    const insight = await store.getInsight(id);
    if (!insight) continue;
    const was = vote(before.get(id));
    const now = vote(next.get(id));
    const f = insight.feedback ?? { helpful: 0, unhelpful: 0 };
    changed.push({
      ...insight,
      feedback: {
        helpful: Math.max(0, f.helpful - was.helpful + now.helpful),
        unhelpful: Math.max(0, f.unhelpful - was.unhelpful + now.unhelpful),
      },
    });
  }
  if (changed.length) await store.upsertInsights(changed);
}

async function recreditIfDone(store: ExperienceStore, sessionId: string): Promise<void> {
  const [marker] = await feedbackRows.byIds(store, [markerId(sessionId)]);
  const outcome = marker?.kind.split(':')[1] as SessionOutcome | undefined;
  if (outcome) await creditSession(store, { sessionId, outcome });
}

function parseIds(json: string): string[] {
  try {
    const v = JSON.parse(json) as unknown;
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

export function hiddenFor(store: ExperienceStore, query: string): Promise<Set<string>> {
  return feedbackRows.hiddenFor(store, queryHash(query));
}

export async function utilityFor(store: ExperienceStore, ids: string[], now = Date.now()): Promise<Map<string, Utility>> {
  const rows = await feedbackRows.creditsOf(store, ids);
  const by = new Map<string, { kind: CreditKind; at: string }[]>();
  for (const r of rows) by.set(r.subject, [...(by.get(r.subject) ?? []), { kind: r.kind as CreditKind, at: r.at }]);
  return new Map([...by].map(([id, credits]) => [id, utilityOf(credits, now)]));
}

export interface UtilityStats {
  /** Recalls a front door logged. */
  recalls: number;
  /** Sessions credited at their end. */
  sessionsCredited: number;
  /** Credits over all memories (undecayed counts). */
  helped: number;
  harmed: number;
  used: number;
  /** Memories with any credit, and their utility (decayed), best first. */
  memories: { id: string; kind: 'episode' | 'insight'; utility: Utility }[];
}

export async function utilityStats(store: ExperienceStore, now = Date.now()): Promise<UtilityStats> {
  const rows = await feedbackRows.all(store);
  const credits = rows.filter((r) => r.id.startsWith(`cr${SEP}`));
  const ids = [...new Set(credits.map((r) => r.subject))];
  const util = await utilityFor(store, ids, now);
  const kindOf = new Map(credits.map((r) => [r.subject, r.subjectKind === 'insight' ? ('insight' as const) : ('episode' as const)]));
  return {
    recalls: await recallLogRows.count(store),
    sessionsCredited: rows.filter((r) => r.id.startsWith(`done${SEP}`)).length,
    helped: credits.filter((r) => r.kind === 'helped').length,
    harmed: credits.filter((r) => r.kind === 'harmed').length,
    used: credits.filter((r) => r.kind === 'used').length,
    memories: ids.map((id) => ({ id, kind: kindOf.get(id)!, utility: util.get(id)! })).sort((a, b) => b.utility.u - a.utility.u),
  };
}
