// Connect an Agent… and Disconnect an Agent… driven through the real workbench UI (the quick picks
// are typed into by the runner; the modal question — which VS Code refuses to show in extension
// tests — is answered by wrapping vscode.window's own function, as checkMemory.test does): the diff
// preview opens as a read-only document, nothing is written before (or without) the confirmation,
// the files get Dejafix's part next to what was there, and Disconnect takes exactly that part out.
// A malformed file stops it with one error naming the file, and nothing is written.
import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { ui } from '../control/client';
import { eventually } from '../support/dejafix';

const folder = () => vscode.workspace.workspaceFolders![0].uri.fsPath;

async function pick(text: string): Promise<void> {
  await ui.fill('.quick-input-widget input', text, { timeoutMs: 30_000 });
  await ui.press('Enter', '.quick-input-widget input');
}

describe('Connect an Agent… / Disconnect an Agent… @ui', function () {
  this.timeout(180_000);
  const mine = '# Our rules\n\nTabs, not spaces.\n';
  const win = vscode.window as unknown as Record<string, (...a: unknown[]) => Thenable<unknown>>;
  const originals = { showInformationMessage: win.showInformationMessage, showErrorMessage: win.showErrorMessage };
  const asked: { text: string; options: unknown[] }[] = [];
  /** Answers the modal question with `answer`; other messages are recorded and pass through. */
  const answerModal = (answer: string | undefined) =>
    Object.assign(win, {
      showInformationMessage: (text: unknown, ...options: unknown[]) => {
        asked.push({ text: String(text), options });
        return (options[0] as { modal?: boolean } | undefined)?.modal ? Promise.resolve(answer) : Promise.resolve(undefined);
      },
      showErrorMessage: (text: unknown, ...options: unknown[]) => (asked.push({ text: String(text), options }), Promise.resolve(undefined)),
    });

  afterEach(() => {
    Object.assign(win, originals);
    asked.length = 0;
    for (const f of ['.cursor', '.github', '.vscode']) rmSync(join(folder(), f), { recursive: true, force: true });
  });

  it("previews the diff, writes only after Connect, keeps what was there; Disconnect removes only Dejafix's part", async () => {
    mkdirSync(join(folder(), '.cursor', 'rules'), { recursive: true });
    const other = `${JSON.stringify({ mcpServers: { other: { command: 'uvx', args: ['x'] } } }, null, 2)}\n`;
    writeFileSync(join(folder(), '.cursor', 'mcp.json'), other);
    answerModal(undefined);
    const declined = vscode.commands.executeCommand('dejafix.connectAgent');
    await pick('Cursor');
    await pick('This project');
    await declined;
    assert.equal(readFileSync(join(folder(), '.cursor', 'mcp.json'), 'utf8'), other, 'declined: nothing written');
    assert.equal(existsSync(join(folder(), '.cursor', 'rules', 'dejafix.mdc')), false);
    answerModal('Connect');
    const done = vscode.commands.executeCommand('dejafix.connectAgent');
    await pick('Cursor');
    await pick('This project');
    const preview = await eventually(
      'the diff preview',
      () => vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'dejafix-patch' && d.getText().includes('.cursor/mcp.json')),
      30_000,
    );
    assert.match(preview.getText(), /^\+.*"dejafix"/m);
    assert.match(preview.getText(), /dejafix_recall/);
    await done;
    const question = asked.find((a) => (a.options[0] as { modal?: boolean } | undefined)?.modal);
    assert.ok(question, JSON.stringify(asked));
    assert.equal(question.text, 'Connect Cursor?');
    assert.match(String((question.options[0] as { detail: string }).detail), /create .*dejafix\.mdc[^]*update .*mcp\.json/);
    const mcp = JSON.parse(readFileSync(join(folder(), '.cursor', 'mcp.json'), 'utf8'));
    assert.deepEqual(mcp.mcpServers.other, { command: 'uvx', args: ['x'] });
    assert.deepEqual(mcp.mcpServers.dejafix.args.slice(1, 2), ['mcp']);
    assert.match(readFileSync(join(folder(), '.cursor', 'rules', 'dejafix.mdc'), 'utf8'), /alwaysApply: true[^]*dejafix_record_outcome/);

    answerModal('Disconnect');
    const off = vscode.commands.executeCommand('dejafix.disconnectAgent');
    await pick('Cursor');
    await pick('This project');
    await off;
    assert.deepEqual(JSON.parse(readFileSync(join(folder(), '.cursor', 'mcp.json'), 'utf8')), JSON.parse(other));
    assert.equal(existsSync(join(folder(), '.cursor', 'rules', 'dejafix.mdc')), false);
  });

  it('a malformed file stops Connect with nothing written anywhere', async () => {
    mkdirSync(join(folder(), '.vscode'), { recursive: true });
    mkdirSync(join(folder(), '.github'), { recursive: true });
    const broken = '{ "servers": { "a": ';
    writeFileSync(join(folder(), '.vscode', 'mcp.json'), broken);
    writeFileSync(join(folder(), '.github', 'copilot-instructions.md'), mine);
    answerModal('Connect');
    const done = vscode.commands.executeCommand('dejafix.connectAgent');
    await pick('GitHub Copilot');
    await done;
    const error = asked.find((a) => /cannot connect GitHub Copilot/.test(a.text));
    assert.ok(error, JSON.stringify(asked));
    assert.match(error.text, /mcp\.json is not valid JSON .*fix it first/);
    assert.ok(!asked.some((a) => (a.options[0] as { modal?: boolean } | undefined)?.modal), 'no question was asked');
    assert.equal(readFileSync(join(folder(), '.vscode', 'mcp.json'), 'utf8'), broken);
    assert.equal(readFileSync(join(folder(), '.github', 'copilot-instructions.md'), 'utf8'), mine);
  });
});
