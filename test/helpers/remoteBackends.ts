// Real object-storage servers on 127.0.0.1 for the remote-store tests, started by the tests
// themselves: Azurite (Microsoft's Azure Storage emulator, a child process) and s3rver (an S3 REST
// server, in process). Plain s3rver ignores If-None-Match on PUT — it is the "unsafe server" the
// conditional-write probe must refuse; `startS3rver(…, { strict: true })` behaves as S3 does.
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeStrict } from './s3rverStrict';

export { startAzurite, type Azurite } from './azurite';

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
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory: join(directory, 'data'),
    configureBuckets: buckets.map((name) => ({ name })),
  });
  if (opts.strict) makeStrict(server as unknown as Parameters<typeof makeStrict>[0], join(directory, 'data'), join(directory, 'staging'));
  const addr = await server.run();
  const endpoint = `http://127.0.0.1:${addr.port}`;
  return {
    endpoint,
    env: {
      AWS_ACCESS_KEY_ID: 'S3RVER',
      AWS_SECRET_ACCESS_KEY: 'S3RVER',
      AWS_REGION: 'us-east-1',
      AWS_ENDPOINT_URL: endpoint,
      AWS_ALLOW_HTTP: 'true',
    },
    async stop() {
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
