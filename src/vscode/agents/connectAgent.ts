// "Dejafix: Connect an Agent…": shows the MCP configuration for Claude Code, Cline, Continue or
// Codex, previews the whole file as it would be written (a read-only document: closing it asks
// nothing), and writes it only after the user confirms. Nothing is written without that confirmation.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, dirname } from 'node:path';
import * as vscode from 'vscode';
import { showReadOnly } from '../patchView';
import { claudeAddCommand, ConfigMergeError, mergedConfig, snippet, targets, type AgentTarget, type ServerCommand } from './agentConfigs';

export interface ConnectDeps {
  globalStorage: string;
  server: () => Promise<ServerCommand>;
  /** Called when the user connected an agent (wrote the file, copied the entry, or typed the command). */
  onConnected?: () => void;
}

export async function connectAgent(deps: ConnectDeps): Promise<void> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  const list = targets({ home: homedir(), folder, globalStorage: deps.globalStorage, codexHome: process.env.CODEX_HOME });
  const pick = await vscode.window.showQuickPick(list.map((t) => ({ label: t.label, detail: t.detail, target: t })), { title: 'Connect an Agent to Dejafix', placeHolder: 'Which agent should reach the experience memory over MCP?' });
  if (!pick) return;
  const target = pick.target;
  const server = await deps.server();
  const existing = await readFile(target.file, 'utf8').catch((e: NodeJS.ErrnoException) => (e.code === 'ENOENT' ? undefined : Promise.reject(e)));
  let merged: string;
  try {
    merged = mergedConfig(target, existing, server);
  } catch (e) {
    if (!(e instanceof ConfigMergeError)) throw e;
    await showSnippet(target, server, `Dejafix cannot update ${target.file}: ${e.message}. The entry to add is shown.`);
    return;
  }
  if (existing === merged) {
    void vscode.window.showInformationMessage(`${target.label} is already connected to Dejafix (${target.file}).`);
    deps.onConnected?.();
    return;
  }
  await showReadOnly(merged, basename(target.file), target.format === 'toml' ? 'toml' : 'json');
  const actions = ['Write File', 'Copy Entry', ...(target.id === 'claude-code' ? ['Run claude mcp add'] : [])];
  const detail = `${existing === undefined ? 'Creates' : 'Updates'} ${target.file} as shown in the preview: only the "dejafix" entry changes.${target.id === 'claude-code' ? ' .mcp.json holds paths of this machine; keep it out of version control, or use "claude mcp add" for all your projects instead.' : ''}`;
  const choice = await vscode.window.showInformationMessage(`Connect ${target.label} to Dejafix?`, { modal: true, detail }, ...actions);
  if (choice === 'Write File') {
    await mkdir(dirname(target.file), { recursive: true });
    await writeFile(target.file, merged);
    void vscode.window.showInformationMessage(`Wrote ${target.file}. Restart ${target.label} (or reload its MCP servers) to pick up Dejafix.`);
  } else if (choice === 'Copy Entry') {
    await vscode.env.clipboard.writeText(snippet(target, server));
    void vscode.window.showInformationMessage(`Copied the Dejafix entry for ${target.label}; paste it into ${target.file}.`);
  } else if (choice === 'Run claude mcp add') {
    const terminal = vscode.window.createTerminal({ name: 'Dejafix: claude mcp add' });
    terminal.show();
    // Typed, not run: the user presses Enter.
    terminal.sendText(claudeAddCommand(server), false);
  }
  if (choice) deps.onConnected?.();
}

async function showSnippet(target: AgentTarget, server: ServerCommand, message: string): Promise<void> {
  await showReadOnly(snippet(target, server), `${basename(target.file)} (entry)`, target.format === 'toml' ? 'toml' : 'json');
  void vscode.window.showWarningMessage(message);
}
