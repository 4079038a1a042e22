// Multi-root: the session belongs to the folder of the active editor; its diff comes from there.
import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { dejafix, eventually, runTask } from '../support/dejafix';

describe('multi-root workspace: sessions per folder', function () {
  this.timeout(120_000);
  it("opens the issue in the active editor's folder and captures that folder's tasks and diff", async () => {
    const api = await dejafix();
    const backend = vscode.workspace.workspaceFolders!.find((f) => f.name === 'backend')!;
    await vscode.window.showTextDocument(vscode.Uri.joinPath(backend.uri, 'test.js'));
    assert.equal(await vscode.commands.executeCommand('dejafix.openIssue', 'Backend total is NaN'), true);
    const s = api.app.sessions.active()!;
    assert.equal(s.folder, backend.uri.fsPath);
    assert.equal(s.repo, 'backend');
    writeFileSync(join(backend.uri.fsPath, 'fix.js'), 'module.exports = 3;\n');
    assert.equal(await runTask('backend npm test', 'npm test', {}, backend), 1);
    const a = await eventually('the attempt', () => api.app.sessions.active()?.attempts[0]);
    assert.match(a.patch, /\+\+\+ b\/fix.js/);
    await api.app.endSession('abandoned');
  });
});
