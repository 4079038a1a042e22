// Agents reach the memory from VS Code: the four LM tools (Copilot agent mode, `#dejafix`), the
// `@dejafix` chat participant, the MCP server definition (VS Code's own MCP clients), and the
// "Connect an Agent…" command for agents with their own MCP config.
import { editorWorkspaceCode } from '../workspaceCode';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { AgentTools } from '../../core/agent/tools';
import { hookCommand, shQuote } from '../../core/agent/hookCommand';
import type { Logger } from '../../core/util/logger';
import type { App } from '../app';
import { repoOfFolder } from '../repo';
import type { DejafixChatResult } from './chatHandler';
import { CONNECT_COMMAND, DISCONNECT_COMMAND, MCP_PROVIDER_ID, PARTICIPANT_ID } from './ids';
import { registerLmTools } from './lmTools';
import { ensureHookLauncher, ensureHookShell, ensureLauncher, externalServer, serverArgs, type ServerSettings } from './mcpServerCommand';
import { errorText } from '../../core/util/errors';

/** Agent features register at activation and load their code (schemas, recall, compose) at first use. */
function lazy<T>(load: () => Promise<T>): () => Promise<T> {
  let p: Promise<T> | undefined;
  return () =>
    (p ??= load().catch((e) => {
      p = undefined;
      throw e;
    }));
}

export { PARTICIPANT_ID, MCP_PROVIDER_ID, CONNECT_COMMAND, DISCONNECT_COMMAND };

/** What was registered (reachable from tests as `app.agents`). */
export interface Agents {
  tools: () => Promise<AgentTools>;
  participant: vscode.ChatParticipant;
  mcpProvider: vscode.McpServerDefinitionProvider;
}

export function registerAgents(context: vscode.ExtensionContext, app: App, log: Logger): Agents {
  const folderRepo = async () => {
    const s = app.sessions.active();
    if (s) return s.repo;
    const f = vscode.workspace.workspaceFolders?.[0];
    return f ? repoOfFolder(f) : undefined;
  };
  const tools = lazy(async () => {
    const [{ AgentTools }, { EditorSessions }] = await Promise.all([import('../../core/agent/tools'), import('./editorSessions')]);
    return new AgentTools({
      store: () => app.memory.open(),
      sessions: new EditorSessions(app),
      embedder: () => app.memory.embedderOrNone(),
      defaultRepo: folderRepo,
      folder: vscode.workspace.workspaceFolders?.[0]?.uri.fsPath,
      allowedFolders: (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath),
      minRelevance: () => app.settings.get('recall.minRelevance'),
      workspaceCode: () => editorWorkspaceCode(app.settings, log, app.sessions.active()?.folder),
      log,
    });
  });

  const chat = lazy(async () => {
    const m = await import('./chatHandler');
    return {
      handler: m.chatHandler(
        {
          store: () => app.memory.open(),
          embedder: () => app.memory.embedderOrNone(),
          session: () => app.sessions.active(),
          repo: folderRepo,
          k: () => app.settings.get('recall.maxResults'),
          minRelevance: () => app.settings.get('recall.minRelevance'),
          workspaceCode: () => editorWorkspaceCode(app.settings, log, app.sessions.active()?.folder),
          log,
        },
        { userMessage: (text) => vscode.LanguageModelChatMessage.User(text) },
      ),
      followups: m.followups,
    };
  });
  const participant = vscode.chat.createChatParticipant(PARTICIPANT_ID, async (request, context, stream, token) =>
    (await chat()).handler(request, context, stream, token),
  );
  participant.iconPath = vscode.Uri.joinPath(context.extensionUri, 'media', 'activity.svg');
  participant.followupProvider = { provideFollowups: async (result) => (await chat()).followups(result as DejafixChatResult) };

  const globalStorage = context.globalStorageUri.fsPath;
  const cli = join(context.extensionPath, 'dist', 'cli.js');
  const settings = (): ServerSettings => ({
    storeDir: app.memory.location(),
    embeddings: {
      provider: app.settings.get('embeddings.provider'),
      url: app.settings.get('embeddings.url') || undefined,
      model: app.settings.get('embeddings.model') || undefined,
    },
  });
  const changed = new vscode.EventEmitter<void>();
  const mcpProvider: vscode.McpServerDefinitionProvider = {
    onDidChangeMcpServerDefinitions: changed.event,
    provideMcpServerDefinitions: async () => {
      // The editor's own runtime runs the server (ELECTRON_RUN_AS_NODE makes VS Code's binary a plain Node).
      const folders = vscode.workspace.workspaceFolders ?? [];
      const def = new vscode.McpStdioServerDefinition(
        'Dejafix',
        process.execPath,
        serverArgs(cli, { ...settings(), folders: folders.slice(1).map((f) => f.uri.fsPath) }),
        { ELECTRON_RUN_AS_NODE: '1' },
        String(context.extension.packageJSON.version ?? ''),
      );
      const folder = folders[0];
      if (folder) def.cwd = folder.uri;
      return [def];
    },
  };

  context.subscriptions.push(
    ...registerLmTools(tools, log),
    participant,
    changed,
    vscode.lm.registerMcpServerDefinitionProvider(MCP_PROVIDER_ID, mcpProvider),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('dejafix.store.path') || e.affectsConfiguration('dejafix.embeddings')) changed.fire();
    }),
    vscode.workspace.onDidChangeWorkspaceFolders(() => changed.fire()),
    ...(
      [
        [CONNECT_COMMAND, 'connect'],
        [DISCONNECT_COMMAND, 'disconnect'],
      ] as const
    ).map(([id, mode]) =>
      vscode.commands.registerCommand(id, async () => {
        try {
          const { connectAgent } = await import('./connectAgent');
          const commands = async () => {
            const server = externalServer(await ensureLauncher(globalStorage, cli), settings());
            const hook = await ensureHookLauncher(globalStorage, join(context.extensionPath, 'dist', 'hook.js'));
            const sh = await ensureHookShell(globalStorage, join(context.extensionPath, 'dist', 'hook.sh'));
            return {
              server,
              hook: (agent: string) => hookCommand({ node: 'node', script: hook, sh }, `${agent} --store ${shQuote(settings().storeDir)}`),
            };
          };
          await connectAgent({ globalStorage, commands, onConnected: () => app.walkthrough.reached('agentConnected') }, mode);
        } catch (e) {
          log.error(e, `${mode === 'connect' ? 'Connect' : 'Disconnect'} an Agent failed`);
          void vscode.window.showErrorMessage(`Dejafix: ${errorText(e)}`);
        }
      }),
    ),
  );
  const agents: Agents = { tools, participant, mcpProvider };
  Object.defineProperty(app, 'agents', { value: agents, enumerable: false });
  return agents;
}
