// Real object-storage servers on 127.0.0.1 for the remote-store tests, started by the tests
// themselves: Azurite (Microsoft's Azure Storage emulator, a child process) and s3rver (an S3 REST
// server, in process). Plain s3rver ignores If-None-Match on PUT — it is the "unsafe server" the
// conditional-write probe must refuse; `startS3rver(…, { strict: true })` behaves as S3 does.
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAzurite, type Azurite } from './azurite';
import { makeStrict } from './s3rverStrict';

export { startAzurite, type Azurite };

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

export interface TeamServers {
  az: Azurite;
  s3: S3Server;
  /** A CLI run's environment for a team member on that server (short retry budget, no EC2 metadata lookups). */
  env(backend: 'az' | 's3', who: string): NodeJS.ProcessEnv;
}

/**
 * Azurite (container `name`) and the strict S3 server (bucket `name`) for the enclosing describe
 * block: started before its tests, stopped after. Read the servers only inside tests or hooks.
 */
export function useTeamServers(name = 'team'): TeamServers {
  const servers = {} as { az?: Azurite; s3?: S3Server };
  before(async () => {
    [servers.az, servers.s3] = await Promise.all([startAzurite(), startS3rver([name], { strict: true })]);
    await servers.az.createContainer(name);
  });
  after(async () => {
    await Promise.all([servers.az?.stop(), servers.s3?.stop()]);
  });
  return {
    get az() {
      return servers.az!;
    },
    get s3() {
      return servers.s3!;
    },
    env: (backend, who) => ({
      DEJAFIX_REMOTE_RETRY_TIMEOUT: '5',
      AWS_EC2_METADATA_DISABLED: 'true',
      ...(backend === 'az' ? servers.az!.env : servers.s3!.env),
      DEJAFIX_TEAM_NAME: who,
    }),
  };
}
