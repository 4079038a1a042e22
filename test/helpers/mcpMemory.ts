// The Dejafix MCP server on the MCP SDK's in-memory transport: one store, one session back end, and
// a server instance per connected client, exactly as `dejafix mcp` builds them, without a process.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { AgentTools, StoreSessions } from '../../src/core/agent';
import { ExperienceStore } from '../../src/core/store/store';
import { silentLogger } from '../../src/core/util/logger';
import { createMcpServer } from '../../src/mcp/server';

export type CallResult = { content: { type: string; text: string }[]; isError?: boolean; structuredContent?: Record<string, unknown> };

export interface MemoryMcp {
  store: ExperienceStore;
  /** A new client on its own connection (its own server instance). */
  connect(name: string, opts?: { allSessions?: boolean }): Promise<Client>;
  close(): Promise<void>;
}

export async function memoryMcp(dir: string): Promise<MemoryMcp> {
  const store = await ExperienceStore.open(dir, { mode: 'write' });
  const sessions = new StoreSessions(store);
  const tools = new AgentTools({ store: async () => store, sessions });
  const open: { client: Client; server: McpServer }[] = [];
  return {
    store,
    async connect(name, opts = {}) {
      const server = createMcpServer({
        version: 'test',
        store: async () => store,
        sessions: async () => sessions,
        tools,
        log: silentLogger,
        allSessions: opts.allSessions,
      });
      const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
      await server.connect(serverSide);
      const client = new Client({ name, version: '1.0.0' });
      await client.connect(clientSide);
      open.push({ client, server });
      return client;
    },
    async close() {
      for (const o of open) {
        await o.client.close().catch(() => undefined);
        await o.server.close().catch(() => undefined);
      }
      store.close();
    },
  };
}

export async function callTool(client: Client, name: string, args: Record<string, unknown>): Promise<CallResult> {
  return (await client.callTool({ name, arguments: args })) as CallResult;
}

export function resultText(r: CallResult): string {
  return r.content.map((c) => c.text).join('\n');
}

/** A resource's text (all these resources are JSON). */
export async function resourceText(client: Client, uri: string): Promise<string> {
  const c = (await client.readResource({ uri })).contents[0];
  if (!('text' in c)) throw new Error(`${uri} is not text`);
  return c.text;
}
