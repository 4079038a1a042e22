// Every command that talks to a store or team store on object storage is bounded when the server
// stops answering half-way through it: import, recall, export, stats and share (sync: remoteFaults),
// against Azurite (az://) and the S3 server with conditional writes (s3://), each reached through a
// proxy (test/helpers/faultProxy) that stops answering at the middle of that command's requests.
// Each ends on its own (no hang: a child still running after 3 minutes is killed and fails the
// test) with exit 3 and one line that says the endpoint stopped answering and names
// DEJAFIX_REMOTE_TIMEOUT — and a rerun once the server answers again succeeds.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { AZURITE_ACCOUNT, AZURITE_KEY } from '../../src/core/store/remote/config';
import { runCli, type CliResult } from '../helpers/cli';
import { startFaultProxy, type FaultProxy } from '../helpers/faultProxy';
import { startAzurite, startS3rver, type Azurite, type S3Server } from '../helpers/remoteBackends';
import { exportStore, writeRows } from '../helpers/teamRuns';
import { useTempDir } from '../helpers/tmp';

const BASE_ENV = {
  DEJAFIX_REMOTE_RETRY_TIMEOUT: '1',
  DEJAFIX_REMOTE_TIMEOUT: '2',
  AWS_EC2_METADATA_DISABLED: 'true',
  DEJAFIX_TEAM_NAME: 'Stall Tester',
};
/** Not a speed limit: only a command that never ends is stopped, so the test fails instead of hanging. */
const HANG_GUARD_MS = 180_000;

describe('a remote server that stops answering mid-command: every command ends with one line (az://, s3://)', function () {
  this.timeout(1_200_000);
  const tmp = useTempDir();
  let az: Azurite;
  let s3: S3Server;
  const proxies: Record<'az' | 's3', FaultProxy> = {} as never;

  before(async () => {
    [az, s3] = await Promise.all([startAzurite(), startS3rver(['team'], { strict: true })]);
    await az.createContainer('team');
    const azUp = new URL(az.endpoint);
    proxies.az = await startFaultProxy(`${azUp.protocol}//${azUp.host}`);
    proxies.s3 = await startFaultProxy(s3.endpoint);
  });
  afterEach(() => {
    for (const p of Object.values(proxies)) {
      p.onRequest = undefined;
      p.hang = false;
    }
  });
  after(async () => {
    await Promise.all(Object.values(proxies).map((p) => p.close()));
    await Promise.all([az?.stop(), s3?.stop()]);
  });

  const envFor = (backend: 'az' | 's3'): NodeJS.ProcessEnv =>
    backend === 'az'
      ? {
          ...BASE_ENV,
          AZURE_STORAGE_CONNECTION_STRING: `DefaultEndpointsProtocol=http;AccountName=${AZURITE_ACCOUNT};AccountKey=${AZURITE_KEY};BlobEndpoint=${proxies.az.endpoint}/${AZURITE_ACCOUNT};`,
        }
      : { ...BASE_ENV, ...s3.env, AWS_ENDPOINT_URL: proxies.s3.endpoint };

  const run = (args: string[], env: NodeJS.ProcessEnv) => runCli(args, { env, timeout: HANG_GUARD_MS, killSignal: 'SIGKILL' });

  /** Runs `args` once to count its requests, then again with the server going silent at the middle of them. */
  async function stallMidway(p: FaultProxy, args: () => string[], env: NodeJS.ProcessEnv): Promise<{ total: number; stalled: CliResult }> {
    let start = p.requests.length;
    const ok = await run(args(), env);
    assert.equal(ok.code, 0, `${args().join(' ')}: ${ok.stderr}`);
    const total = p.requests.length - start;
    start = p.requests.length;
    const at = Math.max(2, Math.round(total / 2));
    p.onRequest = (r) => {
      if (r.n - start === at) p.hang = true;
    };
    const stalled = await run(args(), env);
    p.onRequest = undefined;
    p.hang = false;
    return { total, stalled };
  }

  function assertBoundedOneLine(what: string, r: CliResult): void {
    assert.notEqual(r.code, null, `${what}: still running after ${HANG_GUARD_MS / 1000} s (killed)`);
    assert.equal(r.code, 3, `${what}: ${r.stdout}\n${r.stderr}`);
    const lines = r.stderr
      .trim()
      .split('\n')
      .filter((l) => !/^(Share with team|- |\s{4}|\d+ record\(s\) to write|importing )/.test(l));
    assert.equal(lines.length, 1, `${what}: ${r.stderr}`);
    assert.match(lines[0], /(stopped answering|did not answer within 2 s).*DEJAFIX_REMOTE_TIMEOUT/, `${what}: ${lines[0]}`);
    assert.doesNotMatch(r.stderr, /\n\s+at |\.rs:\d+|LanceError|cargo|panicked/, what);
  }

  for (const backend of ['az', 's3'] as const) {
    it(`${backend}://: import, recall, export, stats and share each end with one line naming DEJAFIX_REMOTE_TIMEOUT when the server goes silent half-way`, async () => {
      const env = envFor(backend);
      const p = proxies[backend];
      const store = `${backend}://team/stall-store`;
      const team = `${backend}://team/stall-team`;
      let batch = 0;
      const nextFile = () => writeRows(tmp.path, `stall${backend}${batch++}`, 6).file;
      // A store on object storage (created first, so the measured import and the stalled one do the same work): its own commands.
      assert.equal((await run(['import', nextFile(), '--format', 'swebench', '--store', store, '--embedder', 'none'], env)).code, 0);
      const imp = await stallMidway(p, () => ['import', nextFile(), '--format', 'swebench', '--store', store, '--embedder', 'none'], env);
      assertBoundedOneLine('import', imp.stalled);
      for (const args of [
        ['recall', 'ledger step fails with KeyError', '--store', store, '--embedder', 'none', '--min-relevance', '0'],
        ['export', '--store', store],
        ['stats', '--store', store],
      ]) {
        const r = await stallMidway(p, () => args, env);
        assert.ok(r.total >= 3, `${args[0]} made ${r.total} request(s)`);
        assertBoundedOneLine(args[0], r.stalled);
      }
      // A local store sharing with a team store, a replica syncing from it, a team forget.
      const local = join(tmp.path, `local-${backend}`);
      assert.equal((await run(['import', nextFile(), '--format', 'swebench', '--store', local, '--embedder', 'none'], env)).code, 0);
      const ids = (await exportStore(local, env)).filter((r) => r.kind === 'episode').map((r) => r.id);
      // Each share goes to a fresh prefix, so the measured run and the stalled one write the same.
      let teams = 0;
      const share = await stallMidway(p, () => ['share', ...ids, '--yes', '--team', `${team}-${teams++}`, '--store', local], env);
      assertBoundedOneLine('share', share.stalled);
      assert.equal((await run(['share', ...ids, '--yes', '--team', team, '--store', local], env)).code, 0);
      // The server answers again: the stalled share completes on a rerun, the stalled store reads whole.
      assert.equal((await run(['share', ...ids, '--yes', '--team', `${team}-1`, '--store', local], env)).code, 0);
      assert.equal((await exportStore(`${team}-1`, env)).length, ids.length);
      assert.ok((await exportStore(store, env)).length >= 6);
    });
  }
});
