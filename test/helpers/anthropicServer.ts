// A small server on 127.0.0.1 speaking the Anthropic Messages API for the LLM and reflection
// tests: POST /v1/messages answered as one JSON message or, with `stream: true`, as server-sent
// events (message_start, content_block_start/delta/stop with text_delta and input_json_delta,
// ping, message_delta, message_stop), with the API's headers (request-id, anthropic-ratelimit-*,
// retry-after) and error bodies ({ type: 'error', error: { type, message } }). Tests queue how
// the next requests are answered, or set a function that answers from the request; every request
// is recorded so tests can check what was sent.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Reply =
  | { kind: 'text'; text: string }
  /** A tool_use block. `rawInput` is sent verbatim as the input JSON (may be malformed). */
  | { kind: 'tool'; input?: unknown; rawInput?: string; name?: string; text?: string }
  | { kind: 'refusal'; text?: string; explanation?: string }
  /** The answer stops at max_tokens, in the middle of a tool call when `tool` is set. */
  | { kind: 'max-tokens'; tool?: boolean }
  | { kind: 'error'; status: number; type: string; message?: string; retryAfter?: string; retryAfterMs?: string }
  /** A body sent as is (e.g. malformed JSON), with status 200 unless told. */
  | { kind: 'raw'; body: string; status?: number; contentType?: string }
  /** An SSE `error` event after the stream started (only for streaming requests). */
  | { kind: 'stream-error'; type: string; message: string }
  /** Waits before answering (before sending any header). */
  | { kind: 'slow'; delayMs: number; then?: Reply }
  | { kind: 'reset' };

export interface MessagesBody {
  model?: string;
  max_tokens?: number;
  system?: string | { type: string; text: string }[];
  messages?: { role: string; content: string | { type: string; text?: string }[] }[];
  tools?: { name: string; description?: string; input_schema?: Record<string, unknown> }[];
  tool_choice?: { type: string; name?: string };
  stream?: boolean;
  temperature?: number;
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: MessagesBody | undefined;
  raw: string;
  /** When it arrived (ms since the epoch). */
  at: number;
}

export interface AnthropicServer {
  /** The base URL to give the SDK (no /v1: the SDK adds it). */
  readonly baseURL: string;
  readonly apiKey: string;
  readonly requests: RecordedRequest[];
  /** Queues replies for the next requests; when the queue is empty, `answer` (or a short text) replies. */
  next(...replies: Reply[]): void;
  /** Answers requests when the queue is empty. */
  answer: ((body: MessagesBody, req: RecordedRequest) => Reply) | undefined;
  /** The text of every message of a recorded request (system prompt included). */
  textOf(req: RecordedRequest): string;
  close(): Promise<void>;
}

export const TEST_API_KEY = 'sk-ant-test-0000000000000000000000000000';

export async function startAnthropicServer(opts: { apiKey?: string } = {}): Promise<AnthropicServer> {
  const apiKey = opts.apiKey ?? TEST_API_KEY;
  const queue: Reply[] = [];
  const requests: RecordedRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let counter = 0;

  const headersFor = (id: string): Record<string, string> => ({
    'request-id': id,
    'anthropic-organization-id': '00000000-0000-0000-0000-000000000000',
    'anthropic-ratelimit-requests-limit': '50',
    'anthropic-ratelimit-requests-remaining': '49',
    'anthropic-ratelimit-requests-reset': new Date(Date.now() + 60_000).toISOString(),
    'anthropic-ratelimit-tokens-limit': '40000',
    'anthropic-ratelimit-tokens-remaining': '39000',
    'anthropic-ratelimit-tokens-reset': new Date(Date.now() + 60_000).toISOString(),
  });

  const sendJson = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string>) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };
  const apiError = (type: string, message: string) => ({ type: 'error', error: { type, message } });

  const server: Server = createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (raw += c));
    req.on('end', () => handle(req, res, raw));
  });

  const handle = (req: IncomingMessage, res: ServerResponse, raw: string) => {
    let body: MessagesBody | undefined;
    try {
      body = JSON.parse(raw) as MessagesBody;
    } catch {
      body = undefined;
    }
    const rec: RecordedRequest = { method: req.method ?? '', path: req.url ?? '', headers: { ...req.headers }, body, raw, at: Date.now() };
    requests.push(rec);
    const id = `req_test_${String(++counter).padStart(6, '0')}`;
    const headers = headersFor(id);
    if (req.method !== 'POST' || (req.url ?? '').split('?')[0] !== '/v1/messages') {
      sendJson(res, 404, apiError('not_found_error', `Not found: ${req.method} ${req.url}`), headers);
      return;
    }
    const key = req.headers['x-api-key'] ?? String(req.headers.authorization ?? '').replace(/^Bearer /, '');
    if (key !== apiKey) {
      sendJson(res, 401, apiError('authentication_error', 'invalid x-api-key'), headers);
      return;
    }
    if (
      !body ||
      typeof body.model !== 'string' ||
      !Number.isInteger(body.max_tokens) ||
      !Array.isArray(body.messages) ||
      body.messages.length === 0
    ) {
      sendJson(res, 400, apiError('invalid_request_error', 'messages: field required'), headers);
      return;
    }
    const reply = queue.shift() ?? server_.answer?.(body, rec) ?? { kind: 'text', text: 'ok' };
    respond(res, body, reply, headers, req);
  };

  const respond = (res: ServerResponse, body: MessagesBody, reply: Reply, headers: Record<string, string>, req: IncomingMessage): void => {
    const model = body.model ?? 'unknown';
    const inputTokens = Math.max(1, Math.ceil(JSON.stringify(body.messages).length / 4));
    switch (reply.kind) {
      case 'slow': {
        const t = setTimeout(() => {
          timers.delete(t);
          if (!res.destroyed && !req.socket.destroyed) respond(res, body, reply.then ?? { kind: 'text', text: 'slow ok' }, headers, req);
        }, reply.delayMs);
        timers.add(t);
        return;
      }
      case 'reset':
        req.socket.destroy();
        return;
      case 'raw':
        res.writeHead(reply.status ?? 200, { 'content-type': reply.contentType ?? 'application/json', ...headers });
        res.end(reply.body);
        return;
      case 'error': {
        const h = { ...headers };
        if (reply.retryAfter !== undefined) h['retry-after'] = reply.retryAfter;
        if (reply.retryAfterMs !== undefined) h['retry-after-ms'] = reply.retryAfterMs;
        if (reply.status === 429) h['anthropic-ratelimit-requests-remaining'] = '0';
        sendJson(res, reply.status, apiError(reply.type, reply.message ?? `${reply.type} from the test server`), h);
        return;
      }
      default:
        break;
    }
    const msgId = `msg_test_${counter}`;
    const blocks: Block[] = [];
    let stopReason = 'end_turn';
    let stopDetails: unknown = null;
    if (reply.kind === 'text') blocks.push({ type: 'text', text: reply.text });
    if (reply.kind === 'tool') {
      if (reply.text) blocks.push({ type: 'text', text: reply.text });
      const name = reply.name ?? body.tool_choice?.name ?? body.tools?.[0]?.name ?? 'tool';
      blocks.push({ type: 'tool_use', id: `toolu_test_${counter}`, name, json: reply.rawInput ?? JSON.stringify(reply.input ?? {}) });
      stopReason = 'tool_use';
    }
    if (reply.kind === 'refusal') {
      blocks.push({ type: 'text', text: reply.text ?? "I can't help with that." });
      stopReason = 'refusal';
      stopDetails = { type: 'refusal', category: null, explanation: reply.explanation ?? null };
    }
    if (reply.kind === 'max-tokens') {
      if (reply.tool)
        blocks.push({
          type: 'tool_use',
          id: `toolu_test_${counter}`,
          name: body.tool_choice?.name ?? 'tool',
          json: '{"operations": [{"op": "AD',
        });
      else blocks.push({ type: 'text', text: 'This answer is cut' });
      stopReason = 'max_tokens';
    }
    const outputTokens = blocks.reduce((n, b) => n + Math.ceil((b.type === 'text' ? b.text : b.json).length / 4), 1);
    const usage = {
      input_tokens: inputTokens,
      output_tokens: outputTokens,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
      service_tier: 'standard',
    };

    if (!body.stream) {
      const content = blocks.map((b) =>
        b.type === 'text'
          ? { type: 'text', text: b.text, citations: null }
          : { type: 'tool_use', id: b.id, name: b.name, input: parseOr(b.json) },
      );
      if (reply.kind === 'stream-error') {
        sendJson(res, 500, apiError(reply.type, reply.message), headers);
        return;
      }
      const message = JSON.stringify({
        id: msgId,
        type: 'message',
        role: 'assistant',
        model,
        content,
        stop_reason: stopReason,
        stop_sequence: null,
        stop_details: stopDetails,
        usage,
        container: null,
      });
      res.writeHead(200, { 'content-type': 'application/json', ...headers });
      // Tool input given as raw text (maybe not JSON) goes into the body verbatim.
      res.end(
        reply.kind === 'tool' && reply.rawInput !== undefined ? message.replace('"input":"__RAW__"', `"input":${reply.rawInput}`) : message,
      );
      return;
    }

    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      ...headers,
    });
    const event = (type: string, data: unknown) => res.write(`event: ${type}\ndata: ${JSON.stringify(data)}\n\n`);
    event('message_start', {
      type: 'message_start',
      message: {
        id: msgId,
        type: 'message',
        role: 'assistant',
        model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        stop_details: null,
        usage: { ...usage, output_tokens: 1 },
        container: null,
      },
    });
    event('ping', { type: 'ping' });
    if (reply.kind === 'stream-error') {
      event('error', { type: 'error', error: { type: reply.type, message: reply.message } });
      res.end();
      return;
    }
    blocks.forEach((b, index) => {
      if (b.type === 'text') {
        event('content_block_start', { type: 'content_block_start', index, content_block: { type: 'text', text: '', citations: null } });
        for (const piece of chunks(b.text, 3))
          event('content_block_delta', { type: 'content_block_delta', index, delta: { type: 'text_delta', text: piece } });
      } else {
        event('content_block_start', {
          type: 'content_block_start',
          index,
          content_block: { type: 'tool_use', id: b.id, name: b.name, input: {} },
        });
        for (const piece of chunks(b.json, 4))
          event('content_block_delta', { type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: piece } });
      }
      event('content_block_stop', { type: 'content_block_stop', index });
    });
    event('message_delta', {
      type: 'message_delta',
      delta: { stop_reason: stopReason, stop_sequence: null, stop_details: stopDetails, container: null },
      usage: { output_tokens: outputTokens },
    });
    event('message_stop', { type: 'message_stop' });
    res.end();
  };

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const server_: AnthropicServer = {
    baseURL: `http://127.0.0.1:${port}`,
    apiKey,
    requests,
    answer: undefined,
    next: (...replies) => void queue.push(...replies),
    textOf: (r) => {
      const b = r.body;
      if (!b) return r.raw;
      const sys = typeof b.system === 'string' ? b.system : (b.system ?? []).map((s) => s.text).join('\n');
      const msgs = (b.messages ?? []).map((m) =>
        typeof m.content === 'string' ? m.content : m.content.map((c) => c.text ?? '').join('\n'),
      );
      return [sys, ...msgs].join('\n');
    },
    close: async () => {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return server_;
}

interface TextBlock {
  type: 'text';
  text: string;
}
interface ToolBlock {
  type: 'tool_use';
  id: string;
  name: string;
  json: string;
}
type Block = TextBlock | ToolBlock;

function parseOr(json: string): unknown {
  try {
    return JSON.parse(json);
  } catch {
    return '__RAW__';
  }
}

/** Splits text into about `n` pieces (at least one), as the API streams it. */
function chunks(text: string, n: number): string[] {
  if (text.length === 0) return [''];
  const size = Math.max(1, Math.ceil(text.length / n));
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}
