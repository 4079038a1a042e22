// The hook command the editor's Connect an Agent… writes for Claude Code works as Claude Code runs it:
// `sh -c <command>` with the event JSON on stdin. The first prompt goes through Node (opens a session
// and starts the warm recall server); a tool call then goes through the sh fast path the editor copied
// into its storage (dejafix-hook.sh → curl → the warm server), proven by giving Node as a path that
// does not exist: the edit is still journaled. Driven through the real workbench UI like connectAgent.test.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { ui } from '../control/client';
import { eventually } from '../support/dejafix';

const folder = () => vscode.workspace.workspaceFolders![0].uri.fsPath;

async function pick(text: string): Promise<void> {
  await ui.fill('.quick-input-widget input', text, { timeoutMs: 30_000 });
  await ui.press('Enter', '.quick-input-widget input');
}

interface HookEntry {
  hooks: { type: string; command: string }[];
}

describe('Connect an Agent… → Claude Code: the written hook command runs, and tool calls take the sh fast path @ui', function () {
  this.timeout(180_000);
  const win = vscode.window as unknown as Record<string, (...a: unknown[]) => Thenable<unknown>>;
  const original = win.showInformationMessage;
  const tmp = mkdtempSync(join(tmpdir(), 'dejafix-it-hook-'));
  const env = {
    ...process.env,
    DEJAFIX_HOOK_DIR: join(tmp, 'journal'),
    DEJAFIX_WARM_DIR: join(tmp, 'warm'),
    DEJAFIX_WARM_IDLE_MS: '15000',
  };
  const run = (command: string, event: Record<string, unknown>) =>
    spawnSync('/bin/sh', ['-c', command], { input: JSON.stringify(event), env, encoding: 'utf8', timeout: 120_000 });
  const journalLines = () =>
    readdirSync(env.DEJAFIX_HOOK_DIR)
      .filter((f) => f.endsWith('.jsonl'))
      .reduce((n, f) => n + readFileSync(join(env.DEJAFIX_HOOK_DIR, f), 'utf8').split('\n').filter(Boolean).length, 0);

  after(() => {
    Object.assign(win, { showInformationMessage: original });
    rmSync(join(folder(), '.claude'), { recursive: true, force: true });
    rmSync(tmp, { recursive: true, force: true });
  });

  it('connects, then a first prompt and an edit event are handled; the edit without Node', async () => {
    Object.assign(win, {
      showInformationMessage: (_text: unknown, ...options: unknown[]) =>
        Promise.resolve((options[0] as { modal?: boolean } | undefined)?.modal ? 'Connect' : undefined),
    });
    const done = vscode.commands.executeCommand('dejafix.connectAgent');
    await pick('Claude Code');
    await pick('This project');
    await done;
    const settings = JSON.parse(readFileSync(join(folder(), '.claude', 'settings.json'), 'utf8')) as {
      hooks: Record<string, HookEntry[]>;
    };
    const commandOf = (event: string) => {
      const c = settings.hooks[event]?.flatMap((e) => e.hooks.map((h) => h.command)).find((x) => /claude-code/.test(x));
      assert.ok(c, `a ${event} hook: ${JSON.stringify(settings.hooks)}`);
      return c;
    };
    const prompt = commandOf('UserPromptSubmit');
    const tool = commandOf('PostToolUse');
    assert.match(tool, /^sh "[^"]*dejafix-hook\.sh" "node" /, `the fast path, then Node as the fallback: ${tool}`);

    const session = { session_id: 'it-hook-1', cwd: folder() };
    const first = run(prompt, { ...session, hook_event_name: 'UserPromptSubmit', prompt: 'cart total is wrong after a discount' });
    assert.equal(first.status, 0, first.stderr);
    if (first.stdout.trim()) JSON.parse(first.stdout); // only hook JSON on stdout, if anything
    await eventually(
      'the warm recall server is listening',
      () => {
        const dirs = readdirSync(env.DEJAFIX_WARM_DIR).filter((d) => d.startsWith('dejafix-'));
        return dirs.some((d) => readdirSync(join(env.DEJAFIX_WARM_DIR, d)).some((f) => /^warm-\d+\.sock$/.test(f))) || undefined;
      },
      60_000,
    );
    const before = journalLines();
    const withoutNode = tool.replace(' "node" ', ' "/nonexistent/node" ');
    assert.notEqual(withoutNode, tool);
    const edit = run(withoutNode, {
      ...session,
      hook_event_name: 'PostToolUse',
      tool_name: 'Edit',
      tool_input: { file_path: join(folder(), 'total.js'), old_string: 'a', new_string: 'b' },
      tool_response: {},
    });
    assert.equal(edit.status, 0, edit.stderr);
    assert.equal(edit.stdout, '', 'a tool call prints nothing');
    assert.equal(journalLines(), before + 1, 'the edit was journaled by the warm server, with no Node to fall back to');
  });
});
