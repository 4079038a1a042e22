import { z } from 'zod';
import { attemptSchema } from './attempt';
import { int32, recordId } from './fields';
import { isoTime } from './time';
import { provenanceSchema } from './provenance';

export const episodeOutcomes = ['resolved', 'failed', 'abandoned'] as const;
export type EpisodeOutcome = (typeof episodeOutcomes)[number];

export const issueSchema = z.object({
  title: z.string(),
  body: z.string(),
  url: z.string().optional(),
  number: int32.min(0, { message: 'must be 0 or more' }).optional(),
});
export type Issue = z.infer<typeof issueSchema>;

/** One repair of one issue: what was tried and how it ended. */
export const episodeSchema = z.object({
  id: recordId,
  /** Normalised remote URL (`github.com/owner/name`) or folder name. */
  repo: z.string(),
  issue: issueSchema,
  /** Normalised exception/assertion text, empty when unknown. */
  errorSignature: z.string(),
  attempts: z.array(attemptSchema),
  /** The patch that resolved the issue (empty when none did). */
  finalPatch: z.string(),
  /** A test change that reproduces the issue (e.g. SWE-bench `test_patch`), empty when none. */
  reproTest: z.string(),
  /** Non-test and test files the repair touched. */
  files: z.array(z.string()),
  /** Functions/classes the repair touched (from hunk headers). */
  symbols: z.array(z.string()),
  outcome: z.enum(episodeOutcomes),
  /** `editor | task | terminal | agent:<name> | import:<format>`. */
  source: z.string(),
  /** The id the record had where it came from (e.g. a SWE-bench `instance_id`). */
  sourceId: z.string().optional(),
  createdAt: isoTime,
  endedAt: isoTime.optional(),
  /** Who shared it and from where; absent for the user's own records. */
  provenance: provenanceSchema.optional(),
});

export type Episode = z.infer<typeof episodeSchema>;
