// Helpers for in-host tests: the activated extension's API, tasks that run like a developer's test
// runs, and polling for what happens after an event.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import pkg from '../../../package.json';
import type { DejafixApi } from '../../../src/vscode/extension';

export const EXTENSION_ID = `${pkg.publisher}.${pkg.name}`;

export async function dejafix(): Promise<DejafixApi> {
  const ext = vscode.extensions.getExtension<DejafixApi>(EXTENSION_ID);
  assert.ok(ext, `${EXTENSION_ID} is not installed`);
  return ext.activate();
}

export function runTask(
  name: string,
  command: string,
  env: Record<string, string> = {},
  folder = vscode.workspace.workspaceFolders?.[0],
): Promise<number | undefined> {
  assert.ok(folder, 'no workspace folder open');
  const task = new vscode.Task({ type: 'shell', label: name }, folder, name, 'dejafix-it', new vscode.ShellExecution(command, { env }));
  return executeTaskToEnd(task);
}

/** Runs a task and resolves with its process's exit code when it ends. */
export function executeTaskToEnd(task: vscode.Task): Promise<number | undefined> {
  return new Promise((resolve, reject) => {
    const sub = vscode.tasks.onDidEndTaskProcess((e) => {
      if (e.execution.task.name !== task.name) return;
      sub.dispose();
      resolve(e.exitCode);
    });
    vscode.tasks.executeTask(task).then(undefined, (err) => {
      sub.dispose();
      reject(err);
    });
  });
}

/** Polls until `check` returns a value (not undefined/false), or fails after `timeoutMs`. */
export async function eventually<T>(
  what: string,
  check: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 20_000,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined && v !== false) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end)
      throw new Error(`timed out waiting for ${what}${last ? `: ${last instanceof Error ? last.message : String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

/** Ends whatever session a previous test left open, without asking. */
export async function noSession(api: DejafixApi): Promise<void> {
  if (api.app.sessions.active()) await api.app.endSession('abandoned');
}
