// Real object-storage servers on 127.0.0.1 for the remote-store tests, started by the tests
// themselves: Azurite (Microsoft's Azure Storage emulator, a child process) and s3rver (an S3 REST
// server, in process). Plain s3rver ignores If-None-Match on PUT — it is the "unsafe server" the
// conditional-write probe must refuse; `startS3rver(…, { strict: true })` behaves as S3 does.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AZURITE_ACCOUNT, AZURITE_KEY } from '../../src/core/store/remote/config';
import { makeStrict } from './s3rverStrict';

export interface Azurite {
  endpoint: string;
  /** The environment a CLI run needs to reach it (a connection string, as users set it). */
  env: NodeJS.ProcessEnv;
  createContainer(name: string): Promise<void>;
  stop(): Promise<void>;
}

export async function startAzurite(): Promise<Azurite> {
  const location = mkdtempSync(join(tmpdir(), 'dejafix-azurite-'));
  const main = require.resolve('azurite/dist/src/blob/main.js');
  const child: ChildProcess = spawn(process.execPath, [main, '--blobHost', '127.0.0.1', '--blobPort', '0', '--location', location, '--skipApiVersionCheck', '--disableTelemetry', '--silent'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const endpoint = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /listens on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.stderr!.on('data', (d) => (out += d));
    child.on('exit', (code) => reject(new Error(`azurite exited (${code}): ${out}`)));
  });
  const accountUrl = `${endpoint}/${AZURITE_ACCOUNT}`;
  return {
    endpoint: accountUrl,
    env: { AZURE_STORAGE_CONNECTION_STRING: `DefaultEndpointsProtocol=http;AccountName=${AZURITE_ACCOUNT};AccountKey=${AZURITE_KEY};BlobEndpoint=${accountUrl};` },
    async createContainer(name) {
      const headers: Record<string, string> = { 'x-ms-date': new Date().toUTCString(), 'x-ms-version': '2021-08-06' };
      const canon = Object.keys(headers).sort().map((k) => `${k}:${headers[k]}\n`).join('');
      const toSign = ['PUT', '', '', '', '', '', '', '', '', '', '', '', `${canon}/${AZURITE_ACCOUNT}/${AZURITE_ACCOUNT}/${name}\nrestype:container`].join('\n');
      const sig = createHmac('sha256', Buffer.from(AZURITE_KEY, 'base64')).update(toSign, 'utf8').digest('base64');
      const r = await fetch(`${accountUrl}/${name}?restype=container`, { method: 'PUT', headers: { ...headers, Authorization: `SharedKey ${AZURITE_ACCOUNT}:${sig}` } });
      if (r.status !== 201 && r.status !== 409) throw new Error(`creating container ${name}: ${r.status} ${await r.text()}`);
    },
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => setTimeout(r, 200));
      if (child.exitCode === null) child.kill('SIGKILL');
      rmSync(location, { recursive: true, force: true });
    },
  };
}

export interface S3Server {
  endpoint: string;
  /** The environment a CLI run needs (s3rver's own account S3RVER/S3RVER). */
  env: NodeJS.ProcessEnv;
  stop(): Promise<void>;
}

export interface S3rverOptions {
  /**
   * Give the server S3's documented behaviour where LanceDB relies on it (test/helpers/s3rverStrict):
   * `If-None-Match: *` answers 412 on an existing key, delimiter listings, atomic PUTs. Without it,
   * plain s3rver — the "unsafe server" the conditional-write probe must refuse.
   */
  strict?: boolean;
}

export async function startS3rver(buckets: string[], opts: S3rverOptions = {}): Promise<S3Server> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const S3rver = require('s3rver') as new (o: Record<string, unknown>) => { run(): Promise<AddressInfo>; close(): Promise<void> };
  const directory = mkdtempSync(join(tmpdir(), 'dejafix-s3rver-'));
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: join(directory, 'data'), configureBuckets: buckets.map((name) => ({ name })) });
  if (opts.strict) makeStrict(server as unknown as Parameters<typeof makeStrict>[0], join(directory, 'data'), join(directory, 'staging'));
  const addr = await server.run();
  const endpoint = `http://127.0.0.1:${addr.port}`;
  return {
    endpoint,
    env: { AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER', AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL: endpoint, AWS_ALLOW_HTTP: 'true' },
    async stop() {
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
