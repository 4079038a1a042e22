// The test harness's S3 server: plain s3rver breaks three S3 guarantees LanceDB relies on; the strict
// one (test/helpers/s3rverStrict) keeps them. Each guarantee is checked on both, over the wire.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import * as lancedb from '@lancedb/lancedb';
import aws4 from 'aws4';
import { probeConditionalWrites } from '../../src/core/store/remote/probe';
import { resolveRemote } from '../../src/core/store/remote/config';
import { parseStoreLocation, type RemoteLocation } from '../../src/core/store/location';
import { startS3rver, type S3Server } from '../helpers/remoteBackends';

interface Answer {
  status: number;
  body: string;
}

/** One signed S3 request; `pauseAfter` bytes of the body are sent, then `whilePaused` runs, then the rest. */
function s3(
  server: S3Server,
  method: string,
  path: string,
  opts: { headers?: Record<string, string>; body?: Buffer; pauseAfter?: number; whilePaused?: () => Promise<void> } = {},
): Promise<Answer> {
  const url = new URL(server.endpoint + path);
  const body = opts.body ?? Buffer.alloc(0);
  const headers: Record<string, string> = {
    ...opts.headers,
    'Content-Length': String(body.length),
    'X-Amz-Content-Sha256': 'UNSIGNED-PAYLOAD',
  };
  const signed = aws4.sign(
    { host: url.host, path: url.pathname + url.search, method, service: 's3', region: 'us-east-1', headers },
    { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  );
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers: signed.headers as Record<string, string> }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    if (opts.pauseAfter !== undefined && opts.whilePaused) {
      req.write(body.subarray(0, opts.pauseAfter));
      opts.whilePaused().then(() => req.end(body.subarray(opts.pauseAfter)), reject);
    } else req.end(body);
  });
}

const put = (srv: S3Server, key: string, body: string, headers: Record<string, string> = {}) =>
  s3(srv, 'PUT', `/bkt/${key}`, { body: Buffer.from(body), headers });

describe('the S3 test server: plain s3rver vs. S3 semantics (strict)', function () {
  this.timeout(120_000);
  let plain: S3Server;
  let strict: S3Server;
  before(async () => {
    [plain, strict] = await Promise.all([startS3rver(['bkt']), startS3rver(['bkt'], { strict: true })]);
  });
  after(async () => {
    await Promise.all([plain?.stop(), strict?.stop()]);
  });

  it('answers 412 PreconditionFailed to If-None-Match: * on an existing key (strict), overwrites (plain)', async () => {
    for (const [srv, second] of [
      [strict, 412],
      [plain, 200],
    ] as const) {
      const key = `m/_versions/${second}-${Date.now()}.manifest`;
      assert.equal((await put(srv, key, 'first', { 'If-None-Match': '*' })).status, 200);
      const again = await put(srv, key, 'second', { 'If-None-Match': '*' });
      assert.equal(again.status, second, again.body);
      const got = await s3(srv, 'GET', `/bkt/${key}`);
      assert.equal(got.body, second === 412 ? 'first' : 'second');
      if (second === 412) assert.match(again.body, /<Code>PreconditionFailed<\/Code>/);
    }
    // A plain PUT (no precondition) still overwrites on both, as on S3.
    assert.equal((await put(strict, 'm/plain.txt', 'a')).status, 200);
    assert.equal((await put(strict, 'm/plain.txt', 'b')).status, 200);
    assert.equal((await s3(strict, 'GET', '/bkt/m/plain.txt')).body, 'b');
  });

  it('lets exactly one of many simultaneous conditional creates of one key win (strict)', async () => {
    for (let round = 0; round < 3; round++) {
      const key = `race/${round}/next.manifest`;
      const answers = await Promise.all(Array.from({ length: 16 }, (_, i) => put(strict, key, `writer ${i}`, { 'If-None-Match': '*' })));
      const won = answers.filter((a) => a.status === 200);
      assert.equal(won.length, 1, answers.map((a) => a.status).join(','));
      assert.equal(answers.filter((a) => a.status === 412).length, 15);
      const stored = (await s3(strict, 'GET', `/bkt/${key}`)).body;
      assert.match(stored, /^writer \d+$/);
    }
  });

  it('authenticates before checking the precondition: an unknown access key on an existing key is 403, not 412', async () => {
    await put(strict, 'auth/k', 'x');
    const url = new URL(`${strict.endpoint}/bkt/auth/k`);
    const headers = aws4.sign(
      {
        host: url.host,
        path: url.pathname,
        method: 'PUT',
        service: 's3',
        region: 'us-east-1',
        headers: { 'If-None-Match': '*', 'Content-Length': '1', 'X-Amz-Content-Sha256': 'UNSIGNED-PAYLOAD' },
      },
      { accessKeyId: 'NOBODY', secretAccessKey: 'S3RVER' },
    ).headers as Record<string, string>;
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(url, { method: 'PUT', headers }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end('y');
    });
    assert.equal(status, 403);
  });

  it('returns CommonPrefixes for a delimiter listing of nested keys (strict), none (plain)', async () => {
    for (const srv of [strict, plain]) {
      for (const key of [
        'ns/a.lance/_versions/1.manifest',
        'ns/a.lance/data/x.lance',
        'ns/b.lance/_versions/1.manifest',
        'ns/top.txt',
        'ns2/other',
      ])
        await put(srv, key, key);
    }
    const list = (srv: S3Server) => s3(srv, 'GET', '/bkt?delimiter=%2F&list-type=2&prefix=ns%2F');
    const s = (await list(strict)).body;
    assert.deepEqual(
      [...s.matchAll(/<Prefix>([^<]*)<\/Prefix>/g)].map((m) => m[1]).filter((p) => p !== 'ns/'),
      ['ns/a.lance/', 'ns/b.lance/'],
    );
    assert.deepEqual(
      [...s.matchAll(/<Key>([^<]*)<\/Key>/g)].map((m) => m[1]),
      ['ns/top.txt'],
    );
    assert.doesNotMatch((await list(plain)).body, /<CommonPrefixes>/);
    // Without a delimiter every key under the prefix comes back, sorted.
    const all = (await s3(strict, 'GET', '/bkt?list-type=2&prefix=ns%2F')).body;
    assert.deepEqual(
      [...all.matchAll(/<Key>([^<]*)<\/Key>/g)].map((m) => m[1]),
      ['ns/a.lance/_versions/1.manifest', 'ns/a.lance/data/x.lance', 'ns/b.lance/_versions/1.manifest', 'ns/top.txt'],
    );
  });

  it('lists more than 1,000 keys whole (plain s3rver cannot page: its continuation token needs DES)', async () => {
    const n = 1010;
    for (let i = 0; i < n; i += 50)
      await Promise.all(
        Array.from({ length: Math.min(50, n - i) }, (_, j) =>
          put(strict, `many/_versions/${String(i + j).padStart(5, '0')}.manifest`, 'm'),
        ),
      );
    const page = (await s3(strict, 'GET', '/bkt?list-type=2&prefix=many%2F_versions%2F')).body;
    const keys = [...page.matchAll(/<Key>([^<]*)<\/Key>/g)].map((m) => m[1]);
    assert.equal(keys.length, n);
    assert.equal(keys[n - 1], 'many/_versions/01009.manifest');
    assert.match(page, /<IsTruncated>false<\/IsTruncated>/);
  });

  it('never shows half an object to a reader while the PUT is still arriving (strict); plain s3rver does', async () => {
    const body = Buffer.alloc(256 * 1024, 'z');
    for (const [srv, expectVisible] of [
      [strict, false],
      [plain, true],
    ] as const) {
      const key = `atomic/${expectVisible}.bin`;
      let during: Answer | undefined;
      const done = await s3(srv, 'PUT', `/bkt/${key}`, {
        body,
        pauseAfter: 100 * 1024,
        whilePaused: async () => {
          await new Promise((r) => setTimeout(r, 300));
          during = await s3(srv, 'GET', `/bkt/${key}`);
        },
      });
      assert.equal(done.status, 200);
      if (expectVisible)
        assert.ok(
          during!.status === 200 && during!.body.length < body.length,
          `plain s3rver served ${during!.status} ${during!.body.length} bytes mid-write`,
        );
      else assert.equal(during!.status, 404, `served ${during!.body.length} bytes of a PUT still in flight`);
      assert.equal((await s3(srv, 'GET', `/bkt/${key}`)).body.length, body.length);
    }
  });

  it("passes the product's conditional-write probe (strict) and fails it (plain)", async () => {
    const loc = parseStoreLocation('s3://bkt/probe') as RemoteLocation;
    assert.deepEqual((await probeConditionalWrites(resolveRemote(loc, { env: strict.env }))).honoured, true);
    assert.deepEqual((await probeConditionalWrites(resolveRemote(loc, { env: plain.env }))).honoured, false);
  });

  it('lets LanceDB list its tables and keep every row of 12 concurrent appends from 3 connections (strict only)', async () => {
    const run = async (srv: S3Server) => {
      const storageOptions = {
        aws_access_key_id: 'S3RVER',
        aws_secret_access_key: 'S3RVER',
        aws_region: 'us-east-1',
        aws_endpoint: srv.endpoint,
        allow_http: 'true',
      };
      const dbs = await Promise.all([0, 1, 2].map(() => lancedb.connect('s3://bkt/lance', { storageOptions, readConsistencyInterval: 0 })));
      const first = await dbs[0].createTable('rows', [{ id: 'seed', n: -1 }]);
      const tables = await Promise.all(dbs.map((d) => d.openTable('rows')));
      await Promise.all(Array.from({ length: 12 }, (_, i) => tables[i % 3].add([{ id: `r${i}`, n: i }])));
      return { names: await dbs[1].tableNames(), rows: await first.countRows() };
    };
    assert.deepEqual(await run(strict), { names: ['rows'], rows: 13 });
    // The unsafe server lists no tables and loses rows silently (or, when a reader catches a manifest
    // half-written in place, fails) — why the probe refuses it.
    const onPlain = await run(plain).catch((e: Error) => e);
    if (onPlain instanceof Error) assert.match(onPlain.message, /Range|manifest|S3 error/);
    else {
      assert.deepEqual(onPlain.names, []);
      assert.ok(onPlain.rows < 13, `plain s3rver kept ${onPlain.rows} rows`);
    }
  });
});
