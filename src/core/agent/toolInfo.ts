// What each agent tool is called and how a model is told to use it. The same text goes to VS Code
// (package.json `modelDescription`) and to MCP clients (the tool's `description`).
import { z } from 'zod';
import { composePromptInput, feedbackInput, recallInput, recordAttemptInput, recordOutcomeInput } from './schemas';

export const TOOL_NAMES = [
  'dejafix_recall',
  'dejafix_record_attempt',
  'dejafix_record_outcome',
  'dejafix_compose_prompt',
  'dejafix_feedback',
] as const;
export type ToolName = (typeof TOOL_NAMES)[number];

export interface ToolInfo {
  name: ToolName;
  displayName: string;
  /** `#dejafix_…` in VS Code chat. */
  toolReferenceName: string;
  userDescription: string;
  modelDescription: string;
  /** The tool changes the memory: VS Code asks the user first. */
  writes: boolean;
  schema: z.ZodObject;
}

export const TOOLS: Record<ToolName, ToolInfo> = {
  dejafix_recall: {
    name: 'dejafix_recall',
    displayName: 'Recall Past Repairs',
    toolReferenceName: 'dejafix',
    userDescription: 'Find how similar issues were repaired before: what was tried, what failed, what fixed it, and the lessons learned.',
    modelDescription: [
      'Searches the experience memory of past repairs in this and other repositories, and returns the few most relevant ones, compactly:',
      'for each, its outcome (resolved / failed / abandoned), why it matched, the commands that did NOT work, the one that worked, the files it touched and the start of its final patch; plus the lessons (insights) that apply.',
      'Call it at the start of work on a bug, a failing test or an error message, before exploring the code, with the issue text or the failure output as `query`.',
      'Call it again with the same issue text when a test still fails after your change: it then also weighs the files you changed in the checkout.',
      'Use what it returns as hints, not truth: check that the files and functions it names exist in this code base. An empty result means no similar repair is remembered; carry on normally.',
      'Read-only; it never changes anything.',
    ].join(' '),
    writes: false,
    schema: recallInput,
  },
  dejafix_record_attempt: {
    name: 'dejafix_record_attempt',
    displayName: 'Record a Repair Attempt',
    toolReferenceName: 'dejafix_record_attempt',
    userDescription:
      'Record a test run of the current repair in the experience memory: the command, its exit code, its output and the code change.',
    modelDescription: [
      'Records one attempt of the current repair: after you change code and run a test or check command, report the command, its exit code and the tail of its output (and the patch or the changed files).',
      'Record failing attempts too: "this did not work" is what makes the memory useful to the next agent.',
      "The first call for an issue needs `issue` {title, body}: it opens a repair session and returns its id; pass that id as `session` in later calls (in VS Code the editor's open session is used).",
      'Without `patch`, the git diff of the project folder against the session start is recorded.',
      'Nothing becomes a remembered repair until dejafix_record_outcome ends the session. Secrets in commands, output and patches are redacted before they are stored.',
    ].join(' '),
    writes: true,
    schema: recordAttemptInput,
  },
  dejafix_record_outcome: {
    name: 'dejafix_record_outcome',
    displayName: 'Record the Repair Outcome',
    toolReferenceName: 'dejafix_record_outcome',
    userDescription: 'End the current repair session as resolved, failed or abandoned and save it as a past repair.',
    modelDescription: [
      'Ends the open repair session and saves it, with all its recorded attempts, as a past repair that dejafix_recall can find from then on.',
      'Call it once when you are done with an issue: `resolved` when the fix is in and the tests pass, `failed` when your attempts did not fix it, `abandoned` when work stopped.',
      'Give `finalPatch` when the final change differs from the last passing attempt, and, when you learned something that would help with similar issues, one short general `lesson` (it is proposed to the user for approval, never used unapproved).',
      "Pass the `session` id dejafix_record_attempt returned (in VS Code the editor's open session is used).",
    ].join(' '),
    writes: true,
    schema: recordOutcomeInput,
  },
  dejafix_compose_prompt: {
    name: 'dejafix_compose_prompt',
    displayName: 'Compose a Prompt from Past Repairs',
    toolReferenceName: 'dejafix_compose_prompt',
    userDescription:
      'Compose a prompt for a stage of a repair (reproduce, fix, review) from the relevant past repairs and lessons, within a token budget.',
    modelDescription: [
      'Composes a ready-to-use prompt for one stage of a repair: `reproduce` (write a failing test), `fix` (write the patch), `review` (judge a candidate patch) or `chat`.',
      'The prompt holds the issue, the most relevant past repairs shown as demonstrations (failing attempts, then what passed) and the lessons for that stage, redacted and fitted into `budget` tokens.',
      'Use it when you hand a stage to another model or sub-agent, or want the demonstrations in full; for quick hints, dejafix_recall is shorter. Read-only.',
    ].join(' '),
    writes: false,
    schema: composePromptInput,
  },
  dejafix_feedback: {
    name: 'dejafix_feedback',
    displayName: 'Give Feedback on a Recalled Repair',
    toolReferenceName: 'dejafix_feedback',
    userDescription: 'Say a past repair or lesson that recall returned was not relevant to the issue, or helped; or take that back.',
    modelDescription: [
      'Tells the experience memory whether one past repair or lesson that dejafix_recall returned fitted the issue: `not-relevant` when it had nothing to do with it (it is hidden when the same query is recalled again, by you, the user and other agents, and ranks a little lower elsewhere), `helpful` when it helped you fix the issue (it ranks a little higher from now on).',
      'Pass its `episodeId` or insight `id` as `id`, and the same `query` you gave dejafix_recall.',
      'Give a verdict only when you are sure, after checking the memory against this code base; one verdict moves a memory by a bounded amount, never buries it. `undo: true` takes a verdict back.',
      'Only the hash of the query is stored, never its text.',
    ].join(' '),
    writes: true,
    schema: feedbackInput,
  },
};

/** The JSON Schema of a tool's input, as package.json declares it and as the MCP SDK lists it (draft-07, input side). */
export function toolInputJsonSchema(name: ToolName): Record<string, unknown> {
  const { $schema: _drop, ...schema } = z.toJSONSchema(TOOLS[name].schema, { target: 'draft-07', io: 'input' }) as Record<string, unknown>;
  return schema;
}
