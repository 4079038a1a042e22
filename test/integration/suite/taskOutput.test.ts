// Task runs keep their output: a failing task's attempt holds the end of what it printed (the stack
// trace), whether the task ran in a fresh terminal or reused one, and the user's clipboard survives.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { dejafix, eventually, executeTaskToEnd, noSession } from '../support/dejafix';

function runTestTask(name: string, command: string, panel: vscode.TaskPanelKind): Promise<number | undefined> {
  const folder = vscode.workspace.workspaceFolders![0];
  const task = new vscode.Task({ type: 'shell', label: name }, folder, name, 'dejafix-it', new vscode.ShellExecution(command));
  task.group = vscode.TaskGroup.Test;
  task.presentationOptions = { panel, reveal: vscode.TaskRevealKind.Always };
  return executeTaskToEnd(task);
}

const crash = (what: string) => `node -e "console.log('running 3 tests'); function total() { throw new Error('${what}'); } total()"`;

describe('task runs keep their output', function () {
  this.timeout(120_000);

  beforeEach(async () => noSession(await dejafix()));
  afterEach(async () => noSession(await dejafix()));

  for (const [label, panel] of [
    ['in a fresh terminal', vscode.TaskPanelKind.New],
    ['in a reused terminal', vscode.TaskPanelKind.Shared],
  ] as const) {
    it(`a failing test task ${label}: the attempt holds the stack trace's last lines`, async () => {
      const api = await dejafix();
      await vscode.env.clipboard.writeText('what the user copied');
      await vscode.commands.executeCommand('dejafix.openIssue', `Cart total crashes (${label})`);
      if (panel === vscode.TaskPanelKind.Shared) {
        // A first run opens the shared terminal; the second one reuses it.
        assert.equal(await runTestTask('unit tests (warm-up)', crash('warm-up failure'), panel), 1);
        await eventually('the warm-up attempt', () => api.app.sessions.active()?.attempts.length === 1);
      }
      const before = api.app.sessions.active()!.attempts.length;
      const what = `cart total exploded ${label.replace(/ /g, '-')}`;
      assert.equal(await runTestTask(`unit tests ${label}`, crash(what), panel), 1);
      const a = await eventually('the attempt', () => api.app.sessions.active()?.attempts[before]);
      assert.equal(a.exitCode, 1);
      assert.match(a.outputTail, new RegExp(`Error: ${what}`), a.outputTail);
      assert.match(a.outputTail, /at total \(/, 'the stack trace is kept');
      assert.match(a.outputTail, /running 3 tests/);
      assert.doesNotMatch(a.outputTail, /warm-up failure/, "only this run, not the terminal's earlier runs");
      assert.doesNotMatch(a.outputTail, /Terminal will be reused|The terminal process/, "not VS Code's own notes");
      assert.ok(!a.outputTail.includes('\u001b['), 'colour codes are stripped');
      assert.equal(await vscode.env.clipboard.readText(), 'what the user copied', 'the clipboard is restored');
    });
  }
});
