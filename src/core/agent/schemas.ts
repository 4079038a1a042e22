// The inputs of the agent tools, one zod schema each. The MCP server validates with them, the
// LM tools take their TypeScript types from them, and package.json's `inputSchema`s are generated
// from them (a unit test checks that package.json says exactly what these say).
import { z } from 'zod';
import { stages } from '../compose/types';
import { episodeOutcomes } from '../model/episode';
import { insightRoles } from '../model/insight';
import { INSIGHT_TEXT } from '../reflect/ops';

/** Limits on what an agent may send: generous for real use, small enough that nothing chokes. */
export const LIMITS = {
  query: 50_000,
  title: 500,
  body: 100_000,
  command: 10_000,
  output: 1_000_000,
  patch: 2_000_000,
  files: 500,
  path: 1_000,
  note: 4_000,
  id: 200,
  agent: 60,
  repo: 1_000,
} as const;

const agent = z
  .string()
  .max(LIMITS.agent)
  .describe(
    'Your name as a coding agent (e.g. "copilot", "claude-code", "cline", "codex"). Recorded as who made the attempt, as agent:<name>. Defaults to the name your client announced.',
  );
const session = z
  .string()
  .min(1)
  .max(LIMITS.id)
  .describe(
    'The session id a previous dejafix_record_attempt returned. Leave it out to use the open session (there is one per editor window; over MCP, the one open for your issue).',
  );
const issue = z
  .object({
    title: z
      .string()
      .min(1)
      .max(LIMITS.title)
      .describe('One line naming the issue, e.g. "TypeError in CSV export when the date column is empty".'),
    body: z.string().max(LIMITS.body).optional().describe('The issue text or failure description.'),
    url: z.string().max(LIMITS.path).optional().describe('Link to the issue, if it has one.'),
  })
  .describe('The issue being repaired. Needed only when no session is open yet: it opens one.');
const repo = z
  .string()
  .min(1)
  .max(LIMITS.repo)
  .describe(
    'The repository: a normalised remote such as "github.com/acme/invoices", or the absolute path of the project folder (Dejafix reads its git remote). Past repairs of the same repository rank first.',
  );

export const recallInput = z.object({
  query: z
    .string()
    .min(1)
    .max(LIMITS.query)
    .describe(
      'The issue or failure to find past repairs for: issue title and text, an error message, a traceback, or failing test output.',
    ),
  repo: repo.optional(),
  k: z
    .number()
    .int()
    .min(1)
    .max(10)
    .optional()
    .describe('How many past repairs to return (1-10, default 3). Few precise ones help more than many.'),
  includeInsights: z.boolean().optional().describe('Also return the lessons (insights) that apply (default true).'),
  minRelevance: z
    .number()
    .min(0)
    .max(1)
    .optional()
    .describe(
      'Only past repairs at least this relevant (0-1, the estimated chance that the repair touched the code this issue is about). Leave it out to use the configured threshold (default 0.15); 0 returns the closest repairs even when none is a confident match.',
    ),
});

export const recordAttemptInput = z.object({
  command: z.string().min(1).max(LIMITS.command).describe('The test or check command that was run, e.g. "pytest tests/test_export.py -x".'),
  exitCode: z
    .number()
    .int()
    .min(-1_000_000)
    .max(1_000_000)
    .nullable()
    .describe('Its exit code: 0 passed, anything else failed; null when not known.'),
  output: z
    .string()
    .max(LIMITS.output)
    .optional()
    .describe('The output of the command. Only its last 8,000 characters are kept, so the tail with the failure summary matters most.'),
  patch: z
    .string()
    .max(LIMITS.patch)
    .optional()
    .describe(
      'The code change being tested, as a unified diff against the start of the session. Leave it out to let Dejafix take the git diff of the project folder.',
    ),
  files: z
    .array(z.string().min(1).max(LIMITS.path))
    .max(LIMITS.files)
    .optional()
    .describe('The files this attempt changed (relative paths). Without a patch, only their part of the git diff is recorded.'),
  note: z.string().max(LIMITS.note).optional().describe('One or two sentences: what this attempt tried and why.'),
  session: session.optional(),
  issue: issue.optional(),
  repo: repo.optional(),
  agent: agent.optional(),
});

export const recordOutcomeInput = z.object({
  outcome: z
    .enum(episodeOutcomes)
    .describe(
      'resolved: the issue is fixed and the tests pass; failed: the attempts did not fix it; abandoned: work stopped without a verdict.',
    ),
  finalPatch: z
    .string()
    .max(LIMITS.patch)
    .optional()
    .describe('The patch that resolved the issue (unified diff). Default: the patch of the last passing attempt.'),
  lesson: z
    .string()
    .min(INSIGHT_TEXT.min)
    .max(INSIGHT_TEXT.max)
    .optional()
    .describe(
      `One reusable lesson from this repair, ${INSIGHT_TEXT.min}-${INSIGHT_TEXT.max} characters, e.g. "Empty CSV cells reach the exporter as '' not None; check both before parsing dates." Saved as a proposed insight that a person approves.`,
    ),
  lessonRole: z.enum(insightRoles).optional().describe('Which stage the lesson helps: reproduce, fix, review or general (default fix).'),
  session: session.optional(),
  agent: agent.optional(),
});

export const composePromptInput = z.object({
  stage: z
    .enum(stages)
    .describe('reproduce: write a test that shows the issue; fix: write the patch; review: judge a candidate patch; chat: general help.'),
  issue: z
    .object({
      title: z.string().max(LIMITS.title).optional().describe('The issue title.'),
      body: z.string().min(1).max(LIMITS.body).describe('The issue text.'),
    })
    .describe('The issue the prompt is for.'),
  repo: repo.optional(),
  errorOutput: z.string().max(LIMITS.output).optional().describe('Output of the failing command, if any.'),
  diff: z.string().max(LIMITS.patch).optional().describe('The current diff or the candidate patch (what the review stage judges).'),
  budget: z.number().int().min(500).max(200_000).optional().describe('Tokens the whole prompt may take (default 8000).'),
});

export const feedbackInput = z.object({
  id: z
    .string()
    .min(1)
    .max(LIMITS.id)
    .describe('The past repair or lesson the verdict is about: an `episodeId` or insight `id` exactly as dejafix_recall returned it.'),
  verdict: z
    .enum(['not-relevant', 'helpful'])
    .describe(
      'not-relevant: it had nothing to do with this issue (hidden when this query is recalled again, ranked a little lower elsewhere); helpful: it helped (ranked a little higher).',
    ),
  query: z
    .string()
    .min(1)
    .max(LIMITS.query)
    .describe('The `query` you gave dejafix_recall when it returned this memory (the verdict holds for that issue text).'),
  undo: z.boolean().optional().describe('Take back a verdict given earlier for the same id and query.'),
});

export type RecallInput = z.infer<typeof recallInput>;
export type FeedbackInput = z.infer<typeof feedbackInput>;
export type RecordAttemptInput = z.infer<typeof recordAttemptInput>;
export type RecordOutcomeInput = z.infer<typeof recordOutcomeInput>;
export type ComposePromptInput = z.infer<typeof composePromptInput>;
