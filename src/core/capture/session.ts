// A repair session: one issue being worked on, the test runs made against it (each with the code
// change at that moment), and how it ended. Plain data, so the editor can keep it in workspace
// state across reloads; secrets are redacted as each attempt is recorded, before it is kept.
import { randomUUID } from 'node:crypto';
import type { Attempt } from '../model/attempt';
import type { Episode, EpisodeOutcome, Issue } from '../model/episode';
import { errorSignature } from '../model/errorSignature';
import { stableId } from '../model/ids';
import { isTestPath, patchFiles, patchSymbols } from '../model/patch';

import { OUTPUT_TAIL_CHARS } from '../model/outputTail';

export { OUTPUT_TAIL_CHARS };
/** Attempts kept per session; beyond it the oldest failures are dropped (the first failure and every pass stay). */
export const MAX_ATTEMPTS = 200;

export interface SessionState {
  id: string;
  repo: string;
  issue: Issue;
  /** The commit the session started from; attempts are diffs against it. */
  baseCommit?: string;
  /** Workspace folder (file system path) the session belongs to. */
  folder?: string;
  startedAt: string;
  attempts: Attempt[];
  /** Who opened it: `editor`, `agent:<name>`… */
  source: string;
}

export interface AttemptInput {
  command: string;
  exitCode: number | null;
  outputTail: string;
  patch: string;
  by: string;
  at: string;
}

export function startSession(opts: {
  repo: string;
  issue: Issue;
  baseCommit?: string;
  folder?: string;
  now: string;
  source?: string;
}): SessionState {
  return {
    id: randomUUID(),
    repo: opts.repo,
    issue: opts.issue,
    ...(opts.baseCommit ? { baseCommit: opts.baseCommit } : {}),
    ...(opts.folder ? { folder: opts.folder } : {}),
    startedAt: opts.now,
    attempts: [],
    source: opts.source ?? 'editor',
  };
}

/**
 * Adds a test run. `looksFixed` is true for the first passing run after a failing one: the
 * moment to ask "looks fixed — save as resolved?".
 */
export async function recordAttempt(
  s: SessionState,
  input: AttemptInput,
): Promise<{ state: SessionState; attempt: Attempt; looksFixed: boolean }> {
  // Loaded on first use: the redaction rules are large, and the editor must activate fast. (A
  // require, not import(): bundles and the CommonJS test loader both resolve it synchronously.)
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { redact } = require('../redact') as typeof import('../redact');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { redactHead, redactTail } = require('../redact/clip') as typeof import('../redact/clip');
  // Redacted before clipping: a secret cut at the limit would keep its other part.
  const [command, outputTail, patch] = await Promise.all([
    redactHead(input.command, 2_000),
    redactTail(input.outputTail, OUTPUT_TAIL_CHARS),
    redact(input.patch).then((r) => r.text),
  ]);
  const outcome = input.exitCode === null ? 'unknown' : input.exitCode === 0 ? 'passed' : 'failed';
  const attempt: Attempt = {
    id: stableId('at', s.id, String(s.attempts.length), input.at),
    episodeId: episodeIdOf(s),
    patch,
    command,
    exitCode: input.exitCode,
    outputTail,
    at: input.at,
    by: input.by,
    outcome,
  };
  const previous = s.attempts.at(-1);
  const looksFixed = outcome === 'passed' && previous?.outcome === 'failed';
  return { state: { ...s, attempts: capAttempts([...s.attempts, attempt]) }, attempt, looksFixed };
}

export function episodeIdOf(s: Pick<SessionState, 'id'>): string {
  return stableId('ep', 'session', s.id);
}

/** The episode a session becomes when it ends. A resolved one's final patch is its last passing run's change. */
export function endSession(s: SessionState, outcome: EpisodeOutcome, now: string, finalPatch?: string): Episode {
  const lastPass = s.attempts.findLast((a) => a.outcome === 'passed');
  const patch = finalPatch ?? (outcome === 'resolved' ? (lastPass?.patch ?? s.attempts.at(-1)?.patch ?? '') : '');
  const touched = patch || s.attempts.at(-1)?.patch || '';
  const files = patchFiles(touched);
  const firstFailure = s.attempts.find((a) => a.outcome === 'failed');
  return {
    id: episodeIdOf(s),
    repo: s.repo,
    issue: s.issue,
    errorSignature: errorSignature(firstFailure?.outputTail ?? s.issue.body),
    attempts: s.attempts,
    finalPatch: patch,
    reproTest: '',
    files: [...files.filter((f) => !isTestPath(f)), ...files.filter(isTestPath)],
    symbols: patchSymbols(touched),
    outcome,
    source: s.source,
    createdAt: s.startedAt,
    endedAt: now,
  };
}

function capAttempts(list: Attempt[]): Attempt[] {
  if (list.length <= MAX_ATTEMPTS) return list;
  const firstFail = list.findIndex((a) => a.outcome === 'failed');
  const drop = list.findIndex((a, i) => i !== firstFail && a.outcome !== 'passed');
  return drop < 0 ? list.slice(1) : list.filter((_, i) => i !== drop);
}
