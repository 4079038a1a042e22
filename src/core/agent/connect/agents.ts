// What `dejafix connect <agent>` changes for each agent, from its documentation: hooks where the
// agent runs commands on its own events (capture and injection without the agent deciding), else
// instructions it always reads (telling it to call the MCP tools), plus the MCP server entry.
// Each edit is a pair of pure text functions; reading, previewing and writing is ./changes.
import { homedir } from 'node:os';
import { join } from 'node:path';
import { CLAUDE_HOOK_EVENTS, CODEX_HOOK_EVENTS, connectClaudeHooks, disconnectClaudeHooks } from '../claudeHooksConfig';
import { addCodexServer, removeCodexServer, type ServerCommand } from './codexToml';
import { addYamlItem, removeYamlItem } from './continueYaml';
import { addJsonServer, removeJsonServer, SERVER_NAME } from './jsonMcp';
import { addBlock, removeBlock } from './markdownBlock';
import { ConfigMergeError } from './mergeError';
import { CONTINUE_RULE_HEADER, CURSOR_RULE_HEADER, INSTRUCTIONS } from './instructions';

export const CONNECT_AGENTS = ['claude-code', 'codex', 'cline', 'continue', 'cursor', 'copilot'] as const;
export type ConnectAgent = (typeof CONNECT_AGENTS)[number];
export type Scope = 'project' | 'user';

export const AGENT_LABELS: Record<ConnectAgent, string> = {
  'claude-code': 'Claude Code',
  codex: 'Codex CLI',
  cline: 'Cline',
  continue: 'Continue',
  cursor: 'Cursor',
  copilot: 'GitHub Copilot',
};

export interface ConnectPlaces {
  /** The project folder (project scope). */
  folder: string;
  home: string;
  /** CODEX_HOME, when set. */
  codexHome?: string;
  /** VS Code's globalStorage folder (where Cline keeps its MCP settings). */
  vscodeGlobalStorage?: string;
}

export interface ConnectCommands {
  /** The hook command line the agent runs, for agents with hooks (`…hook.js <agent> [--store …]`). */
  hook: (agent: 'claude-code' | 'codex') => string;
  /** How the agent starts the MCP server. */
  server: ServerCommand;
}

/** One file and how connect and disconnect change its text (undefined: no file / delete it). */
export interface FileEdit {
  path: string;
  /** What Dejafix puts there, for the preview. */
  what: string;
  connect(text: string | undefined): string;
  disconnect(text: string | undefined): string | undefined;
}

export function isConnectAgent(a: string): a is ConnectAgent {
  return (CONNECT_AGENTS as readonly string[]).includes(a);
}

/** The VS Code globalStorage folder on this platform (Cline's settings live under it). */
export function defaultVscodeGlobalStorage(home = homedir(), platform = process.platform, env = process.env): string {
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'Code', 'User', 'globalStorage');
  if (platform === 'win32') return join(env.APPDATA || join(home, 'AppData', 'Roaming'), 'Code', 'User', 'globalStorage');
  return join(env.XDG_CONFIG_HOME || join(home, '.config'), 'Code', 'User', 'globalStorage');
}

const hooksEdit = (path: string, command: string, events: typeof CLAUDE_HOOK_EVENTS, what: string): FileEdit => ({
  path,
  what,
  connect: (t) => connectClaudeHooks(t, command, path, events).text,
  disconnect: (t) => {
    const d = disconnectClaudeHooks(t, path);
    return d.changed && !Object.keys(JSON.parse(d.text) as object).length ? undefined : d.changed ? d.text : t;
  },
});

const jsonEdit = (path: string, key: string, entry: Record<string, unknown>): FileEdit => ({
  path,
  what: `the "${SERVER_NAME}" MCP server in ${key}`,
  connect: (t) => addJsonServer(t, key, entry, path),
  disconnect: (t) => removeJsonServer(t, key, path),
});

const mdEdit = (path: string, header = ''): FileEdit => ({
  path,
  what: 'instructions to recall past repairs and record test runs (a marked block)',
  connect: (t) => addBlock(t, INSTRUCTIONS, path, header),
  disconnect: (t) => removeBlock(t, path, header),
});

const stdio = (s: ServerCommand) => ({ type: 'stdio', command: s.command, args: s.args });

/** The files connecting `agent` at `scope` changes, in the order they are shown. */
export function connectPlan(agent: ConnectAgent, scope: Scope, p: ConnectPlaces, c: ConnectCommands): FileEdit[] {
  const { folder, home } = p;
  const server = c.server;
  switch (agent) {
    case 'claude-code':
      return scope === 'user'
        ? [
            hooksEdit(
              join(home, '.claude', 'settings.json'),
              c.hook('claude-code'),
              CLAUDE_HOOK_EVENTS,
              'hooks: capture and recall on every prompt and test run',
            ),
          ]
        : [
            hooksEdit(
              join(folder, '.claude', 'settings.json'),
              c.hook('claude-code'),
              CLAUDE_HOOK_EVENTS,
              'hooks: capture and recall on every prompt and test run',
            ),
            jsonEdit(join(folder, '.mcp.json'), 'mcpServers', stdio(server)),
          ];
    case 'codex': {
      const dir = scope === 'user' ? p.codexHome || join(home, '.codex') : join(folder, '.codex');
      return [
        hooksEdit(
          join(dir, 'hooks.json'),
          c.hook('codex'),
          CODEX_HOOK_EVENTS,
          'hooks: recall on the first prompt, capture of Bash test runs',
        ),
        {
          path: join(dir, 'config.toml'),
          what: `[mcp_servers.${SERVER_NAME}]`,
          connect: (t) => addCodexServer(t, server, join(dir, 'config.toml')),
          disconnect: (t) => removeCodexServer(t, join(dir, 'config.toml')),
        },
      ];
    }
    case 'cline': {
      const settings = join(
        p.vscodeGlobalStorage ?? defaultVscodeGlobalStorage(home),
        'saoudrizwan.claude-dev',
        'settings',
        'cline_mcp_settings.json',
      );
      const rules = scope === 'user' ? join(home, 'Documents', 'Cline', 'Rules', 'dejafix.md') : join(folder, '.clinerules', 'dejafix.md');
      return [
        mdEdit(rules),
        jsonEdit(settings, 'mcpServers', { command: server.command, args: server.args, disabled: false, autoApprove: [] }),
      ];
    }
    case 'continue': {
      const entry = { name: SERVER_NAME, command: server.command, args: server.args };
      if (scope === 'user') {
        const cfg = join(home, '.continue', 'config.yaml');
        return [
          {
            path: cfg,
            what: `the "${SERVER_NAME}" items of mcpServers and rules`,
            connect: (t) =>
              addYamlItem(addYamlItem(t, 'mcpServers', entry, cfg), 'rules', { name: SERVER_NAME, rule: INSTRUCTIONS.trim() }, cfg),
            disconnect: (t) => removeYamlItem(removeYamlItem(t, 'mcpServers', cfg), 'rules', cfg),
          },
        ];
      }
      const block = join(folder, '.continue', 'mcpServers', 'dejafix.yaml');
      return [
        mdEdit(join(folder, '.continue', 'rules', 'dejafix.md'), CONTINUE_RULE_HEADER),
        {
          path: block,
          what: `the "${SERVER_NAME}" MCP server block`,
          connect: (t) => addYamlItem(t, 'mcpServers', entry, block, { name: 'Dejafix', version: '0.0.1', schema: 'v1' }),
          disconnect: (t) => removeYamlItem(t, 'mcpServers', block, true),
        },
      ];
    }
    case 'cursor':
      if (scope === 'user')
        return [jsonEdit(join(home, '.cursor', 'mcp.json'), 'mcpServers', { command: server.command, args: server.args })];
      return [
        mdEdit(join(folder, '.cursor', 'rules', 'dejafix.mdc'), CURSOR_RULE_HEADER),
        jsonEdit(join(folder, '.cursor', 'mcp.json'), 'mcpServers', { command: server.command, args: server.args }),
      ];
    case 'copilot':
      if (scope === 'user')
        throw new ConfigMergeError(
          'Copilot reads its instructions per repository: connect it with --project (in VS Code, the Dejafix extension already offers its MCP server to Copilot)',
        );
      return [
        mdEdit(join(folder, '.github', 'copilot-instructions.md')),
        jsonEdit(join(folder, '.vscode', 'mcp.json'), 'servers', stdio(server)),
      ];
  }
}
