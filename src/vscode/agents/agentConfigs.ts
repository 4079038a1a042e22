// The MCP configuration each agent reads, as text: where it lives, the entry for Dejafix, and the
// whole file with that entry merged in (every other entry and setting kept). Pure functions, no
// VS Code, so they are unit-tested directly; the TOML merge and the error are core's
// (src/core/agent/connect), shared with `dejafix connect`.
import { join } from 'node:path';
import { addCodexServer, codexTable } from '../../core/agent/connect/codexToml';
import { ConfigMergeError } from '../../core/agent/connect/mergeError';
import { errorText } from '../../core/util/errors';

export { ConfigMergeError };

export const AGENT_IDS = ['claude-code', 'cline', 'continue', 'codex'] as const;
export type AgentId = (typeof AGENT_IDS)[number];

/** How an agent starts the Dejafix MCP server. */
export interface ServerCommand {
  command: string;
  args: string[];
}

export interface AgentTarget {
  id: AgentId;
  label: string;
  /** The file the entry goes into. */
  file: string;
  format: 'json' | 'toml';
  /** One line for the picker. */
  detail: string;
}

export interface Places {
  home: string;
  /** The workspace folder (for project-level configs); undefined without one. */
  folder?: string;
  /** VS Code's globalStorage folder of *this* extension (Cline's is its sibling). */
  globalStorage: string;
  codexHome?: string;
}

export const SERVER_NAME = 'dejafix';

export function targets(p: Places): AgentTarget[] {
  const list: AgentTarget[] = [];
  if (p.folder) list.push({ id: 'claude-code', label: 'Claude Code', file: join(p.folder, '.mcp.json'), format: 'json', detail: 'Project config .mcp.json (or `claude mcp add` for all your projects)' });
  list.push({ id: 'cline', label: 'Cline', file: join(p.globalStorage, '..', 'saoudrizwan.claude-dev', 'settings', 'cline_mcp_settings.json'), format: 'json', detail: 'cline_mcp_settings.json in VS Code\'s storage' });
  if (p.folder) list.push({ id: 'continue', label: 'Continue', file: join(p.folder, '.continue', 'mcpServers', 'dejafix.json'), format: 'json', detail: 'Workspace block .continue/mcpServers/dejafix.json' });
  list.push({ id: 'codex', label: 'Codex', file: join(p.codexHome || join(p.home, '.codex'), 'config.toml'), format: 'toml', detail: '[mcp_servers.dejafix] in ~/.codex/config.toml' });
  return list;
}

/** The whole file with Dejafix's entry added or replaced. `existing` undefined: a new file. */
export function mergedConfig(target: AgentTarget, existing: string | undefined, server: ServerCommand): string {
  return target.format === 'toml' ? addCodexServer(existing, server) : mergeJson(existing, server, target.id === 'cline' ? { disabled: false, autoApprove: [] } : {});
}

/** Just Dejafix's entry, for copying by hand. */
export function snippet(target: AgentTarget, server: ServerCommand): string {
  return target.format === 'toml' ? codexTable(server) : `${JSON.stringify({ mcpServers: { [SERVER_NAME]: jsonEntry(server, target.id === 'cline' ? { disabled: false, autoApprove: [] } : {}) } }, null, 2)}\n`;
}

/** `claude mcp add` for every project of this user, shell-quoted for POSIX shells. */
export function claudeAddCommand(server: ServerCommand): string {
  return ['claude', 'mcp', 'add', '--scope', 'user', SERVER_NAME, '--', server.command, ...server.args].map(shellQuote).join(' ');
}

function jsonEntry(server: ServerCommand, extra: Record<string, unknown>): Record<string, unknown> {
  return { type: 'stdio', command: server.command, args: server.args, ...extra };
}

function mergeJson(existing: string | undefined, server: ServerCommand, extra: Record<string, unknown>): string {
  let doc: Record<string, unknown> = {};
  if (existing !== undefined && existing.trim()) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(existing);
    } catch (e) {
      throw new ConfigMergeError(`it is not plain JSON (${errorText(e)}); add the entry by hand`);
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new ConfigMergeError('it does not hold a JSON object; add the entry by hand');
    doc = parsed as Record<string, unknown>;
  }
  const servers = doc.mcpServers ?? {};
  if (!servers || typeof servers !== 'object' || Array.isArray(servers)) throw new ConfigMergeError('its "mcpServers" is not an object; add the entry by hand');
  const old = (servers as Record<string, unknown>)[SERVER_NAME];
  // Settings the user gave our entry (env, timeouts, autoApprove) are kept; command and args are ours.
  const kept = old && typeof old === 'object' && !Array.isArray(old) ? (old as Record<string, unknown>) : {};
  const merged = { ...doc, mcpServers: { ...(servers as Record<string, unknown>), [SERVER_NAME]: { ...jsonEntry(server, extra), ...kept, command: server.command, args: server.args } } };
  return `${JSON.stringify(merged, null, 2)}\n`;
}

function shellQuote(s: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}
