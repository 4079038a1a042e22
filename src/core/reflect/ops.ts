// The operations a reflection may ask for, as the model must send them (through the
// `update_insights` tool) and as they are validated. Anything outside this schema — another
// operation, a missing field, an extra one — rejects the whole answer before any of it is applied.
import { z } from 'zod';
import { insightRoles } from '../model/insight';
import type { LlmTool } from '../llm/provider';

/** Counter steps, after ExpeL: a new insight starts at 2 and is retired at 0. */
export const COUNTER = { add: 2, upvote: 1, edit: 1, downvote: -1, remove: -2, helpful: 1, unhelpful: -1 } as const;
/** Most insights kept per scope × role (ExpeRepair keeps ≤ 15 per role). */
export const DEFAULT_CAP = 15;
/** A reflection on one episode may lower at most this many insights (DOWNVOTE / REMOVE). */
export const MAX_NEGATIVE_OPS = 3;
export const MAX_OPS = 8;
export const INSIGHT_TEXT = { min: 12, max: 400 } as const;

const handle = z.string().regex(/^I\d{1,3}$/, 'an insight handle such as I3, from the list of current insights');
const evidence = z
  .object({
    episodes: z
      .array(z.string().min(1).max(200))
      .min(1)
      .max(5)
      .describe('ids of the episodes that support the operation: the episode shown'),
    files: z.array(z.string().min(1).max(500)).max(20).describe('repository paths from the episode that the lesson is about'),
  })
  .strict();
const text = z.string().min(INSIGHT_TEXT.min).max(INSIGHT_TEXT.max);

export const opSchema = z.discriminatedUnion('op', [
  z
    .object({
      op: z.literal('ADD'),
      role: z.enum(insightRoles),
      scope: z.enum(['repo', 'global']).describe('repo: holds in this repository; global: in any'),
      text: text.describe('the lesson: one or two imperative sentences, general enough to apply to other issues'),
      evidence,
    })
    .strict(),
  z.object({ op: z.literal('EDIT'), insight: handle, text, evidence }).strict(),
  z.object({ op: z.literal('UPVOTE'), insight: handle, evidence }).strict(),
  z.object({ op: z.literal('DOWNVOTE'), insight: handle, evidence }).strict(),
  z.object({ op: z.literal('REMOVE'), insight: handle, reason: z.string().min(5).max(300), evidence }).strict(),
]);
export type InsightOp = z.infer<typeof opSchema>;

export const reflectionSchema = z
  .object({
    operations: z.array(opSchema).max(MAX_OPS),
  })
  .strict();
export type ReflectionOutput = z.infer<typeof reflectionSchema>;

export const reflectionTool: LlmTool<ReflectionOutput> = {
  name: 'update_insights',
  description: [
    'Update the list of insights (short, general lessons for reproducing, fixing and reviewing issues) from one repair episode.',
    'ADD a new lesson the episode teaches; EDIT an existing one (by its handle) to make it more accurate; UPVOTE one the episode confirms;',
    'DOWNVOTE one the episode contradicts; REMOVE one the episode shows to be wrong or harmful (give the reason).',
    'Every operation cites its evidence: the episode id shown, and the files of the episode it concerns. Send an empty list when nothing is worth changing.',
  ].join(' '),
  schema: reflectionSchema,
};
