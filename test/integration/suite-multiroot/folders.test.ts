// The multi-root run: a .code-workspace file with two folders, each its own git repository.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

describe('multi-root workspace run', () => {
  it('opens both folders of the .code-workspace file', () => {
    assert.ok(vscode.workspace.workspaceFile?.fsPath.endsWith('.code-workspace'), String(vscode.workspace.workspaceFile));
    assert.deepEqual(
      vscode.workspace.workspaceFolders?.map((f) => f.name),
      ['frontend', 'backend'],
    );
    assert.equal(vscode.workspace.isTrusted, true);
  });
});
