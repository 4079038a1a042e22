import { z } from 'zod';
import { int32, recordId } from './fields';
import { isoTime } from './time';
import { provenanceSchema } from './provenance';

export const insightRoles = ['reproduce', 'fix', 'review', 'general'] as const;
export type InsightRole = (typeof insightRoles)[number];

export const insightStatuses = ['proposed', 'active', 'retired'] as const;
export type InsightStatus = (typeof insightStatuses)[number];

/** A short lesson distilled from successes and failures. */
export const insightSchema = z.object({
  id: recordId,
  text: z.string().min(1),
  role: z.enum(insightRoles),
  /** A repository, or `global`. */
  scope: z.string().min(1),
  /** ExpeL-style counter: starts at 2, retired at 0. */
  importance: z.number().int(),
  evidence: z.object({ episodes: z.array(z.string()), files: z.array(z.string()) }),
  status: z.enum(insightStatuses),
  createdAt: isoTime,
  updatedAt: isoTime,
  lastUsedAt: isoTime.optional(),
  /** Why the insight may no longer hold (its evidence files or episodes are gone); absent when fresh. */
  stale: z.string().optional(),
  /** How often people marked it helpful or not helpful when it was shown. */
  feedback: z.object({ helpful: int32.min(0), unhelpful: int32.min(0) }).optional(),
  /** Who shared it and from where; absent for the user's own records. */
  provenance: provenanceSchema.optional(),
});

export type Insight = z.infer<typeof insightSchema>;
