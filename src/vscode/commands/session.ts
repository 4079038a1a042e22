// Commands around the repair session: open an issue, recall for a failure, end the session.
import { editorWorkspaceCode } from '../workspaceCode';
import * as vscode from 'vscode';
import { errorSignature } from '../../core/model/errorSignature';
import { ellipsize } from '../../core/util/text';
import type { App } from '../app';
import { resolveIssue } from '../issueInput';
import { errorText } from '../log';
import { repoOfFolder } from '../repo';

export async function openIssue(app: App, raw?: unknown): Promise<boolean> {
  const text =
    typeof raw === 'string'
      ? raw
      : await vscode.window.showInputBox({
          title: 'Dejafix: Open Issue',
          prompt: 'Paste the issue text, a GitHub issue URL, or its number (#123)',
          placeHolder: 'https://github.com/owner/repo/issues/123, #123, or the issue text',
          ignoreFocusOut: true,
          validateInput: (v) => (v.trim() ? undefined : 'The issue text, a URL or #number'),
        });
  if (text === undefined) return false;
  const folder = await app.pickFolder();
  try {
    const repo = folder ? await repoOfFolder(folder) : undefined;
    const issue = await resolveIssue(text, repo, app.settings, app.log);
    if (!(await replaceOpenSession(app))) return false;
    await app.startSession(issue, folder);
    await vscode.commands.executeCommand('dejafix.panel.focus').then(undefined, () => undefined);
    return true;
  } catch (e) {
    app.log.warn(`open issue: ${errorText(e)}`);
    // Not awaited: the command ends now; the offer stays until the user answers or dismisses it.
    void vscode.window
      .showErrorMessage(`Dejafix: ${errorText(e)}`, 'Paste Issue Text')
      .then((c) => c === 'Paste Issue Text' && openIssue(app));
    return false;
  }
}

/** Recall for a failure: the given text, else the selection, else the session's last failing run. */
export async function recallForFailure(app: App, raw?: unknown): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  const selected = editor && !editor.selection.isEmpty ? editor.document.getText(editor.selection) : '';
  const lastFailure = app.sessions.active()?.attempts.findLast((a) => a.outcome === 'failed')?.outputTail ?? '';
  let text = typeof raw === 'string' ? raw : selected || lastFailure;
  if (!text.trim()) {
    text =
      (await vscode.window.showInputBox({
        title: 'Dejafix: Recall for This Failure',
        prompt: 'Paste the failing output (traceback, assertion, test log)',
        ignoreFocusOut: true,
      })) ?? '';
    if (!text.trim()) return;
  }
  if (!app.sessions.active()) {
    const sig = errorSignature(text);
    const title = (sig || text.trim().split('\n')[0]).slice(0, 200);
    await app.startSession({ title, body: text.slice(0, 100_000) }, await app.pickFolder());
    await vscode.commands.executeCommand('dejafix.panel.focus').then(undefined, () => undefined);
    return;
  }
  const store = await app.memory.open();
  const { recall } = await import('../../core/recall/recall');
  const folder = await app.pickFolder();
  const hits = await recall(
    store,
    {
      text,
      repo: folder ? await repoOfFolder(folder) : undefined,
      k: app.settings.get('recall.maxResults'),
      minRelevance: app.settings.get('recall.minRelevance'),
    },
    {
      embedder: await app.memory.embedderOrNone(),
      log: app.log,
      workspaceCode: await editorWorkspaceCode(app.settings, app.log, folder?.uri.fsPath),
    },
  );
  if (!hits.length) {
    void vscode.window.showInformationMessage(
      `Dejafix: no confident match — no past repair reached relevance ${app.settings.get('recall.minRelevance').toFixed(2)} for this failure.`,
    );
    return;
  }
  const pick = await vscode.window.showQuickPick(
    hits.map((h) => ({
      label: h.title,
      description: `${h.outcome} · ${h.repo}`,
      detail: h.why.file ? `touched ${h.why.file}` : h.why.terms.join(', '),
      id: h.episodeId,
    })),
    { title: 'Past repairs for this failure', matchOnDetail: true },
  );
  if (pick) await vscode.commands.executeCommand('dejafix.openPatch', pick.id);
}

/** True when no session is open, or the user agrees to end the open one as abandoned. */
async function replaceOpenSession(app: App): Promise<boolean> {
  const open = app.sessions.active();
  if (!open) return true;
  const choice = await vscode.window.showWarningMessage(
    `A repair session is open for "${open.issue.title.slice(0, 80)}". End it as abandoned and open the new issue?`,
    { modal: true },
    'End and Open',
  );
  return choice === 'End and Open';
}

export async function endSession(app: App, outcome: 'resolved' | 'abandoned'): Promise<void> {
  const s = app.sessions.active();
  if (!s) {
    void vscode.window.showInformationMessage('Dejafix: no repair session is open. Open an issue first.');
    return;
  }
  if (outcome === 'resolved' && !s.attempts.some((a) => a.outcome === 'passed')) {
    const go = await vscode.window.showWarningMessage(
      'No passing test run was recorded for this issue. Save it as resolved anyway?',
      { modal: true },
      'Save as Resolved',
    );
    if (go !== 'Save as Resolved') return;
  }
  const ep = await app.endSession(outcome);
  if (!ep) return;
  app.offer.recordSaved(ep);
  // Confirms what was saved, with a link to it (the panel shows the same until dismissed).
  const open = 'Open Saved Patch';
  void vscode.window
    .showInformationMessage(
      `Dejafix saved "${ellipsize(ep.issue.title, 60)}" as ${outcome} with ${ep.attempts.length} attempt${ep.attempts.length === 1 ? '' : 's'} (episode ${ep.id}).`,
      open,
    )
    .then((c) => c === open && vscode.commands.executeCommand('dejafix.openPatch', ep.id));
}
