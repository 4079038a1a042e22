// The workspace the harness opens can run processes the way capture will observe them: a shell task
// (through node-pty) and its exit code via tasks.onDidEndTaskProcess.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { runTask } from '../support/dejafix';

describe('tasks in the test workspace', () => {
  it('opens the fixture project as a git repository', async () => {
    const files = await vscode.workspace.findFiles('test.js');
    assert.equal(files.length, 1);
    const git = await vscode.workspace.fs.stat(vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0].uri, '.git'));
    assert.equal(git.type, vscode.FileType.Directory);
  });

  it('reports a failing then a passing test run with their exit codes', async () => {
    assert.equal(await runTask('fixture test (broken)', 'node test.js'), 1);
    assert.equal(await runTask('fixture test (fixed)', 'node test.js', { FIXED: '1' }), 0);
  });
});
