// "Dejafix: Connect an Agent…" and "Dejafix: Disconnect an Agent…": pick the agent and the scope,
// see the exact change (a unified diff of every file, in a read-only document: closing it asks
// nothing), confirm, and only then is anything written. The plan and the merges are core's
// (src/core/agent/connect), the same as `dejafix connect`; a file that cannot be merged stops it
// with one line naming the file, and nothing is written.
import { homedir } from 'node:os';
import { dirname } from 'node:path';
import * as vscode from 'vscode';
import {
  AGENT_LABELS,
  changesDiff,
  CONNECT_AGENTS,
  connectPlan,
  planChanges,
  writeChanges,
  type ConnectAgent,
  type ConnectCommands,
  type FileChange,
  type Scope,
} from '../../core/agent/connect';
import { DejafixError } from '../../core/util/errors';
import { showReadOnly } from '../patchView';

export interface ConnectDeps {
  globalStorage: string;
  /** How agents start the MCP server and run the hook (launchers written on demand). */
  commands: () => Promise<ConnectCommands>;
  /** Called when the user connected an agent. */
  onConnected?: () => void;
}

const WHAT: Record<ConnectAgent, string> = {
  'claude-code': 'Hooks: recall on the first prompt, capture of test runs — plus the MCP server',
  codex: 'Hooks (.codex/hooks.json): recall and capture of test runs — plus the MCP server',
  cline: 'Instructions (.clinerules) to recall and record — plus the MCP server',
  continue: 'A rule to recall and record — plus the MCP server',
  cursor: 'A rule (.cursor/rules) to recall and record — plus .cursor/mcp.json',
  copilot: 'Instructions (.github/copilot-instructions.md) — plus .vscode/mcp.json',
};

async function pick(
  mode: 'connect' | 'disconnect',
  folder: string | undefined,
): Promise<{ agent: ConnectAgent; scope: Scope } | undefined> {
  const verb = mode === 'connect' ? 'Connect' : 'Disconnect';
  const a = await vscode.window.showQuickPick(
    CONNECT_AGENTS.map((id) => ({ label: AGENT_LABELS[id], detail: WHAT[id], id })),
    {
      title: `${verb} an Agent`,
      placeHolder: mode === 'connect' ? 'Which agent should reach the experience memory?' : 'Remove what Dejafix added for which agent?',
    },
  );
  if (!a) return undefined;
  const scopes: { label: string; detail: string; scope: Scope }[] = [];
  if (folder) scopes.push({ label: 'This project', detail: `Files in ${folder}`, scope: 'project' });
  if (a.id !== 'copilot')
    scopes.push({ label: 'All my projects', detail: 'Your own configuration files, in your home folder', scope: 'user' });
  if (!scopes.length) {
    void vscode.window.showWarningMessage(`Dejafix: ${AGENT_LABELS[a.id]} reads its instructions per project: open a folder first.`);
    return undefined;
  }
  const s =
    scopes.length === 1
      ? scopes[0]
      : await vscode.window.showQuickPick(scopes, { title: `${verb} ${AGENT_LABELS[a.id]}`, placeHolder: 'Where?' });
  return s ? { agent: a.id, scope: s.scope } : undefined;
}

/** Connect (or disconnect) after the preview and the user's confirmation; nothing is written otherwise. */
export async function connectAgent(deps: ConnectDeps, mode: 'connect' | 'disconnect' = 'connect'): Promise<void> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  const choice = await pick(mode, folder);
  if (!choice) return;
  const label = AGENT_LABELS[choice.agent];
  let changes: FileChange[];
  try {
    const edits = connectPlan(
      choice.agent,
      choice.scope,
      {
        folder: folder ?? homedir(),
        home: homedir(),
        codexHome: process.env.CODEX_HOME || undefined,
        vscodeGlobalStorage: dirname(deps.globalStorage),
      },
      await deps.commands(),
    );
    changes = await planChanges(edits, mode);
  } catch (e) {
    if (!(e instanceof DejafixError)) throw e;
    void vscode.window.showErrorMessage(`Dejafix cannot ${mode} ${label}: ${e.message}.`);
    return;
  }
  if (!changes.length) {
    void vscode.window.showInformationMessage(
      mode === 'connect' ? `${label} is already connected to Dejafix.` : `Nothing of Dejafix's to remove for ${label}.`,
    );
    if (mode === 'connect') deps.onConnected?.();
    return;
  }
  await showReadOnly(changesDiff(changes), `${mode} ${choice.agent}.diff`, 'diff');
  const files = changes
    .map((c) => `• ${c.after === undefined ? 'delete' : c.before === undefined ? 'create' : 'update'} ${c.path} — ${c.what}`)
    .join('\n');
  const action = mode === 'connect' ? 'Connect' : 'Disconnect';
  const ok = await vscode.window.showInformationMessage(
    `${action} ${label}?`,
    { modal: true, detail: `The preview shows the exact change. Everything else in these files stays as it is.\n\n${files}` },
    action,
  );
  if (ok !== action) return;
  await writeChanges(changes);
  if (mode === 'connect') {
    void vscode.window.showInformationMessage(
      `Connected ${label} to Dejafix (${changes.length} file${changes.length === 1 ? '' : 's'}). Restart it, or reload its MCP servers, to pick this up.`,
    );
    deps.onConnected?.();
  } else {
    void vscode.window.showInformationMessage(
      `Disconnected ${label}: Dejafix's part is gone from ${changes.length} file${changes.length === 1 ? '' : 's'}.`,
    );
  }
}
