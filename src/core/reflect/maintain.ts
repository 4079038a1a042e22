// What people (and the editor) do with insights: approve, edit, retire, say whether one helped;
// and the staleness check, which marks insights whose evidence is gone so recall ranks them lower.
import { access } from 'node:fs/promises';
import { isAbsolute, relative, resolve } from 'node:path';
import type { Insight } from '../model/insight';
import { existingEpisodeIds, insightsFor } from '../store/queries';
import type { ExperienceStore } from '../store/store';
import { COUNTER, INSIGHT_TEXT } from './ops';
import { DejafixError } from '../util/errors';

export type InsightErrorCode = 'not-found' | 'invalid';

export class InsightError extends DejafixError {
  declare readonly code: InsightErrorCode;
  constructor(code: InsightErrorCode, message: string) {
    super(message, { code });
    this.name = 'InsightError';
  }
}

async function load(store: ExperienceStore, id: string): Promise<Insight> {
  const i = await store.getInsight(id);
  if (!i) throw new InsightError('not-found', `No insight ${id}. List them with \`dejafix export\` or in the Dejafix panel.`);
  return i;
}

async function save(store: ExperienceStore, i: Insight): Promise<Insight> {
  await store.upsertInsights([i]);
  return (await store.getInsight(i.id)) ?? i;
}

/** A proposed (or retired) insight becomes active. */
export async function approveInsight(store: ExperienceStore, id: string): Promise<Insight> {
  const i = await load(store, id);
  if (i.status === 'active') return i;
  // A retired insight brought back starts again as a new one would.
  return save(store, { ...i, status: 'active', importance: Math.max(i.importance, COUNTER.add), updatedAt: new Date().toISOString() });
}

export async function retireInsight(store: ExperienceStore, id: string): Promise<Insight> {
  const i = await load(store, id);
  if (i.status === 'retired') return i;
  return save(store, { ...i, status: 'retired', updatedAt: new Date().toISOString() });
}

/** A person's edit: the new text (redacted on write) counts as approved. */
export async function editInsight(store: ExperienceStore, id: string, text: string): Promise<Insight> {
  const clean = text.toWellFormed().replace(/\s+/g, ' ').trim();
  if (clean.length < INSIGHT_TEXT.min || clean.length > INSIGHT_TEXT.max) {
    throw new InsightError('invalid', `An insight is ${INSIGHT_TEXT.min}–${INSIGHT_TEXT.max} characters; this text has ${clean.length}.`);
  }
  const i = await load(store, id);
  const { stale: _stale, ...rest } = i;
  return save(store, {
    ...rest,
    text: clean,
    status: i.status === 'retired' ? 'active' : i.status,
    importance: Math.max(i.importance, 1),
    updatedAt: new Date().toISOString(),
  });
}

/** Helpful moves the counter up one, not helpful down one; at 0 the insight is retired. */
export async function applyFeedback(store: ExperienceStore, id: string, verdict: 'helpful' | 'not-helpful'): Promise<Insight> {
  await load(store, id);
  // The counter moves in one atomic update, so feedback from two windows at once is not lost.
  await store.addImportance(id, verdict === 'helpful' ? COUNTER.helpful : COUNTER.unhelpful);
  const i = await load(store, id);
  const feedback = { helpful: i.feedback?.helpful ?? 0, unhelpful: i.feedback?.unhelpful ?? 0 };
  if (verdict === 'helpful') feedback.helpful++;
  else feedback.unhelpful++;
  const retire = i.importance <= 0;
  return save(store, { ...i, feedback, importance: Math.max(0, i.importance), status: retire ? 'retired' : i.status });
}

export interface StalenessOptions {
  /** The workspace folder that evidence files are relative to. */
  workspaceRoot?: string;
  /** Only insights of this scope are checked against `workspaceRoot` (the workspace's repository). */
  scope?: string;
}

export interface StalenessResult {
  checked: number;
  /** Insights newly marked stale, and those no longer stale. */
  stale: string[];
  fresh: string[];
}

const FILES_STALE = 'its evidence files no longer exist';

async function exists(root: string, file: string): Promise<boolean> {
  const full = resolve(root, file);
  const rel = relative(root, full);
  // Evidence that points outside the workspace is never looked up.
  if (rel.startsWith('..') || isAbsolute(rel)) return false;
  return access(full).then(
    () => true,
    () => false,
  );
}

/**
 * Marks current insights stale when all their evidence files are missing from the workspace, or
 * all their evidence episodes were forgotten; clears the mark when the evidence is back.
 */
export async function checkStaleness(store: ExperienceStore, opts: StalenessOptions = {}): Promise<StalenessResult> {
  const insights = await insightsFor(store);
  const known = await existingEpisodeIds(store, [...new Set(insights.flatMap((i) => i.evidence.episodes))]);
  const result: StalenessResult = { checked: insights.length, stale: [], fresh: [] };
  const write: Insight[] = [];
  for (const i of insights) {
    let why: string | undefined;
    if (i.evidence.episodes.length && !i.evidence.episodes.some((e) => known.has(e))) why = 'all of its evidence episodes were forgotten';
    const checkFiles = opts.workspaceRoot && i.evidence.files.length && (opts.scope === undefined || i.scope === opts.scope);
    if (!why && checkFiles) {
      const present = await Promise.all(i.evidence.files.map((f) => exists(opts.workspaceRoot!, f)));
      if (!present.some(Boolean)) why = `${FILES_STALE} (${i.evidence.files.slice(0, 3).join(', ')})`;
    }
    // A file check that was not made this time keeps its earlier verdict.
    if (!why && !checkFiles && i.stale?.startsWith(FILES_STALE)) continue;
    if (why && i.stale !== why) {
      write.push({ ...i, stale: why });
      result.stale.push(i.id);
    } else if (!why && i.stale) {
      const { stale: _stale, ...rest } = i;
      write.push(rest);
      result.fresh.push(i.id);
    }
  }
  if (write.length) await store.upsertInsights(write);
  return result;
}
