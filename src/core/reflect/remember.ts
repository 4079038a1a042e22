// The one "remember this lesson" use case: a person's `/remember` in @dejafix and an agent's lesson
// at the end of a repair both become an insight of the repository (or global) here.
import type { Insight, InsightRole } from '../model/insight';
import { stableId } from '../model/ids';
import type { ExperienceStore } from '../store/store';
import { DejafixError } from '../util/errors';
import { silentLogger, type Logger } from '../util/logger';
import { INSIGHT_TEXT } from './ops';

export interface LessonInput {
  text: string;
  role: InsightRole;
  /** The repository it applies to; none (or `unknown`) makes it global. */
  repo?: string;
  /** The episode it was learnt from, with the files that episode touched. */
  episodeId?: string;
  files?: string[];
  /** Who gave it (`human`, `agent:claude-code`, …), for the log. */
  by: string;
  /** A person's own words count as approved (active at once); an agent's lesson waits as proposed. */
  approved: boolean;
}

/** The importance a new lesson starts with (reflection's counter then moves it). */
export const NEW_LESSON_IMPORTANCE = 2;

/**
 * Stores the lesson (the same words, role and scope are one insight: remembering it again keeps
 * the one there, and a person's approval makes it active). Throws a DejafixError `bad-lesson` for
 * text shorter or longer than a lesson may be.
 */
export async function rememberLesson(
  store: ExperienceStore,
  input: LessonInput,
  log: Logger = silentLogger,
): Promise<{ insight: Insight; created: boolean }> {
  // Redacted before the lines are joined: rules for credential files and YAML/Kubernetes blocks
  // need the line structure, which the one-line lesson no longer has. (Loaded on first use, like
  // capture's: the redaction rules are large.)
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { redact } = require('../redact') as typeof import('../redact');
  const text = (await redact(input.text.toWellFormed())).text.replace(/\s+/g, ' ').trim();
  if (text.length < INSIGHT_TEXT.min || text.length > INSIGHT_TEXT.max) {
    throw new DejafixError(`lesson of ${text.length} characters`, {
      code: 'bad-lesson',
      userMessage: `A lesson is ${INSIGHT_TEXT.min}–${INSIGHT_TEXT.max} characters (this one has ${text.length}).`,
    });
  }
  const scope = input.repo && input.repo !== 'unknown' ? input.repo : 'global';
  const id = stableId('in', scope, input.role, text.toLowerCase());
  const now = new Date().toISOString();
  const existing = await store.getInsight(id);
  if (existing) {
    if (input.approved && existing.status !== 'active') await store.upsertInsights([{ ...existing, status: 'active', updatedAt: now }]);
    return { insight: input.approved ? { ...existing, status: 'active' } : existing, created: false };
  }
  const insight: Insight = {
    id,
    text,
    role: input.role,
    scope,
    importance: NEW_LESSON_IMPORTANCE,
    evidence: { episodes: input.episodeId ? [input.episodeId] : [], files: (input.files ?? []).slice(0, 20) },
    status: input.approved ? 'active' : 'proposed',
    createdAt: now,
    updatedAt: now,
  };
  await store.upsertInsights([insight]);
  log.info(
    `${input.by} ${input.approved ? 'added' : 'proposed'} insight ${id}${input.episodeId ? ` from episode ${input.episodeId}` : ''}`,
  );
  return { insight, created: true };
}
