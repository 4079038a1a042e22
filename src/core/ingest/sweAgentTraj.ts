// A SWE-agent trajectory (`<instance_id>.traj`: JSON with `trajectory` steps of thought / action /
// observation, the chat `history`, and `info` with `submission`, `exit_status`, `model_stats`)
// becomes one episode. The issue is the problem statement shown to the agent; each step that runs
// tests or a reproduction script is an attempt; the submission is the final patch.
//
// A submission is not proof of a fix. When SWE-bench evaluation results for the same patch are
// given, they decide the outcome (and are added as a last attempt). Otherwise the outcome follows
// the agent's own last test run, as for other transcripts: resolved when it passed, failed when it
// failed, abandoned when no run showed a result — and abandoned whenever nothing was submitted.
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { z } from 'zod';
import type { Attempt } from '../model/attempt';
import type { Episode, EpisodeOutcome } from '../model/episode';
import { errorSignature } from '../model/errorSignature';
import { stableId } from '../model/ids';
import { patchFiles, patchSymbols } from '../model/patch';
import { outcomeOf, splitPrompt } from './transcript';
import { DocumentError, type DocumentFormat } from './documents';
import { validate } from './records';
import { isTestCommand, judgeOutput } from './testRuns';
import type { EvalRun } from './evalResults';

export const SWE_AGENT = 'swe-agent';
/** A trajectory larger than this is refused rather than read into memory. */
export const MAX_TRAJ_BYTES = 256 * 1024 * 1024;

const text = z
  .string()
  .nullable()
  .optional()
  .transform((s) => s ?? '');
const stepSchema = z.object({ action: text, observation: text, thought: text });
const messageSchema = z.object({ role: z.string(), content: z.unknown() });
const trajSchema = z.object({
  trajectory: z.array(stepSchema),
  history: z.array(z.unknown()).optional().default([]),
  info: z.object({ submission: text, exit_status: text }).optional().default({ submission: '', exit_status: '' }),
});

type Step = z.output<typeof stepSchema>;

/** Actions that only look around; a test run after which only these follow ran the submitted code. */
const LOOKING =
  /^(?:open|goto|scroll_up|scroll_down|search_file|search_dir|find_file|find|ls|cat|head|tail|grep|pwd|cd|submit|str_replace_editor\s+view|wc)(?:\s|$)/;
/** Actions that edit files; their bodies are file text, never commands. */
const EDITING = /^(?:edit|create|insert|append|str_replace_editor|str_replace|edit_file|write_file)(?:\s|$)/;

/** The trajectory format; `results` are SWE-bench evaluation runs by instance id, when known. */
export function sweAgentTrajFormat(results?: Map<string, EvalRun[]>): DocumentFormat {
  return {
    accepts: (name) => name.endsWith('.traj'),
    read: async (file) => ({
      episode: episodeFromTraj(await readTraj(file), basename(file, '.traj'), (await stat(file)).mtimeMs, results),
      problems: [],
    }),
  };
}

/** The file's text and its parsed, checked content. */
export async function readTraj(file: string): Promise<{ raw: string; traj: z.output<typeof trajSchema> }> {
  const s = await stat(file);
  if (s.size === 0) throw new DocumentError('the file is empty, nothing to import');
  if (s.size > MAX_TRAJ_BYTES)
    throw new DocumentError(
      `the file is ${(s.size / 1024 / 1024).toFixed(0)} MB; trajectories over ${MAX_TRAJ_BYTES / 1024 / 1024} MB are not read`,
    );
  let raw: string;
  try {
    raw = new TextDecoder('utf-8', { fatal: true }).decode(await readFile(file));
  } catch (e) {
    if (e instanceof TypeError) throw new DocumentError('not UTF-8 text (a binary file?)');
    throw e;
  }
  let value: unknown;
  try {
    value = JSON.parse(raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw);
  } catch (e) {
    throw new DocumentError(`not valid JSON (${(e as Error).message.slice(0, 120)})`);
  }
  try {
    return { raw, traj: validate(trajSchema, value, 'SWE-agent trajectory') };
  } catch (e) {
    throw new DocumentError((e as Error).message);
  }
}

export function episodeFromTraj(
  { raw, traj }: { raw: string; traj: z.output<typeof trajSchema> },
  instanceId: string,
  mtimeMs: number,
  results?: Map<string, EvalRun[]>,
): Episode {
  const id = stableId('ep', 'sweagent-traj', instanceId, createHash('sha256').update(raw).digest('hex'));
  const steps = traj.trajectory;
  // Trajectories carry no clock times: the run ended when the file was written, one second a step.
  const end = Number.isFinite(mtimeMs) ? mtimeMs : 0;
  const timeOf = (k: number) => new Date(end - (steps.length - k) * 1000).toISOString();
  const submission = traj.info.submission;
  const runs = steps.map(isRun);
  // unchangedAfter[k]: every step after k only ran code or looked around.
  const unchangedAfter = new Array<boolean>(steps.length);
  for (let k = steps.length - 1, clean = true; k >= 0; k--) {
    unchangedAfter[k] = clean;
    clean = clean && (runs[k] || LOOKING.test(steps[k].action.trim()));
  }
  const attempts: Attempt[] = [];
  steps.forEach((step, k) => {
    if (!runs[k]) return;
    const verdict = judgeOutput(step.observation);
    attempts.push({
      id: stableId('at', 'sweagent-traj', id, String(k)),
      episodeId: id,
      // The code a run saw is known only when nothing was edited between it and the submission.
      patch: unchangedAfter[k] ? submission : '',
      command: step.action.trim(),
      exitCode: null,
      outputTail: step.observation,
      at: timeOf(k),
      by: SWE_AGENT,
      outcome: verdict,
    });
  });
  let outcome: EpisodeOutcome = submission.trim() ? outcomeOf(attempts) : 'abandoned';
  const run = submission.trim() ? results?.get(instanceId)?.find((r) => r.model_patch.trim() === submission.trim()) : undefined;
  if (run) {
    outcome = run.resolved ? 'resolved' : 'failed';
    attempts.push({
      id: stableId('at', 'sweagent-traj', id, 'evaluation'),
      episodeId: id,
      patch: submission,
      command: 'SWE-bench evaluation',
      exitCode: null,
      outputTail: '',
      at: timeOf(steps.length),
      by: run.system ?? SWE_AGENT,
      outcome: run.resolved ? 'passed' : 'failed',
    });
  }
  const statement = problemStatement(traj.history) ?? instanceId;
  const failed = attempts.find((a) => a.outcome === 'failed');
  return {
    id,
    repo: repoOf(instanceId),
    issue: splitPrompt(statement),
    errorSignature: errorSignature(statement) || (failed ? errorSignature(failed.outputTail) : ''),
    attempts,
    finalPatch: submission,
    reproTest: '',
    files: patchFiles(submission),
    symbols: patchSymbols(submission),
    outcome,
    source: 'import:sweagent-traj',
    sourceId: instanceId,
    createdAt: timeOf(0),
    endedAt: timeOf(steps.length),
  };
}

/** Whether a step runs tests or a reproduction script (an edit's body is never a command). */
export function isRun(step: Step): boolean {
  const action = step.action.trim();
  return action !== '' && !EDITING.test(action) && isTestCommand(action);
}

/** `django__django-11039` → `django/django`. */
function repoOf(instanceId: string): string {
  const m = /^([\w.-]+?)__([\w.-]+)-\d+$/.exec(instanceId);
  return m ? `${m[1]}/${m[2]}` : instanceId;
}

/**
 * The issue text shown to the agent: in the last user message before its first reply (earlier ones
 * may be demonstrations), between SWE-agent 0.x `ISSUE:` … `INSTRUCTIONS:` or 1.x `<pr_description>`.
 */
function problemStatement(history: unknown[]): string | undefined {
  let found: string | undefined;
  for (const h of history) {
    const m = messageSchema.safeParse(h);
    if (!m.success) continue;
    if (m.data.role === 'assistant') break;
    if (m.data.role !== 'user' || (h as { is_demo?: unknown }).is_demo === true) continue;
    const content = contentText(m.data.content);
    const issue = /ISSUE:\n([\s\S]*?)\n+INSTRUCTIONS:/.exec(content) ?? /<pr_description>\n?([\s\S]*?)\n?<\/pr_description>/.exec(content);
    found = (issue ? issue[1] : content).trim() || found;
  }
  return found;
}

function contentText(c: unknown): string {
  if (typeof c === 'string') return c;
  if (!Array.isArray(c)) return '';
  return c
    .map((b) =>
      typeof b === 'object' && b !== null && typeof (b as { text?: unknown }).text === 'string' ? (b as { text: string }).text : '',
    )
    .join('\n');
}
