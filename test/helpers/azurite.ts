// Azurite (Microsoft's Azure Storage emulator) on 127.0.0.1 as a child process, started by the tests
// themselves — the unit tests (through remoteBackends.ts) and the editor's integration tests, which
// cannot bundle s3rver. Containers are created with a SharedKey-signed `PUT ?restype=container`.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AZURITE_ACCOUNT, AZURITE_KEY } from '../../src/core/store/remote/config';

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
  const child: ChildProcess = spawn(
    process.execPath,
    [main, '--blobHost', '127.0.0.1', '--blobPort', '0', '--location', location, '--skipApiVersionCheck', '--disableTelemetry', '--silent'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
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
    env: {
      AZURE_STORAGE_CONNECTION_STRING: `DefaultEndpointsProtocol=http;AccountName=${AZURITE_ACCOUNT};AccountKey=${AZURITE_KEY};BlobEndpoint=${accountUrl};`,
    },
    async createContainer(name) {
      const headers: Record<string, string> = { 'x-ms-date': new Date().toUTCString(), 'x-ms-version': '2021-08-06' };
      const canon = Object.keys(headers)
        .sort()
        .map((k) => `${k}:${headers[k]}\n`)
        .join('');
      const toSign = [
        'PUT',
        '',
        '',
        '',
        '',
        '',
        '',
        '',
        '',
        '',
        '',
        '',
        `${canon}/${AZURITE_ACCOUNT}/${AZURITE_ACCOUNT}/${name}\nrestype:container`,
      ].join('\n');
      const sig = createHmac('sha256', Buffer.from(AZURITE_KEY, 'base64')).update(toSign, 'utf8').digest('base64');
      const r = await fetch(`${accountUrl}/${name}?restype=container`, {
        method: 'PUT',
        headers: { ...headers, Authorization: `SharedKey ${AZURITE_ACCOUNT}:${sig}` },
      });
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
