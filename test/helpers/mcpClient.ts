// The MCP SDK's own client driving `dejafix mcp` over stdio, as Claude Code, Cline, Continue or Codex would: the
// built CLI in a child process on a store folder, without embeddings.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { ToolName } from '../../src/core/agent';
import { CLI } from './cli';

export type CallResult = { content: { type: string; text: string }[]; isError?: boolean; structuredContent?: Record<string, unknown> };

export async function connect(
  store: string,
  name = 'test-agent',
  cwd?: string,
  extra: string[] = [],
): Promise<{ client: Client; transport: StdioClientTransport; stderr: () => string }> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [CLI, 'mcp', '--store', store, '--embedder', 'none', ...extra],
    stderr: 'pipe',
    cwd,
  });
  let err = '';
  transport.stderr?.on('data', (d) => (err += d));
  const client = new Client({ name, version: '1.0.0' });
  await client.connect(transport);
  return { client, transport, stderr: () => err };
}

export async function call(client: Client, name: ToolName | string, args: Record<string, unknown>): Promise<CallResult> {
  return (await client.callTool({ name, arguments: args })) as CallResult;
}

/** The text parts of a tool result, joined. */
export function text(r: CallResult): string {
  return r.content.map((c) => c.text).join('\n');
}

/**
 * Mocha hooks for a suite's MCP servers: `start` connects a client to a server on the store at `dir()`; every server is
 * closed after each test. Call it before `useTempDir()` so the servers have exited before the folder is removed
 * (afterEach hooks run in the order they were registered).
 */
export function useMcpServers(dir: () => string): (name?: string, extra?: string[]) => ReturnType<typeof connect> {
  let open: { client: Client }[] = [];
  afterEach(async () => {
    for (const o of open) await o.client.close().catch(() => undefined);
    open = [];
  });
  return async (name, extra) => {
    const c = await connect(dir(), name, undefined, extra);
    open.push(c);
    return c;
  };
}
