// MCP resources: the lessons (dejafix://insights), one past repair (dejafix://episodes/{id}) and the
// repair sessions this connection has open (dejafix://sessions; every client's with
// `--all-sessions`). All JSON, all read-only.
import { ResourceTemplate, type McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { asStoreError } from '../core/store/damage';
import type { SessionHeader, SessionScope } from '../core/store/openSessions';
import { insightsFor } from '../core/store/queries';
import type { ExperienceStore } from '../core/store/store';

export interface ResourceDeps {
  store: () => Promise<ExperienceStore>;
  sessions: () => Promise<{ list(scope?: SessionScope): Promise<unknown[]> }>;
  /** The sessions this connection may see. */
  scope: () => SessionScope;
  /** The store's folder or URI, for the one-line message about a damaged store. */
  storeDir?: string;
}

const JSON_TYPE = 'application/json';

export function registerResources(server: McpServer, deps: ResourceDeps): void {
  // A damaged or unreadable store is one line naming the table and `dejafix doctor`, not Lance's trace.
  const guarded =
    <A extends unknown[], R>(read: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      try {
        return await read(...args);
      } catch (e) {
        const broken = asStoreError(e, deps.storeDir ?? 'the Dejafix store');
        if (broken) throw new McpError(ErrorCode.InternalError, `Dejafix cannot use its memory: ${broken.message}`);
        throw e;
      }
    };
  server.registerResource(
    'insights',
    'dejafix://insights',
    {
      title: 'Lessons',
      description: 'The current lessons (insights): active ones are used in recall; proposed ones wait for a person to approve them.',
      mimeType: JSON_TYPE,
    },
    guarded(async (uri) => {
      const store = await deps.store();
      const list = (await insightsFor(store)).map((i) => ({
        id: i.id,
        text: i.text,
        role: i.role,
        scope: i.scope,
        status: i.status,
        importance: i.importance,
        evidence: i.evidence,
        ...(i.stale ? { stale: i.stale } : {}),
        updatedAt: i.updatedAt,
      }));
      return { contents: [{ uri: uri.href, mimeType: JSON_TYPE, text: JSON.stringify({ insights: list }, null, 2) }] };
    }),
  );

  server.registerResource(
    'episode',
    new ResourceTemplate('dejafix://episodes/{id}', { list: undefined }),
    {
      title: 'Past repair',
      description:
        'One past repair by its episode id (as dejafix_recall returns it): the issue, every attempt with its command, exit code, output tail and patch, and the final patch.',
      mimeType: JSON_TYPE,
    },
    guarded(async (uri, vars) => {
      const id = decodeURIComponent(String(Array.isArray(vars.id) ? vars.id[0] : (vars.id ?? '')));
      if (!id || id.length > 200)
        throw new McpError(ErrorCode.InvalidParams, 'An episode id is 1-200 characters, as dejafix_recall returns it.');
      const episode = await (await deps.store()).getEpisode(id);
      if (!episode) throw new McpError(ErrorCode.InvalidParams, `No episode ${id}. Use an id that dejafix_recall returned.`);
      return { contents: [{ uri: uri.href, mimeType: JSON_TYPE, text: JSON.stringify(episode, null, 2) }] };
    }),
  );

  server.registerResource(
    'sessions',
    'dejafix://sessions',
    {
      title: 'Open repair sessions',
      description:
        'Repair sessions this client opened and has not yet ended with dejafix_record_outcome. They are not past repairs yet: recall does not see them.',
      mimeType: JSON_TYPE,
    },
    guarded(async (uri) => {
      // The owner token is the server's bookkeeping, not the client's business.
      const sessions = ((await (await deps.sessions()).list(deps.scope())) as SessionHeader[]).map(({ owner: _o, ...h }) => h);
      return { contents: [{ uri: uri.href, mimeType: JSON_TYPE, text: JSON.stringify({ sessions }, null, 2) }] };
    }),
  );
}
