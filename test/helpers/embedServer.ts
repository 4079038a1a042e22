// A small OpenAI-compatible embeddings server on 127.0.0.1 for the embed tests. It speaks the real
// wire format (POST /v1/embeddings, `{ model, input }` → `{ object, data: [{ object, embedding,
// index }], model, usage }`), checks `Authorization: Bearer`, and can be told how to misbehave for
// the next requests (rate limits, server errors, malformed bodies, slowness).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Behaviour =
  | { kind: 'ok'; reverse?: boolean; omitIndex?: boolean }
  | { kind: 'status'; status: number; retryAfter?: string; retryAfterMs?: string; body?: string }
  | { kind: 'raw'; body: string; status?: number; contentType?: string }
  | { kind: 'wrong-count' }
  | { kind: 'wrong-length' }
  | { kind: 'non-number' }
  | { kind: 'zero-vector' }
  | { kind: 'missing-data' }
  | { kind: 'slow'; delayMs: number }
  | { kind: 'reset' };

export interface RecordedRequest {
  method: string;
  path: string;
  authorization: string | undefined;
  body: { model?: string; input?: string[] } | undefined;
}

export interface EmbedServerOptions {
  /** When set, requests must carry `Authorization: Bearer <apiKey>`. */
  apiKey?: string;
  /** Models the server knows; others get Ollama's 404. Default: any. */
  models?: string[];
  /** Vector length (default 8). */
  dimensions?: number;
}

export interface EmbedServer {
  /** The base URL to configure, ending in /v1. */
  readonly baseUrl: string;
  readonly requests: RecordedRequest[];
  /** Queues behaviours for the next requests; when the queue is empty, requests succeed. */
  next(...behaviours: Behaviour[]): void;
  close(): Promise<void>;
}

/** The server's vector for a text: deterministic, not unit length (so normalisation shows). */
export function fakeVector(text: string, dimensions = 8): number[] {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619) >>> 0;
  return Array.from({ length: dimensions }, (_, i) => {
    h = Math.imul(h ^ (i + 1), 2654435761) >>> 0;
    return ((h % 2000) - 1000) / 100;
  });
}

export async function startEmbedServer(options: EmbedServerOptions = {}): Promise<EmbedServer> {
  const dims = options.dimensions ?? 8;
  const queue: Behaviour[] = [];
  const requests: RecordedRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(typeof body === 'string' ? body : JSON.stringify(body));
  };
  const openAiError = (message: string, type: string, code: string | null) => ({ error: { message, type, param: null, code } });

  const handle = (req: IncomingMessage, res: ServerResponse, raw: string) => {
    let body: RecordedRequest['body'];
    try {
      body = JSON.parse(raw) as RecordedRequest['body'];
    } catch {
      body = undefined;
    }
    requests.push({ method: req.method ?? '', path: req.url ?? '', authorization: req.headers.authorization, body });

    if (req.method !== 'POST' || req.url !== '/v1/embeddings') {
      send(res, 404, '404 page not found', { 'content-type': 'text/plain' });
      return;
    }
    if (options.apiKey !== undefined && req.headers.authorization !== `Bearer ${options.apiKey}`) {
      send(res, 401, openAiError('Incorrect API key provided.', 'invalid_request_error', 'invalid_api_key'));
      return;
    }
    const input = body?.input;
    if (!body || typeof body.model !== 'string' || !Array.isArray(input) || input.some((t) => typeof t !== 'string')) {
      send(res, 400, openAiError("'input' must be a string or an array of strings", 'invalid_request_error', null));
      return;
    }
    if (options.models && !options.models.includes(body.model)) {
      send(res, 404, { error: `model "${body.model}" not found, try pulling it first` });
      return;
    }

    const behaviour = queue.shift() ?? { kind: 'ok' };
    const vectors = input.map((t) => fakeVector(t, dims));
    const reply = (data: unknown[]) =>
      send(res, 200, { object: 'list', data, model: body.model, usage: { prompt_tokens: input.length, total_tokens: input.length } });
    const items = (omitIndex = false) =>
      vectors.map((embedding, index) => (omitIndex ? { object: 'embedding', embedding } : { object: 'embedding', embedding, index }));

    switch (behaviour.kind) {
      case 'ok': {
        const data = items(behaviour.omitIndex);
        reply(behaviour.reverse ? data.reverse() : data);
        return;
      }
      case 'status': {
        const headers: Record<string, string> = {};
        if (behaviour.retryAfter !== undefined) headers['retry-after'] = behaviour.retryAfter;
        if (behaviour.retryAfterMs !== undefined) headers['retry-after-ms'] = behaviour.retryAfterMs;
        send(
          res,
          behaviour.status,
          behaviour.body ?? openAiError(`status ${behaviour.status} from the test server`, 'server_error', null),
          headers,
        );
        return;
      }
      case 'raw':
        send(res, behaviour.status ?? 200, behaviour.body, { 'content-type': behaviour.contentType ?? 'application/json' });
        return;
      case 'wrong-count':
        reply(items().slice(0, -1));
        return;
      case 'wrong-length':
        reply(items().map((d, i) => (i === 0 ? { ...d, embedding: d.embedding.slice(1) } : d)));
        return;
      case 'non-number':
        reply(items().map((d) => ({ ...d, embedding: d.embedding.map((x, i) => (i === 0 ? 'NaN' : x)) })));
        return;
      case 'zero-vector':
        reply(items().map((d) => ({ ...d, embedding: d.embedding.map(() => 0) })));
        return;
      case 'missing-data':
        send(res, 200, { object: 'list', model: body.model });
        return;
      case 'slow': {
        const timer = setTimeout(() => {
          timers.delete(timer);
          if (!res.destroyed) reply(items());
        }, behaviour.delayMs);
        timers.add(timer);
        return;
      }
      case 'reset':
        req.socket.destroy();
        return;
    }
  };

  const server: Server = createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (raw += chunk));
    req.on('end', () => handle(req, res, raw));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    next: (...behaviours) => queue.push(...behaviours),
    close: async () => {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A base URL on 127.0.0.1 where nothing listens (a port that was just free). */
export async function unusedBaseUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/v1`;
}
