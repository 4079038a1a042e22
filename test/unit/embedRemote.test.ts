// The openai-compatible embedder against a real HTTP server on 127.0.0.1 speaking the OpenAI wire format.
import assert from 'node:assert/strict';
import {
  EmbedError,
  OpenAiCompatibleEmbedder,
  REMOTE_MAX_CHARS,
  createEmbedder,
  dot,
  normalized,
  type OpenAiCompatibleOptions,
} from '../../src/core/embed';
import type { Logger } from '../../src/core/util/logger';
import { fakeVector, startEmbedServer, unusedBaseUrl, type EmbedServer } from '../helpers/embedServer';

const KEY = 'sk-test-0123456789abcdef';

function isEmbedError(code: string, pattern?: RegExp): (e: unknown) => boolean {
  return (e: unknown) => {
    assert.ok(e instanceof EmbedError, `an EmbedError, got ${String(e)}`);
    assert.equal(e.code, code, e.message);
    if (pattern) assert.match(e.message, pattern);
    assert.ok(!e.message.includes(KEY), 'the API key never appears in a message');
    return true;
  };
}

function recordingLog(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const push = (level: string) => (m: string) => lines.push(`${level} ${m}`);
  return { lines, debug: push('debug'), info: push('info'), warn: push('warn'), error: push('error') };
}

describe('embed: openai-compatible provider', () => {
  let server: EmbedServer;
  const embedders: OpenAiCompatibleEmbedder[] = [];
  const make = (options: Partial<OpenAiCompatibleOptions> = {}) => {
    const e = new OpenAiCompatibleEmbedder({ baseUrl: server.baseUrl, model: 'test-embed', apiKey: KEY, retryBaseDelayMs: 1, ...options });
    embedders.push(e);
    return e;
  };

  beforeEach(async () => {
    server = await startEmbedServer({ apiKey: KEY, models: ['test-embed', 'nomic-embed-text:latest'] });
  });
  afterEach(async () => {
    await Promise.all(embedders.splice(0).map((e) => e.dispose()));
    await server.close();
  });

  it('embeds with the OpenAI wire format and normalises the vectors', async () => {
    const e = make();
    assert.equal(e.dimensions, undefined);
    assert.equal(e.id, 'openai:test-embed:?');
    const texts = ['TypeError when the date column is empty', 'Login page redirect loops forever'];
    const vectors = await e.embed(texts);
    assert.equal(vectors.length, 2);
    vectors.forEach((v, i) => {
      assert.ok(v instanceof Float32Array);
      assert.equal(v.length, 8);
      assert.ok(Math.abs(dot(v, v) - 1) < 1e-6, 'unit length');
      const expected = normalized(fakeVector(texts[i])) as Float32Array;
      assert.ok(dot(v, expected) > 0.99999, `vector ${i} is the server's, normalised`);
    });
    assert.equal(e.dimensions, 8);
    assert.equal(e.id, 'openai:test-embed:8');
    assert.equal(server.requests.length, 1);
    const [req] = server.requests;
    assert.equal(req.method, 'POST');
    assert.equal(req.path, '/v1/embeddings');
    assert.equal(req.authorization, `Bearer ${KEY}`);
    assert.deepEqual(req.body, { model: 'test-embed', input: texts });
  });

  it('is what createEmbedder gives for provider openai-compatible', async () => {
    const e = createEmbedder({
      provider: 'openai-compatible',
      baseUrl: `${server.baseUrl}/`,
      model: 'nomic-embed-text:latest',
      apiKey: KEY,
      dimensions: 8,
    });
    assert.ok(e instanceof OpenAiCompatibleEmbedder);
    embedders.push(e);
    assert.equal(e.id, 'openai:nomic-embed-text:8', 'known up front when dimensions are set; ":latest" dropped');
    const [v] = await e.embed(['hello']);
    assert.equal(v.length, 8);
  });

  it('accepts a base URL that already ends in /embeddings', async () => {
    const [v] = await make({ baseUrl: `${server.baseUrl}/embeddings` }).embed(['x']);
    assert.equal(v.length, 8);
    assert.equal(server.requests[0].path, '/v1/embeddings');
  });

  it('refuses credentials in the base URL without repeating them', () => {
    const withUser = server.baseUrl.replace('http://', 'http://user:hunter2@');
    const check = (e: unknown) => e instanceof EmbedError && e.code === 'config' && !e.message.includes('hunter2');
    assert.throws(() => make({ baseUrl: withUser }), check);
    assert.throws(() => createEmbedder({ provider: 'openai-compatible', baseUrl: withUser, model: 'm' }), check);
  });

  it('returns [] for no texts without a request', async () => {
    assert.deepEqual(await make().embed([]), []);
    assert.equal(server.requests.length, 0);
  });

  it('sends batches and keeps the input order', async () => {
    const texts = Array.from({ length: 10 }, (_, i) => `text ${i}`);
    const vectors = await make({ batchSize: 4 }).embed(texts);
    assert.deepEqual(
      server.requests.map((r) => r.body?.input?.length),
      [4, 4, 2],
    );
    assert.deepEqual(
      server.requests.flatMap((r) => r.body?.input),
      texts,
    );
    vectors.forEach((v, i) => assert.ok(dot(v, normalized(fakeVector(texts[i])) as Float32Array) > 0.99999, `text ${i}`));
  });

  it('orders vectors by their index, or by position when there is none', async () => {
    const texts = ['a', 'b', 'c'];
    server.next({ kind: 'ok', reverse: true }, { kind: 'ok', omitIndex: true });
    const e = make();
    for (const vectors of [await e.embed(texts), await e.embed(texts)]) {
      vectors.forEach((v, i) => assert.ok(dot(v, normalized(fakeVector(texts[i])) as Float32Array) > 0.99999, `text ${i}`));
    }
  });

  it('cuts very long texts before sending them', async () => {
    await make().embed(['y'.repeat(100_000)]);
    assert.equal(server.requests[0].body?.input?.[0].length, REMOTE_MAX_CHARS);
  });

  it('retries a 429, honouring retry-after, then succeeds', async () => {
    server.next({ kind: 'status', status: 429, retryAfter: '0' }, { kind: 'status', status: 429, retryAfterMs: '5' });
    const log = recordingLog();
    const [v] = await make({ log, retryBaseDelayMs: 60_000 }).embed(['rate limited']);
    assert.equal(v.length, 8);
    assert.equal(server.requests.length, 3);
    assert.equal(log.lines.filter((l) => l.startsWith('warn') && l.includes('HTTP 429')).length, 2);
  });

  it('retries 5xx answers and dropped connections with backoff', async () => {
    server.next({ kind: 'status', status: 500 }, { kind: 'status', status: 503 }, { kind: 'reset' });
    const [v] = await make().embed(['flaky']);
    assert.equal(v.length, 8);
    assert.equal(server.requests.length, 4);
  });

  it('gives up after the retries with the status and what the server said', async () => {
    server.next(
      ...Array.from({ length: 3 }, () => ({
        kind: 'status' as const,
        status: 502,
        body: '{"error":{"message":"upstream model crashed"}}',
      })),
    );
    await assert.rejects(make({ maxRetries: 2 }).embed(['x']), isEmbedError('server', /502.*after 2 retries.*upstream model crashed/));
    assert.equal(server.requests.length, 3);
  });

  it('does not wait when retry-after asks for too long', async () => {
    server.next({ kind: 'status', status: 429, retryAfter: '3600' });
    await assert.rejects(make().embed(['x']), isEmbedError('rate-limited', /rate-limiting/));
    assert.equal(server.requests.length, 1);
  });

  it('says to check the API key on 401', async () => {
    await assert.rejects(make({ apiKey: 'sk-wrong' }).embed(['x']), isEmbedError('auth', /401.*check the API key.*Incorrect API key/));
    await assert.rejects(make({ apiKey: undefined }).embed(['x']), isEmbedError('auth', /no API key is set/));
    assert.equal(server.requests[1].authorization, undefined, 'no header without a key');
  });

  it('says to check the base URL and model on 404', async () => {
    await assert.rejects(
      make({ model: 'no-such-model' }).embed(['x']),
      isEmbedError('not-found', /check the base URL.*"no-such-model".*not found, try pulling it/),
    );
    const root = server.baseUrl.replace(/\/v1$/, '');
    await assert.rejects(make({ baseUrl: root }).embed(['x']), isEmbedError('not-found', /\/embeddings answered 404.*usually end in \/v1/));
  });

  it('reports other refusals with the server message', async () => {
    server.next({ kind: 'status', status: 400, body: '{"error":{"message":"this model does not support embeddings"}}' });
    await assert.rejects(make().embed(['x']), isEmbedError('request', /400.*embedding model.*does not support embeddings/));
  });

  it('times out a slow server', async () => {
    server.next({ kind: 'slow', delayMs: 10_000 });
    await assert.rejects(make({ timeoutMs: 100 }).embed(['x']), isEmbedError('timeout', /did not answer within 100 ms/));
  });

  it('asks whether the server is running when the connection is refused', async () => {
    const baseUrl = await unusedBaseUrl();
    const e = make({ baseUrl });
    await assert.rejects(
      e.embed(['x']),
      isEmbedError('unreachable', new RegExp(`connection refused.*is the server running at ${baseUrl.replace(/[.]/g, '\\.')}\\?`)),
    );
  });

  describe('rejects malformed responses', () => {
    const cases: Array<[string, Parameters<EmbedServer['next']>[0], RegExp]> = [
      ['malformed JSON', { kind: 'raw', body: '{"data": [' }, /not JSON/],
      [
        'an HTML page',
        { kind: 'raw', body: '<!doctype html><html>LM Studio</html>', contentType: 'text/html' },
        /not JSON.*starts with "<!doctype html>.*\/v1/,
      ],
      ['a missing data array', { kind: 'missing-data' }, /data/],
      ['the wrong number of vectors', { kind: 'wrong-count' }, /1 vectors for 2 texts/],
      ['vectors of different lengths', { kind: 'wrong-length' }, /vector 1 has 8 numbers, vector 0 has 7/],
      ['a component that is not a number', { kind: 'non-number' }, /data\.0\.embedding\.0/],
      ['an all-zero vector', { kind: 'zero-vector' }, /all-zero/],
    ];
    for (const [what, behaviour, pattern] of cases) {
      it(what, async () => {
        server.next(behaviour);
        await assert.rejects(make().embed(['one', 'two']), isEmbedError('bad-response', pattern));
      });
    }

    it('a change of dimension', async () => {
      await assert.rejects(make({ dimensions: 768 }).embed(['x']), isEmbedError('bad-response', /8-dimensional.*768 were expected/));
    });
  });

  it('stops when aborted', async () => {
    server.next({ kind: 'slow', delayMs: 10_000 });
    const controller = new AbortController();
    const aborted = assert.rejects(make().embed(['x'], controller.signal), (e: Error) => e.name === 'AbortError');
    setTimeout(() => controller.abort(), 20);
    await aborted;
  });

  it('stops waiting to retry when aborted or disposed', async () => {
    server.next({ kind: 'status', status: 503, retryAfter: '15' }, { kind: 'status', status: 503, retryAfter: '15' });
    const controller = new AbortController();
    const log = recordingLog();
    const e = make({ log });
    const aborted = assert.rejects(e.embed(['x'], controller.signal), (err: Error) => err.name === 'AbortError');
    const disposed = assert.rejects(make({ log }).embed(['y']), isEmbedError('disposed'));
    // both are waiting once each has logged its retry
    while (log.lines.filter((l) => l.includes('HTTP 503')).length < 2) await new Promise((r) => setImmediate(r));
    controller.abort();
    await aborted;
    await embedders[embedders.length - 1].dispose();
    await disposed;
    assert.equal(server.requests.length, 2);
  });

  it('fails calls in flight on dispose and refuses new ones', async () => {
    server.next({ kind: 'slow', delayMs: 10_000 });
    const e = make();
    const inFlight = assert.rejects(e.embed(['x']), isEmbedError('disposed'));
    setTimeout(() => void e.dispose(), 20);
    await inFlight;
    await assert.rejects(e.embed(['y']), isEmbedError('disposed'));
  });
});
