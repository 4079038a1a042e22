// Agents' attempts and outcomes in the editor go to the window's repair session (the one the panel
// and the status bar show): an attempt opens one from its `issue` when none is open.
import * as vscode from 'vscode';
import { diffAgainst } from '../../core/capture/gitDiff';
import { diffOfFiles, outputWithNote } from '../../core/agent/attemptText';
import { AgentToolError } from '../../core/agent/errors';
import { errorText } from '../../core/util/errors';
import type { AttemptReport, OutcomeReport, SessionBackend } from '../../core/agent/sessionBackend';
import type { RecordAttemptInput, RecordOutcomeInput } from '../../core/agent/schemas';
import type { App } from '../app';

export class EditorSessions implements SessionBackend {
  constructor(private readonly app: App) {}

  async recordAttempt(input: RecordAttemptInput, by: string): Promise<AttemptReport> {
    let s = this.app.sessions.active();
    if (s && input.session && input.session !== s.id) throw this.otherSession(input.session, s.id, s.issue.title);
    let opened = false;
    if (!s) {
      if (!input.issue) {
        throw new AgentToolError(
          'No repair session is open in VS Code. Call dejafix_record_attempt again with `issue` {title, body} to open one, or ask the user to run "Dejafix: Open Issue…".',
        );
      }
      const folder = this.folder();
      const issue = { title: input.issue.title, body: input.issue.body ?? '', ...(input.issue.url ? { url: input.issue.url } : {}) };
      await this.app.startSession(issue, folder, { source: by }).catch((e: unknown) => {
        throw new AgentToolError(
          `The repair session could not be opened (${errorText(e)}). Ask the user to open the issue with "Dejafix: Open Issue…", then record the attempt again.`,
          { cause: e },
        );
      });
      s = this.app.sessions.active();
      opened = true;
    }
    if (!s) throw new AgentToolError('The repair session closed while the attempt was being recorded. Record it again.');
    let patch = input.patch;
    // No git in an untrusted workspace; with `files`, only their part of the diff.
    if (patch === undefined && !vscode.workspace.isTrusted) patch = '';
    if (patch === undefined && input.files?.length && s.folder) patch = diffOfFiles(await diffAgainst(s.folder, s.baseCommit), input.files);
    const r = await this.app.capture.record({
      command: input.command,
      exitCode: input.exitCode,
      output: await outputWithNote(input.output, input.note),
      by,
      patch,
    });
    if (!r) throw new AgentToolError('The repair session ended before the attempt was recorded. Open a new one by passing `issue`.');
    return {
      sessionId: r.session.id,
      issueTitle: r.session.issue.title,
      opened,
      attempt: r.attempt,
      attempts: r.session.attempts.length,
      looksFixed: r.looksFixed,
    };
  }

  async recordOutcome(input: RecordOutcomeInput, _by: string): Promise<OutcomeReport> {
    const s = this.app.sessions.active();
    if (!s)
      throw new AgentToolError(
        'No repair session is open in VS Code, so there is no outcome to record. Record attempts with dejafix_record_attempt (with `issue`) first.',
      );
    if (input.session && input.session !== s.id) throw this.otherSession(input.session, s.id, s.issue.title);
    // The final patch the agent names replaces the one taken from the last passing run, in the
    // one save (so the background reflection sees it too).
    const ep = await this.app.endSession(input.outcome, input.finalPatch).catch((e: unknown) => {
      throw new AgentToolError(
        `Saving the session failed (${errorText(e)}), so it is still open. Try dejafix_record_outcome once more; if it fails again, tell the user to look at the Dejafix log.`,
        { cause: e },
      );
    });
    if (!ep)
      throw new AgentToolError(
        'The repair session closed before the outcome was recorded. Record attempts with dejafix_record_attempt (with `issue`) first.',
      );
    return { sessionId: s.id, episode: ep };
  }

  private otherSession(given: string, open: string, title: string): AgentToolError {
    return new AgentToolError(
      `Session ${given.slice(0, 200)} is not the one open in VS Code; the open session is ${open} ("${title.slice(0, 80)}"). Leave \`session\` out to use it.`,
    );
  }

  /** The active editor's folder, else the first: a tool call never stops to ask. */
  private folder(): vscode.WorkspaceFolder | undefined {
    const uri = vscode.window.activeTextEditor?.document.uri;
    return (uri && vscode.workspace.getWorkspaceFolder(uri)) || vscode.workspace.workspaceFolders?.[0];
  }
}
