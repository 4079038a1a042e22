// Faults between a machine and its team store, against the real servers on 127.0.0.1 (Azurite for
// az://, the strict S3 server for s3://) reached through a proxy that can cut, slow or stall them:
// the server goes away at several points of a share and of a sync (nothing half-written, a rerun
// completes, the local store stays healthy), a sync killed part-way, a slow server (completes), a
// server that stops answering (a one-line timeout, no hang), and wrong credentials on a team store.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { AZURITE_ACCOUNT, AZURITE_KEY } from '../../src/core/store/remote/config';
import { CLI, runCli, type CliResult } from '../helpers/cli';
import { startFaultProxy, type FaultProxy } from '../helpers/faultProxy';
import { startAzurite, startS3rver, type Azurite, type S3Server } from '../helpers/remoteBackends';
import { assertHealthy, content, episodesByTitle, exportStore, writeRows } from '../helpers/teamRuns';
import { useTempDir } from '../helpers/tmp';

const BASE_ENV = {
  DEJAFIX_REMOTE_RETRY_TIMEOUT: '1',
  DEJAFIX_REMOTE_TIMEOUT: '2',
  AWS_EC2_METADATA_DISABLED: 'true',
  DEJAFIX_TEAM_NAME: 'Fault Tester',
};
const N = 12;

function oneLine(r: CliResult, pattern: RegExp): void {
  assert.equal(r.code, 3, `${r.stdout}\n${r.stderr}`);
  const lines = r.stderr
    .trim()
    .split('\n')
    .filter((l) => !/^(Share with team|- |\s{4}|\d+ record\(s\) to write)/.test(l));
  assert.equal(lines.length, 1, r.stderr);
  assert.match(lines[0], pattern);
  assert.doesNotMatch(r.stderr, /\n\s+at |\.rs:\d+|LanceError|cargo|panicked/);
}

describe('team store faults: server gone, killed sync, slow or silent server, refused credentials (az://, s3://)', function () {
  this.timeout(900_000);
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
      p.delayMs = 0;
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

  /** A local store with N episodes of its own, and their ids. */
  async function sharer(name: string, tag: string, env: NodeJS.ProcessEnv) {
    const store = join(tmp.path, name);
    const { file, rows } = writeRows(tmp.path, tag, N);
    const imp = await runCli(['import', file, '--format', 'swebench', '--store', store, '--embedder', 'none'], { env });
    assert.equal(imp.code, 0, imp.stderr);
    const ids = (await exportStore(store, env)).filter((r) => r.kind === 'episode').map((r) => r.id);
    return { store, rows, ids };
  }

  /** Takes the proxy down at its `cut`-th request from now (the server goes away mid-command). */
  function cutAt(p: FaultProxy, cut: number): void {
    const start = p.requests.length;
    p.onRequest = async (r) => {
      if (r.n - start === cut) await p.down();
    };
  }

  async function countRequests(p: FaultProxy, work: () => Promise<CliResult>): Promise<number> {
    const start = p.requests.length;
    const r = await work();
    assert.equal(r.code, 0, r.stderr);
    return p.requests.length - start;
  }

  for (const backend of ['az', 's3'] as const) {
    it(`${backend}://: the server goes away at 2 points of a share: nothing half-written in the team store, the rerun shares all, the local store stays healthy`, async () => {
      const env = envFor(backend);
      const p = proxies[backend];
      const a = await sharer(`share-${backend}`, `cut${backend}`, env);
      const share = (team: string) => runCli(['share', ...a.ids, '--yes', '--json', '--team', team, '--store', a.store], { env });
      const total = await countRequests(p, () => share(`${backend}://team/share-measure`));
      for (const fraction of [0.4, 0.85]) {
        const team = `${backend}://team/share-cut-${Math.round(fraction * 10)}`;
        cutAt(p, Math.max(2, Math.round(total * fraction)));
        const broken = await share(team);
        p.onRequest = undefined;
        await p.up();
        oneLine(broken, /(went away|stopped answering) part-way\b.*run the command again|unreachable|did not answer/);
        // What reached the team store is whole: each episode once, with its full text and patch.
        const partial = await exportStore(team, env).catch(() => []);
        episodesByTitle(partial, a.rows);
        if (partial.length) await assertHealthy(team, env);
        const again = await share(team);
        assert.equal(again.code, 0, again.stderr);
        const all = episodesByTitle(await exportStore(team, env), a.rows);
        assert.deepEqual([...all.keys()].sort(), a.rows.map((r) => r.title).sort());
        await assertHealthy(team, env);
      }
      await assertHealthy(a.store, env);
      assert.equal((await exportStore(a.store, env)).length, N);
    });

    it(`${backend}://: the server goes away at 2 points of a sync, and a sync is killed part-way: the replica stays healthy, the rerun completes it`, async () => {
      const env = envFor(backend);
      const p = proxies[backend];
      const team = `${backend}://team/sync-source`;
      const a = await sharer(`sync-src-${backend}`, `sync${backend}`, env);
      assert.equal((await runCli(['share', ...a.ids, '--yes', '--team', team, '--store', a.store], { env })).code, 0);
      const want = (await exportStore(team, env)).map(content).sort();
      const sync = (replica: string) => runCli(['sync', '--json', '--team', team, '--store', replica, '--embedder', 'none'], { env });
      const total = await countRequests(p, () => sync(join(tmp.path, `sync-measure-${backend}`)));
      const check = async (replica: string) => {
        await assertHealthy(replica, env);
        const again = await sync(replica);
        assert.equal(again.code, 0, again.stderr);
        assert.equal(JSON.parse(again.stdout).keptOwn, 0);
        assert.deepEqual((await exportStore(replica, env)).map(content).sort(), want, "the replica holds exactly the team store's records");
        const noop = await sync(replica);
        assert.equal(JSON.parse(noop.stdout).pulled, 0);
      };
      for (const fraction of [0.4, 0.85]) {
        const replica = join(tmp.path, `replica-${backend}-${Math.round(fraction * 10)}`);
        cutAt(p, Math.max(2, Math.round(total * fraction)));
        const broken = await sync(replica);
        p.onRequest = undefined;
        await p.up();
        oneLine(broken, /(went away|stopped answering) part-way\b.*run the command again|unreachable|did not answer/);
        await check(replica);
      }
      // Killed part-way (Ctrl-C, a closed laptop): the proxy slows the server so the kill lands mid-pull.
      const replica = join(tmp.path, `replica-${backend}-killed`);
      p.delayMs = 50;
      const child = spawn(process.execPath, [CLI, 'sync', '--team', team, '--store', replica, '--embedder', 'none'], {
        env: { ...process.env, ...env },
        stdio: 'ignore',
      });
      const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
      const start = p.requests.length;
      p.onRequest = (r) => {
        if (r.n - start === Math.round(total * 0.7)) child.kill('SIGKILL');
      };
      assert.equal(await exited, null, 'the sync was killed before it finished');
      p.onRequest = undefined;
      p.delayMs = 0;
      await check(replica);
    });

    it(`${backend}://: a slow server completes a sync; a server that stops answering gives a one-line timeout, before and during a command`, async () => {
      const env = envFor(backend);
      const p = proxies[backend];
      const team = `${backend}://team/slow`;
      const a = await sharer(`slow-${backend}`, `slow${backend}`, env);
      assert.equal((await runCli(['share', ...a.ids, '--yes', '--team', team, '--store', a.store], { env })).code, 0);
      p.delayMs = 150;
      const slow = await runCli(
        ['sync', '--json', '--team', team, '--store', join(tmp.path, `slow-replica-${backend}`), '--embedder', 'none'],
        { env },
      );
      assert.equal(slow.code, 0, slow.stderr);
      assert.equal(JSON.parse(slow.stdout).pulled, N);
      p.delayMs = 0;

      p.hang = true;
      oneLine(await runCli(['stats', '--store', team], { env }), /did not answer within 2 s.*DEJAFIX_REMOTE_TIMEOUT/);
      oneLine(await runCli(['share', ...a.ids, '--yes', '--team', team, '--store', a.store], { env }), /did not answer within 2 s/);
      p.hang = false;

      // Stops answering mid-sync: the sync fails with one line, the replica stays healthy and a rerun completes.
      const replica = join(tmp.path, `hang-replica-${backend}`);
      const start = p.requests.length;
      p.onRequest = (r) => {
        if (r.n - start === 8) p.hang = true;
      };
      oneLine(
        await runCli(['sync', '--team', team, '--store', replica, '--embedder', 'none'], { env }),
        /stopped answering part-way|did not answer|no answer came in time/,
      );
      p.onRequest = undefined;
      p.hang = false;
      await assertHealthy(replica, env);
      const again = await runCli(['sync', '--json', '--team', team, '--store', replica, '--embedder', 'none'], { env });
      assert.equal(again.code, 0, again.stderr);
      assert.equal((await exportStore(replica, env)).length, N);
    });
  }
});
