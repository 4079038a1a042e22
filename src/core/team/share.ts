// Share with Team: plans exactly what will be written to a team store (each record re-redacted
// through the store's sanitiser, with any difference from the local copy and whether the team
// already has it), renders that plan for review, and applies it. Re-sharing updates, never duplicates.
import type { Episode } from '../model/episode';
import type { Insight } from '../model/insight';
import { originOf, type Provenance } from '../model/provenance';
import { embedText } from '../recall/vectorize';
import { sanitizeEpisode, sanitizeInsight } from '../store/sanitize';
import { clearTombstones, copyVectorRows, ownResolvedEpisodeIds, resolveShareIds, type ExperienceStore } from '../store';
import { stableJson } from './stableJson';

export { stableJson };

export interface ShareSelection {
  ids?: string[];
  /** The user's own resolved episodes (created at or after `since`). */
  resolved?: boolean;
  since?: string;
}

export interface ShareItem {
  kind: 'episode' | 'insight';
  id: string;
  title: string;
  /** What will be written: sanitised, with provenance. */
  record: Episode | Insight;
  status: 'new' | 'update' | 'unchanged';
  /** Fields where the shared copy differs from the local one (re-redaction, clipping). */
  differences: string[];
  notes: string[];
  /**
   * Episodes: the shared copy embeds to the same text as the local one (title, error, body, repo,
   * createdAt — what its vector was computed from), so the local vector may go along.
   */
  sameEmbedding?: boolean;
}

export interface SharePlan {
  items: ShareItem[];
  notFound: string[];
  skipped: { id: string; reason: string }[];
}

export interface Sharer {
  by: string;
  repo: string;
  now?: () => string;
}

/** Where shared copies are looked up: a team store, or the repository's `.dejafix/` folder. */
export type ShareTarget = Pick<ExperienceStore, 'getEpisodes' | 'getInsight'>;

export async function planShare(local: ExperienceStore, team: ShareTarget, sel: ShareSelection, who: Sharer): Promise<SharePlan> {
  const plan: SharePlan = { items: [], notFound: [], skipped: [] };
  let episodeIds: string[] = [];
  let insightIds: string[] = [];
  if (sel.ids?.length) {
    const found = await resolveShareIds(local, sel.ids);
    episodeIds = found.episodes;
    insightIds = found.insights;
    const known = new Set([...found.episodes, ...found.insights]);
    const episodes = await local.getEpisodes(found.episodes);
    const sourceIds = new Set([...episodes.values()].map((e) => e.sourceId));
    plan.notFound = sel.ids.filter((id) => !known.has(id) && !sourceIds.has(id));
  }
  if (sel.resolved) episodeIds = [...new Set([...episodeIds, ...(await ownResolvedEpisodeIds(local, sel.since))])];
  const now = (who.now ?? (() => new Date().toISOString()))();
  const provenanceFor = (r: { provenance?: Provenance; source?: string }): Provenance => ({
    origin: originOf(r),
    sharedBy: who.by,
    sharedAt: now,
    sharedFrom: who.repo,
  });
  const mine = (r: { provenance?: Provenance; source?: string }, id: string): boolean => {
    const o = originOf(r);
    if (o === 'teammate' || o === 'repository')
      plan.skipped.push({ id, reason: `already shared (${o}${r.provenance?.sharedBy ? `, by ${r.provenance.sharedBy}` : ''})` });
    return o === 'you' || o === 'import';
  };
  for (let i = 0; i < episodeIds.length; i += 200) {
    const batch = episodeIds.slice(i, i + 200);
    const [locals, teams] = await Promise.all([local.getEpisodes(batch), team.getEpisodes(batch)]);
    for (const id of batch) {
      const e = locals.get(id);
      if (!e || !mine(e, id)) continue;
      const s = await sanitizeEpisode(e);
      const record: Episode = { ...s.value, provenance: provenanceFor(e) };
      plan.items.push({
        kind: 'episode',
        id,
        title: e.issue.title,
        record,
        status: statusOf(record, teams.get(id)),
        differences: diffFields(e, s.value),
        notes: s.notes,
        sameEmbedding: embeddedKey(e) === embeddedKey(s.value),
      });
    }
  }
  for (const id of insightIds) {
    const i = await local.getInsight(id);
    if (!i || !mine(i, id)) continue;
    const s = await sanitizeInsight(i);
    const record: Insight = { ...s.value, provenance: provenanceFor(i) };
    plan.items.push({
      kind: 'insight',
      id,
      title: i.text,
      record,
      status: statusOf(record, await team.getInsight(id)),
      differences: diffFields(i, s.value),
      notes: s.notes,
    });
  }
  return plan;
}

/** What an episode's vector was computed from (recall/vectorize.ts: embedded text, repo, createdAt). */
function embeddedKey(e: Episode): string {
  return JSON.stringify([embedText({ title: e.issue.title, errorSignature: e.errorSignature, body: e.issue.body }), e.repo, e.createdAt]);
}

/**
 * Writes the plan's new and changed records to the team store; unchanged ones are left alone. With
 * `local`, the vectors of written episodes go along, so teammates' replicas need not embed them —
 * except where re-redaction changed what was embedded: that vector stays home.
 */
export async function applyShare(
  team: ExperienceStore,
  plan: SharePlan,
  local?: ExperienceStore,
): Promise<{ written: number; unchanged: number; vectors?: number }> {
  const todo = plan.items.filter((i) => i.status !== 'unchanged');
  const episodes = todo.filter((i) => i.kind === 'episode').map((i) => i.record as Episode);
  const insights = todo.filter((i) => i.kind === 'insight').map((i) => i.record as Insight);
  let vectors: number | undefined;
  await team.bulk(async () => {
    for (let i = 0; i < episodes.length; i += 200) await team.upsertEpisodes(episodes.slice(i, i + 200));
    if (insights.length) await team.upsertInsights(insights);
    if (local) {
      const same = todo.filter((i) => i.kind === 'episode' && i.sameEmbedding).map((i) => i.id);
      vectors = await copyVectorRows(local, team, same);
    }
  });
  await clearTombstones(
    team,
    todo.map((i) => i.id),
  );
  return { written: todo.length, unchanged: plan.items.length - todo.length, ...(vectors === undefined ? {} : { vectors }) };
}

/** The review text: one block per record, what is written and how it differs. */
export function renderPlan(plan: SharePlan, target: string): string {
  const lines = [`Share with team store ${target}:`];
  for (const it of plan.items) {
    lines.push(`- ${it.kind} ${it.id} [${it.status}]: ${oneLine(it.title)}`);
    if (it.kind === 'episode') {
      const e = it.record as Episode;
      lines.push(
        `    outcome ${e.outcome}; repo ${e.repo}; ${e.attempts.length} attempt(s); files ${e.files.slice(0, 5).join(', ') || '-'}`,
      );
    }
    if (it.differences.length) lines.push(`    differs from your local copy in: ${it.differences.join(', ')}`);
    for (const n of it.notes) lines.push(`    ${n}`);
  }
  for (const s of plan.skipped) lines.push(`- skipped ${s.id}: ${s.reason}`);
  for (const n of plan.notFound) lines.push(`- not found: ${n}`);
  const changed = plan.items.filter((i) => i.status !== 'unchanged').length;
  lines.push(`${changed} record(s) to write, ${plan.items.length - changed} already up to date.`);
  return `${lines.join('\n')}\n`;
}

function statusOf(record: Episode | Insight, teamCopy: Episode | Insight | undefined): ShareItem['status'] {
  if (!teamCopy) return 'new';
  return stableJson(strip(record)) === stableJson(strip(teamCopy)) ? 'unchanged' : 'update';
}

export function strip(r: Episode | Insight): unknown {
  const { provenance: _p, ...rest } = r;
  return rest;
}

function diffFields(before: object, after: object): string[] {
  const a = before as Record<string, unknown>;
  const b = after as Record<string, unknown>;
  return Object.keys(b)
    .filter((k) => k !== 'provenance' && stableJson(a[k]) !== stableJson(b[k]))
    .sort();
}

function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim().slice(0, 100);
}
