import { z } from 'zod';
import { int32, recordId } from './fields';
import { isoTime } from './time';

export { OUTPUT_TAIL_CHARS } from './outputTail';

/** How one attempt ended: a test run that passed, failed, or whose result is not known. */
export const attemptOutcomes = ['passed', 'failed', 'unknown'] as const;
export type AttemptOutcome = (typeof attemptOutcomes)[number];

/**
 * One try at fixing an issue: the code change at that moment and the command that judged it.
 * A failing attempt followed by a passing one is the "wrong → right" demonstration.
 */
export const attemptSchema = z.object({
  id: recordId,
  episodeId: recordId,
  /** Unified diff against the session's base commit. */
  patch: z.string(),
  command: z.string(),
  exitCode: int32.nullable(),
  /** The last part of the command's output. */
  outputTail: z.string(),
  at: isoTime,
  /** Who made the attempt: `human` or an agent/system name. */
  by: z.string(),
  outcome: z.enum(attemptOutcomes),
});

export type Attempt = z.infer<typeof attemptSchema>;
