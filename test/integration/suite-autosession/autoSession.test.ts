// Implicit sessions in a real VS Code with the product default (dejafix.capture.autoSession: on):
// an agent-style terminal command (shell integration's executeCommand — how Copilot agent mode runs
// its commands) that fails with no session open opens one by itself, titled from the failure, marked
// "auto" in the status bar; fixing the code and running the same command again saves it as resolved
// without a question. A task run does the same; an idle one that fixed nothing is dropped unsaved;
// with the setting off, a failing run opens nothing.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { episodeIdOf } from '../../../src/core/capture/session';
import { dejafix, eventually, noSession, runTask } from '../support/dejafix';

const folder = () => vscode.workspace.workspaceFolders![0].uri.fsPath;
const FIX = 'module.exports = (xs) => xs.reduce((a, b) => a + b, 0);\n';

async function inTerminal(run: (t: vscode.TerminalShellIntegration) => Promise<void>): Promise<void> {
  const terminal = vscode.window.createTerminal({ name: 'agent terminal', cwd: folder(), shellPath: '/bin/bash' });
  try {
    const integration = await eventually('shell integration in the terminal', () => terminal.shellIntegration, 30_000);
    await run(integration);
  } finally {
    terminal.dispose();
  }
}

describe('implicit sessions (autoSession: on)', function () {
  this.timeout(180_000);

  beforeEach(async () => noSession(await dejafix()));
  afterEach(async () => {
    await noSession(await dejafix());
    execFileSync('git', ['checkout', '--', 'total.js'], { cwd: folder() });
    await vscode.workspace.getConfiguration('dejafix').update('capture.autoSession', undefined, vscode.ConfigurationTarget.Global);
  });

  it('an agent-style terminal run that fails opens a session by itself; the same command passing after a fix saves it as resolved', async () => {
    const api = await dejafix();
    assert.equal(api.app.sessions.active(), undefined);
    await inTerminal(async (t) => {
      t.executeCommand('npm test');
      const s = await eventually('an implicit session', () => api.app.sessions.active(), 30_000);
      assert.equal(s.issue.title, 'TypeError: Reduce of empty array with no initial value');
      assert.match(s.issue.body, /failing test run: `npm test`/);
      assert.equal(s.folder, folder());
      await eventually('the session marked implicit', () => api.app.autoSession.isImplicit(s.id));
      const first = await eventually('the failing run as its first attempt', () => api.app.sessions.active()?.attempts[0], 30_000);
      assert.deepEqual([first.command, first.exitCode], ['npm test', 1]);
      assert.match(first.outputTail, /TypeError: Reduce of empty array with no initial value/);
      await eventually('the quiet "auto" mark in the status bar', () => api.statusBar?.text.includes('auto: TypeError'));

      writeFileSync(join(folder(), 'total.js'), FIX);
      t.executeCommand('npm test');
      await eventually('the session saved by itself', () => api.app.sessions.active() === undefined, 30_000);
      const ep = await (await api.app.memory.open()).getEpisode(episodeIdOf(s));
      assert.ok(ep, 'the episode is stored');
      assert.equal(ep.outcome, 'resolved');
      assert.equal(ep.source, 'terminal');
      assert.deepEqual(
        ep.attempts.map((a) => [a.command, a.exitCode]),
        [
          ['npm test', 1],
          ['npm test', 0],
        ],
      );
      assert.match(ep.finalPatch, /\+module\.exports = \(xs\) => xs\.reduce\(\(a, b\) => a \+ b, 0\);/);
      assert.equal(api.statusBar?.text.includes('auto:'), false);
    });
  });

  it('a failing task opens one too; an implicit session that fixed nothing is dropped unsaved after the idle time', async () => {
    const api = await dejafix();
    assert.equal(await runTask('npm test (task)', 'npm test'), 1);
    const s = await eventually('an implicit session from the task', () => api.app.sessions.active(), 30_000);
    await eventually('the session marked implicit', () => api.app.autoSession.isImplicit(s.id));
    await eventually('the task run as its attempt', () => api.app.sessions.active()?.attempts.length === 1);
    assert.equal(await api.app.autoSession.checkIdle(new Date(Date.now() + 5 * 60_000)), false, 'not idle long enough yet');
    assert.equal(await api.app.autoSession.checkIdle(new Date(Date.now() + 31 * 60_000)), true);
    assert.equal(api.app.sessions.active(), undefined);
    assert.equal(await (await api.app.memory.open()).getEpisode(episodeIdOf(s)), undefined, 'nothing was saved');
  });

  it('a passing run, or any run with the setting off, opens nothing', async () => {
    const api = await dejafix();
    writeFileSync(join(folder(), 'total.js'), FIX);
    assert.equal(await runTask('npm test (passing)', 'npm test'), 0);
    execFileSync('git', ['checkout', '--', 'total.js'], { cwd: folder() });
    await vscode.workspace.getConfiguration('dejafix').update('capture.autoSession', 'off', vscode.ConfigurationTarget.Global);
    await inTerminal(async (t) => {
      t.executeCommand('npm test');
      await new Promise((r) => setTimeout(r, 4_000));
    });
    assert.equal(api.app.sessions.active(), undefined);
  });
});
