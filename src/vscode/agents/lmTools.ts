// The agent tools as VS Code language-model tools (Copilot agent mode, `#dejafix`). Inputs
// are the zod-derived types package.json's inputSchema is generated from; writes ask first
// (prepareInvocation); failures become results whose text tells the model what to do next.
// Registered at activation by name only: the tools themselves (and zod) load at the first call.
import * as vscode from 'vscode';
import type { AgentTools } from '../../core/agent/tools';
import type { ComposePromptInput, FeedbackInput, RecallInput, RecordAttemptInput, RecordOutcomeInput } from '../../core/agent/schemas';
import type { Logger } from '../../core/util/logger';
import { oneLine } from '../../core/util/text';
import { errorText } from '../log';
import { TOOL_NAMES, WRITING_TOOLS, type ToolName } from './ids';

type Inputs = {
  dejafix_recall: RecallInput;
  dejafix_record_attempt: RecordAttemptInput;
  dejafix_record_outcome: RecordOutcomeInput;
  dejafix_compose_prompt: ComposePromptInput;
  dejafix_feedback: FeedbackInput;
};

/** The agent behind a tool call in VS Code: the chat's agent mode (Copilot), unless it names itself. */
export const EDITOR_AGENT = 'copilot';

export function registerLmTools(tools: () => Promise<AgentTools>, log: Logger): vscode.Disposable[] {
  return TOOL_NAMES.map((name) => vscode.lm.registerTool(name, lmTool(name, tools, log)));
}

export function lmTool<N extends ToolName>(name: N, tools: () => Promise<AgentTools>, log: Logger): vscode.LanguageModelTool<Inputs[N]> {
  return {
    async prepareInvocation(options) {
      const invocationMessage = invocationText(name, options.input);
      if (!WRITING_TOOLS.has(name)) return { invocationMessage };
      const { TOOLS } = await import('../../core/agent/toolInfo');
      return {
        invocationMessage,
        confirmationMessages: { title: TOOLS[name].displayName, message: new vscode.MarkdownString(confirmText(name, options.input)) },
      };
    },
    async invoke(options, token) {
      if (token.isCancellationRequested) throw new vscode.CancellationError();
      try {
        const r = await (await tools()).run(name, options.input, { announced: EDITOR_AGENT });
        return new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(r.text)]);
      } catch (e) {
        const { AgentToolError } = await import('../../core/agent/errors');
        if (e instanceof AgentToolError) return new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(e.message)]);
        log.error(e, `${name} failed`);
        return new vscode.LanguageModelToolResult([
          new vscode.LanguageModelTextPart(
            `Dejafix could not complete ${name}: ${errorText(e).slice(0, 500)}. This is not caused by your input; continue without Dejafix.`,
          ),
        ]);
      }
    },
  };
}

function invocationText(name: ToolName, input: unknown): string {
  const i = (input ?? {}) as Record<string, unknown>;
  switch (name) {
    case 'dejafix_recall':
      return `Recalling past repairs for "${oneLine(String(i.query ?? ''), 60)}"`;
    case 'dejafix_record_attempt':
      return `Recording attempt \`${oneLine(String(i.command ?? ''), 60)}\``;
    case 'dejafix_record_outcome':
      return `Recording the outcome: ${String(i.outcome ?? '')}`;
    case 'dejafix_compose_prompt':
      return `Composing a ${String(i.stage ?? '')} prompt from past repairs`;
    case 'dejafix_feedback':
      return `${i.undo === true ? 'Taking back' : 'Marking'} ${oneLine(String(i.id ?? ''), 40)} ${String(i.verdict ?? '')}`;
  }
}

/** What the user approves: exactly what will be stored. */
export function confirmText(name: ToolName, input: unknown): string {
  const i = (input ?? {}) as Record<string, unknown>;
  const code = (s: unknown) => `\`${oneLine(String(s ?? ''), 100).replace(/`/g, "'")}\``;
  if (name === 'dejafix_record_attempt') {
    const patch =
      typeof i.patch === 'string'
        ? `a patch of ${i.patch.split('\n').length} lines`
        : Array.isArray(i.files)
          ? `the git diff of ${i.files.length} file(s)`
          : 'the git diff of the workspace';
    const issue =
      i.issue && typeof i.issue === 'object'
        ? ` It opens a repair session for "${oneLine(String((i.issue as { title?: unknown }).title ?? ''), 80)}" if none is open.`
        : '';
    return `Save the test run ${code(i.command)} (exit ${i.exitCode === null ? 'unknown' : String(i.exitCode)}) with ${patch} and the end of its output as an attempt of the current repair?${issue} Secrets are redacted before saving.`;
  }
  if (name === 'dejafix_feedback') {
    const verdict = i.verdict === 'helpful' ? 'helpful' : 'not relevant';
    return i.undo === true
      ? `Take back "${verdict}" on the past repair or lesson ${code(i.id)} for this issue?`
      : `Mark the past repair or lesson ${code(i.id)} **${verdict}** for this issue? ${verdict === 'helpful' ? 'It will rank a little higher.' : 'It will be hidden when this issue is recalled again, and rank a little lower elsewhere.'} Only a hash of the issue text is kept.`;
  }
  const lesson =
    typeof i.lesson === 'string' ? ` The lesson "${oneLine(i.lesson, 120)}" is saved as a proposed insight for you to approve.` : '';
  return `End the current repair session as **${String(i.outcome)}** and save it as a past repair that recall can find?${lesson}`;
}
