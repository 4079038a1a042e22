// The Dejafix MCP server: the five agent tools (src/core/agent) and two resources, on the MCP SDK.
// Any failure inside a tool becomes an MCP error result (`isError: true`) with a message for the
// model; nothing a client sends can crash the server.
// Each server instance serves one connection and owns the repair sessions it opens: a random token
// per connection (with the client's announced name) marks them, and the client sees and ends only
// those, unless the user started the server with `--all-sessions`.
import { randomBytes } from 'node:crypto';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { AgentToolError, AgentTools, TOOLS, TOOL_NAMES, agentSource, type SessionBackend, type ToolName } from '../core/agent';
import { asStoreError } from '../core/store/damage';
import type { SessionScope } from '../core/store/openSessions';
import type { ExperienceStore } from '../core/store/store';
import { errorText } from '../core/util/errors';
import { childLogger, type Logger } from '../core/util/logger';
import { registerResources } from './resources';

export interface DejafixMcpOptions {
  version: string;
  store: () => Promise<ExperienceStore>;
  sessions: () => Promise<SessionBackend & { list(scope?: SessionScope): Promise<unknown[]> }>;
  tools: AgentTools | (() => Promise<AgentTools>);
  log: Logger;
  /** Called when a tool call starts and ends (the stdio runner waits for calls in flight before exiting). */
  track?: <T>(work: Promise<T>) => Promise<T>;
  /** Let this connection see and end every open session, not only its own (`dejafix mcp --all-sessions`). */
  allSessions?: boolean;
  /** The store's folder or URI, named in the one-line message for a damaged or unreadable store. */
  storeDir?: string;
}

const INSTRUCTIONS = [
  'Dejafix is an experience memory of past repairs (what was tried, what failed, what fixed it) and lessons.',
  'At the start of work on a bug or failing test, call dejafix_recall with the issue or the failure output.',
  'While repairing, report each test run with dejafix_record_attempt (the first call passes `issue` and returns a session id),',
  'and end with dejafix_record_outcome (resolved / failed / abandoned). Resources: dejafix://insights (lessons) and dejafix://episodes/{id} (one past repair).',
].join(' ');

export function createMcpServer(opts: DejafixMcpOptions): McpServer {
  const server = new McpServer(
    { name: 'dejafix', title: 'Dejafix experience memory', version: opts.version },
    { capabilities: { tools: {}, resources: {} }, instructions: INSTRUCTIONS, maxToolInputElements: 10_000 },
  );
  const log = childLogger(opts.log, 'mcp');
  const track = opts.track ?? (<T>(p: Promise<T>) => p);
  const tools = typeof opts.tools === 'function' ? opts.tools : async () => opts.tools as AgentTools;
  const token = randomBytes(8).toString('hex');
  let owner: string | undefined;
  // Known once the client has initialised (before any call), then fixed for the connection.
  const scope = (): SessionScope => {
    owner ??= `${agentSource(undefined, server.server.getClientVersion()?.name)}#${token}`;
    return { owner, all: opts.allSessions === true };
  };

  for (const name of TOOL_NAMES) {
    const info = TOOLS[name];
    server.registerTool(
      name,
      {
        title: info.displayName,
        description: info.modelDescription,
        inputSchema: info.schema,
        annotations: {
          title: info.displayName,
          readOnlyHint: !info.writes,
          destructiveHint: false,
          idempotentHint: !info.writes,
          openWorldHint: false,
        },
      },
      (args: unknown) => track(call(name, args)),
    );
  }

  async function call(name: ToolName, args: unknown): Promise<CallToolResult> {
    try {
      const announced = server.server.getClientVersion()?.name;
      const r = await (await tools()).run(name, args, { announced, sessions: scope() });
      return { content: [{ type: 'text', text: r.text }], structuredContent: r.data };
    } catch (e) {
      if (e instanceof AgentToolError) return errorResult(e.message);
      log.error(e, `${name} failed`);
      // A damaged or unreadable store: one line naming the table and `dejafix doctor`, never Lance's trace.
      const broken = asStoreError(e, opts.storeDir ?? 'the Dejafix store');
      if (broken)
        return errorResult(
          `Dejafix cannot use its memory: ${broken.message.replace(/\.+$/, '')}. This is not caused by your arguments: continue without Dejafix and tell the user.`,
        );
      return errorResult(
        `Dejafix could not complete ${name}: ${errorText(e).slice(0, 500).replace(/\.+$/, '')}. This is not caused by your arguments; you may retry once, then continue without Dejafix.`,
      );
    }
  }

  registerResources(server, { store: opts.store, sessions: opts.sessions, scope, storeDir: opts.storeDir });
  return server;
}

function errorResult(text: string): CallToolResult {
  return { content: [{ type: 'text', text }], isError: true };
}
