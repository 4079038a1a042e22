// "Open patch": a stored diff in VS Code's diff editor — the hunks' old lines on the left, the new
// ones on the right — from read-only in-memory documents (nothing is written to disk).
import * as vscode from 'vscode';
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
  await vscode.commands.executeCommand('vscode.diff', vscode.Uri.from({ scheme: SCHEME, path: left }), vscode.Uri.from({ scheme: SCHEME, path: right }), `Dejafix: ${title}`, { preview: true });
}
