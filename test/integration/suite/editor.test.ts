// The editor's job, in a real VS Code: open an issue, capture test runs as attempts with the code
// change at that moment, save the episode when the issue is fixed or abandoned.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { episodeIdOf } from '../../../src/core/capture/session';
import { startGithubServer } from '../../helpers/githubServer';
import { dejafix, eventually, noSession, runTask } from '../support/dejafix';

const folder = () => vscode.workspace.workspaceFolders![0].uri.fsPath;

describe('editor: repair sessions and capture', function () {
  this.timeout(120_000);

  beforeEach(async () => noSession(await dejafix()));

  it('turns a failing then a passing test task into one resolved episode with two attempts', async () => {
    const api = await dejafix();
    assert.equal(
      await vscode.commands.executeCommand(
        'dejafix.openIssue',
        'Total is NaN for an empty cart\nAssertionError: expected total to be 3, got NaN',
      ),
      true,
    );
    const s = api.app.sessions.active();
    assert.ok(s, 'a session is open');
    assert.match(s.baseCommit ?? '', /^[0-9a-f]{40}$/, 'the base commit is recorded');
    assert.equal(s.folder, folder());
    assert.equal(await runTask('npm test (broken)', 'npm test'), 1);
    await eventually('the failing run as an attempt', () => api.app.sessions.active()?.attempts.length === 1);
    writeFileSync(join(folder(), 'total.js'), 'module.exports = (xs) => xs.reduce((a, b) => a + b, 0);\n');
    assert.equal(await runTask('npm test (fixed)', 'npm test', { FIXED: '1' }), 0);
    const attempts = await eventually('the passing run as an attempt', () => {
      const a = api.app.sessions.active()?.attempts;
      return a && a.length === 2 ? a : undefined;
    });
    assert.deepEqual(
      attempts.map((a) => [a.command, a.exitCode, a.outcome]),
      [
        ['npm test', 1, 'failed'],
        ['npm test', 0, 'passed'],
      ],
    );
    assert.match(attempts[1].patch, /\+\+\+ b\/total.js/, 'the attempt carries the change at that moment');
    assert.equal(attempts[0].patch, '', 'nothing had changed at the first run');
    await vscode.commands.executeCommand('dejafix.endSessionResolved');
    assert.equal(api.app.sessions.active(), undefined);
    const store = await api.app.memory.open();
    const ep = await store.getEpisode(episodeIdOf(s));
    assert.ok(ep, 'the episode is stored');
    assert.equal(ep.outcome, 'resolved');
    assert.equal(ep.attempts.length, 2);
    assert.deepEqual(ep.files, ['total.js']);
    assert.match(ep.finalPatch, /reduce/);
    assert.equal(ep.source, 'editor');
    // The next issue about the same failure recalls it.
    await vscode.commands.executeCommand('dejafix.openIssue', 'Cart total shows NaN when the cart is empty');
    const recalled = await api.app.recaller.for(api.app.sessions.active()!);
    assert.equal(recalled.hits[0]?.episodeId, ep.id);
    await eventually(
      'the status bar to show the issue and its memories',
      () => api.statusBar?.text.includes('Cart total shows NaN') && /· [1-9]/.test(api.statusBar.text),
    );
    execFileSync('git', ['checkout', '--', '.'], { cwd: folder() });
    execFileSync('git', ['clean', '-fdq'], { cwd: folder() });
  });

  it('saves an abandoned session with what was tried', async () => {
    const api = await dejafix();
    await vscode.commands.executeCommand('dejafix.openIssue', 'Export button does nothing');
    const s = api.app.sessions.active()!;
    assert.equal(await runTask('npm test (abandoned)', 'npm test'), 1);
    await eventually('the run as an attempt', () => api.app.sessions.active()?.attempts.length === 1);
    await vscode.commands.executeCommand('dejafix.endSessionAbandoned');
    const ep = await (await api.app.memory.open()).getEpisode(episodeIdOf(s));
    assert.equal(ep?.outcome, 'abandoned');
    assert.equal(ep?.finalPatch, '');
    assert.equal(ep?.attempts[0].outcome, 'failed');
  });

  it('captures a test command typed in a terminal (shell integration), with its output tail', async () => {
    const api = await dejafix();
    await vscode.commands.executeCommand('dejafix.openIssue', 'Terminal capture issue');
    const terminal = vscode.window.createTerminal({ name: 'dejafix-it shell', cwd: folder(), shellPath: '/bin/bash' });
    try {
      const integration = await eventually('shell integration in the terminal', () => terminal.shellIntegration, 30_000);
      integration.executeCommand('npm test');
      const a = await eventually('the terminal run as an attempt', () => api.app.sessions.active()?.attempts[0], 30_000);
      assert.equal(a.command, 'npm test');
      assert.equal(a.exitCode, 1);
      assert.match(a.outputTail, /AssertionError: expected total to be 3/);
      assert.ok(!a.outputTail.includes('\u001b['), 'colour codes are stripped');
      await new Promise((r) => setTimeout(r, 500));
      assert.equal(api.app.sessions.active()?.attempts.length, 1, 'recorded once');
    } finally {
      terminal.dispose();
    }
  });

  it('does not capture commands that are not test runs', async () => {
    const api = await dejafix();
    await vscode.commands.executeCommand('dejafix.openIssue', 'Some issue');
    assert.equal(await runTask('list files', 'ls -la'), 0);
    assert.equal(await runTask('npm test (again)', 'npm test'), 1);
    await eventually('the test run', () => api.app.sessions.active()?.attempts.length === 1);
    assert.equal(api.app.sessions.active()!.attempts[0].command, 'npm test');
  });

  it('opens a GitHub issue by URL through the REST API (a local server here), and explains a missing one', async () => {
    const api = await dejafix();
    const gh = await startGithubServer({
      'acme/project#42': { number: 42, title: 'Total is NaN for empty carts', body: 'Steps: open an empty cart.' },
    });
    const cfg = vscode.workspace.getConfiguration('dejafix');
    await cfg.update('github.apiBaseUrl', gh.apiBase, vscode.ConfigurationTarget.Global);
    try {
      assert.equal(await vscode.commands.executeCommand('dejafix.openIssue', 'https://github.com/acme/project/issues/42'), true);
      const s = api.app.sessions.active()!;
      assert.deepEqual(
        [s.issue.title, s.issue.number, s.issue.url],
        ['Total is NaN for empty carts', 42, 'https://github.com/acme/project/issues/42'],
      );
      assert.equal(gh.requests.at(-1)?.path, '/repos/acme/project/issues/42');
      await noSession(api);
      assert.equal(await vscode.commands.executeCommand('dejafix.openIssue', 'https://github.com/acme/project/issues/9999'), false);
      assert.equal(api.app.sessions.active(), undefined, 'no session for an issue that does not exist');
    } finally {
      await cfg.update('github.apiBaseUrl', undefined, vscode.ConfigurationTarget.Global);
      await gh.close();
    }
  });

  it('opens the issue a new branch names (#N through the repository remote)', async () => {
    const api = await dejafix();
    const gh = await startGithubServer({
      'acme/project#7': { number: 7, title: 'Rounding error in VAT', body: 'VAT is off by one cent.' },
    });
    const cfg = vscode.workspace.getConfiguration('dejafix');
    await cfg.update('github.apiBaseUrl', gh.apiBase, vscode.ConfigurationTarget.Global);
    try {
      execFileSync('git', ['remote', 'add', 'origin', 'https://github.com/acme/project.git'], { cwd: folder() });
      execFileSync('git', ['checkout', '-q', '-b', 'fix/7-vat-rounding'], { cwd: folder() });
      const s = await eventually(
        'a session for issue #7',
        () => api.app.sessions.active()?.issue.number === 7 && api.app.sessions.active(),
        40_000,
      );
      assert.equal(s.issue.title, 'Rounding error in VAT');
      assert.equal(s.repo, 'github.com/acme/project');
    } finally {
      execFileSync('git', ['checkout', '-q', 'main'], { cwd: folder() });
      execFileSync('git', ['remote', 'remove', 'origin'], { cwd: folder() });
      await cfg.update('github.apiBaseUrl', undefined, vscode.ConfigurationTarget.Global);
      await gh.close();
    }
  });

  it('recalls for a failure without an open issue by starting a session titled by the error', async () => {
    const api = await dejafix();
    await vscode.commands.executeCommand(
      'dejafix.recallForFailure',
      'Traceback (most recent call last):\n  File "cart.py", line 3\nZeroDivisionError: division by zero',
    );
    assert.equal(api.app.sessions.active()?.issue.title, 'ZeroDivisionError: division by zero');
  });

  it('keeps the Anthropic key in secret storage, not in settings', async () => {
    const api = await dejafix();
    await vscode.commands.executeCommand('dejafix.setAnthropicKey', 'sk-ant-test-key');
    assert.equal(await api.app.llm.hasAnthropicKey(), true);
    assert.equal(JSON.stringify(vscode.workspace.getConfiguration('dejafix')).includes('sk-ant-test-key'), false);
    const info = await api.app.llm.info();
    assert.equal(info.find((p) => p.id === 'anthropic')?.available, true);
    await api.app.llm.setAnthropicKey(undefined);
    assert.equal(await api.app.llm.hasAnthropicKey(), false);
  });
});

describe('editor: changing the embedding model', function () {
  this.timeout(120_000);
  it('embeds the memory again for the new model in the background, in its own vector table', async () => {
    const api = await dejafix();
    const store = await api.app.memory.open();
    const { startEmbedServer } = await import('../../helpers/embedServer');
    const { VectorTable } = await import('../../../src/core/store/vectors');
    const server = await startEmbedServer({ dimensions: 16 });
    const cfg = vscode.workspace.getConfiguration('dejafix');
    try {
      await vscode.commands.executeCommand('dejafix.seedDemo');
      const episodes = await store.count('episodes');
      await cfg.update('embeddings.url', server.baseUrl, vscode.ConfigurationTarget.Global);
      await cfg.update('embeddings.model', 'nomic-embed-text', vscode.ConfigurationTarget.Global);
      await cfg.update('embeddings.provider', 'openai-compatible', vscode.ConfigurationTarget.Global);
      await eventually(
        'vectors of the new model for every episode',
        async () => {
          // Read through a store of the test's own, opened on the extension's folder.
          const { ExperienceStore } = await import('../../../src/core/store');
          const s = await ExperienceStore.open(api.app.memory.location(), { mode: 'read' });
          try {
            const n = await new VectorTable(s, 'openai:nomic-embed-text:16').count();
            if (n !== episodes) throw new Error(`${n} of ${episodes} vectors`);
            return true;
          } finally {
            s.close();
          }
        },
        60_000,
      );
      assert.ok(server.requests.length > 0, 'the new model was asked');
    } finally {
      await cfg.update('embeddings.provider', undefined, vscode.ConfigurationTarget.Global);
      await cfg.update('embeddings.url', undefined, vscode.ConfigurationTarget.Global);
      await cfg.update('embeddings.model', undefined, vscode.ConfigurationTarget.Global);
      await server.close();
    }
  });
});
