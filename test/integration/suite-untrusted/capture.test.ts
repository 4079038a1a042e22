// Restricted Mode: recall and sessions work, but test runs are never captured.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { dejafix } from '../support/dejafix';

describe('untrusted workspace: capture is off', function () {
  this.timeout(60_000);
  it('opens an issue but records no test run', async () => {
    const api = await dejafix();
    assert.equal(vscode.workspace.isTrusted, false);
    assert.equal(await vscode.commands.executeCommand('dejafix.openIssue', 'Total is NaN for an empty cart'), true);
    assert.ok(api.app.sessions.active());
    assert.equal(api.app.capture.enabled(), false);
    // Tasks do not run in Restricted Mode; a run reported through the capture path is refused too.
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(api.app.sessions.active()!.attempts.length, 0);
  });
});
