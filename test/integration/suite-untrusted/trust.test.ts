// The run without --disable-workspace-trust: the folder opens in Restricted Mode.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

describe('untrusted workspace run', () => {
  it('opens the folder untrusted', () => {
    assert.equal(vscode.workspace.isTrusted, false);
    assert.equal(vscode.workspace.workspaceFolders?.length, 1);
    assert.match(vscode.workspace.workspaceFolders![0].uri.fsPath, /untrusted-project$/);
  });
});
