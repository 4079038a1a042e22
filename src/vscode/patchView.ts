// "Open patch": a stored diff in VS Code's diff editor — the hunks' old lines on the left, the new
// ones on the right — from read-only in-memory documents (nothing is written to disk). The same
// read-only documents preview other generated text (showReadOnly).
import * as vscode from 'vscode';
import type { Episode } from '../core/model/episode';
import { patchSides } from '../core/model/patchSides';

const SCHEME = 'dejafix-patch';
const docs = new Map<string, string>();
let seq = 0;

export function registerPatchContent(): vscode.Disposable {
  return vscode.workspace.registerTextDocumentContentProvider(SCHEME, {
    provideTextDocumentContent: (uri) => docs.get(uri.path) ?? '',
  });
}

export async function showPatch(patch: string, title: string): Promise<void> {
  if (!patch.trim()) throw new Error('This episode has no patch to show.');
  const { before, after } = patchSides(patch);
  const id = ++seq;
  const left = `/${id}/before`;
  const right = `/${id}/after`;
  docs.set(left, before);
  docs.set(right, after);
  while (docs.size > 40) docs.delete(docs.keys().next().value!);
  await vscode.commands.executeCommand(
    'vscode.diff',
    vscode.Uri.from({ scheme: SCHEME, path: left }),
    vscode.Uri.from({ scheme: SCHEME, path: right }),
    `Dejafix: ${title}`,
    { preview: true },
  );
}

/**
 * A read-only preview (for example the agent configuration Connect an Agent would write): closing it
 * asks nothing, since it is not an untitled file. The tab shows `name`.
 */
export async function showReadOnly(content: string, name: string, language: string): Promise<vscode.TextDocument> {
  const path = `/${++seq}/${name.replace(/[/\\]/g, '_')}`;
  docs.set(path, content);
  while (docs.size > 40) docs.delete(docs.keys().next().value!);
  const doc = await vscode.languages.setTextDocumentLanguage(
    await vscode.workspace.openTextDocument(vscode.Uri.from({ scheme: SCHEME, path })),
    language,
  );
  await vscode.window.showTextDocument(doc, { preview: true });
  return doc;
}

/**
 * An episode's patch: the named attempt's, else the final patch, else the last attempt's (an
 * abandoned session has no final patch). Used by the "Open patch" command and the panel alike.
 */
export async function showEpisodePatch(e: Episode, attemptId?: string): Promise<void> {
  const a = attemptId ? e.attempts.find((x) => x.id === attemptId) : undefined;
  const patch = a ? a.patch : e.finalPatch.trim() ? e.finalPatch : (e.attempts.at(-1)?.patch ?? '');
  const what = a ? `attempt ${a.command.slice(0, 30)}` : e.finalPatch.trim() ? 'final patch' : 'last attempt';
  await showPatch(patch, `${e.issue.title.slice(0, 60)} — ${what}`);
}
