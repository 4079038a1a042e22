// Cloud errors that Azurite and s3rver cannot be made to give — an expired session token, clock skew —
// from a small server on 127.0.0.1 answering with the real S3 and Azure error XML: one line, exit 3,
// in cloud terms, with the identity but never a secret.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { runCli } from '../helpers/cli';

const FIXTURE = join(__dirname, '../fixtures/swebench-mini.jsonl');
const SECRET = 'wJalrXUtnFEMI-K7MDENG-bPxRfiCYSECRETVALUE';
const TOKEN = 'IQoJb3JpZ2luX2VjEXAMPLESESSIONTOKENVALUE0123';
const AZ_KEY = Buffer.from('an-azure-account-key-that-must-stay-hidden!').toString('base64');

const ANSWERS: Record<string, { status: number; xml: string }> = {
  'expired-s3': { status: 400, xml: '<Error><Code>ExpiredToken</Code><Message>The provided token has expired.</Message></Error>' },
  'skew-s3': {
    status: 403,
    xml: '<Error><Code>RequestTimeTooSkewed</Code><Message>The difference between the request time and the current time is too large.</Message><MaxAllowedSkewMilliseconds>900000</MaxAllowedSkewMilliseconds></Error>',
  },
  'skew-az': {
    status: 403,
    xml: "<Error><Code>AuthenticationFailed</Code><Message>Server failed to authenticate the request. Request date header too old: 'Fri, 01 Jan 2021 00:00:00 GMT'</Message></Error>",
  },
};

describe('cloud errors from a server speaking S3 and Azure error XML (127.0.0.1)', function () {
  this.timeout(120_000);
  let server: Server;
  let base = '';
  let mode = 'expired-s3';
  before(async () => {
    server = createServer((req, res) => {
      req.resume();
      const a = ANSWERS[mode];
      res.writeHead(a.status, { 'content-type': 'application/xml' });
      res.end(`<?xml version="1.0" encoding="UTF-8"?>\n${a.xml}`);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  const s3env = () => ({
    AWS_ACCESS_KEY_ID: 'AKIAEXAMPLEIDENTITY',
    AWS_SECRET_ACCESS_KEY: SECRET,
    AWS_SESSION_TOKEN: TOKEN,
    AWS_REGION: 'us-east-1',
    AWS_ENDPOINT_URL: base,
    AWS_ALLOW_HTTP: 'true',
    AWS_EC2_METADATA_DISABLED: 'true',
    DEJAFIX_REMOTE_RETRY_TIMEOUT: '2',
  });

  const cases: { mode: string; args: string[]; env: () => NodeJS.ProcessEnv; expect: RegExp }[] = [
    {
      mode: 'expired-s3',
      args: ['import', FIXTURE, '--format', 'swebench', '--store', 's3://bkt/p', '--embedder', 'none'],
      env: s3env,
      expect: /session token has expired \(S3, access key id AKIAEXAMPLEIDENTITY\)/,
    },
    {
      mode: 'skew-s3',
      args: ['import', FIXTURE, '--format', 'swebench', '--store', 's3://bkt/p', '--embedder', 'none'],
      env: s3env,
      expect: /clock is off \(clock skew, S3\)/,
    },
    { mode: 'skew-s3', args: ['stats', '--store', 's3://bkt/p'], env: s3env, expect: /clock is off \(clock skew, S3\)/ },
    {
      mode: 'skew-az',
      args: ['import', FIXTURE, '--format', 'swebench', '--store', 'az://box/p', '--embedder', 'none'],
      env: () => ({
        AZURE_STORAGE_CONNECTION_STRING: `AccountName=teamacct;AccountKey=${AZ_KEY};BlobEndpoint=${base}/teamacct`,
        DEJAFIX_REMOTE_RETRY_TIMEOUT: '2',
      }),
      expect: /clock is off \(clock skew, Azure Blob Storage\)/,
    },
  ];
  for (const c of cases) {
    it(`${c.mode}: dejafix ${c.args[0]} says so in one line, exit 3, no secret`, async () => {
      mode = c.mode;
      const r = await runCli(c.args, { env: c.env() });
      assert.equal(r.code, 3, r.stderr);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      assert.match(r.stderr, c.expect);
      for (const s of [SECRET, TOKEN, AZ_KEY]) assert.ok(!(r.stdout + r.stderr).includes(s), 'a secret was printed');
    });
  }
});
