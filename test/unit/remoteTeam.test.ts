// Team stores on the real servers (Azurite az://, the strict S3 server s3://): three processes sharing
// at once lose and duplicate nothing; two machines that both shared converge on identical content
// after both sync; refused credentials on a team store (S3 403, an Azure SAS that expired or was
// signed with the wrong key) give one line in cloud terms with no secret, and a valid SAS works.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { join } from 'node:path';
import { AZURITE_ACCOUNT, AZURITE_KEY } from '../../src/core/store/remote/config';
import { runCli, type CliResult } from '../helpers/cli';
import { useTeamServers } from '../helpers/remoteBackends';
import { assertHealthy, content, episodesByTitle, exportStore, writeRows, type Row } from '../helpers/teamRuns';
import { useTempDir } from '../helpers/tmp';

const BASE_ENV = { DEJAFIX_REMOTE_RETRY_TIMEOUT: '5', AWS_EC2_METADATA_DISABLED: 'true' };

/** An account SAS for Azurite's blob service (version 2019-12-12 string-to-sign). */
function accountSas(expiry: Date, key = AZURITE_KEY): string {
  const p = { sv: '2019-12-12', ss: 'b', srt: 'sco', sp: 'racwdl', se: expiry.toISOString().replace(/\.\d+Z$/, 'Z'), spr: 'https,http' };
  const toSign = [AZURITE_ACCOUNT, p.sp, p.ss, p.srt, '', p.se, '', p.spr, p.sv, ''].join('\n');
  const sig = createHmac('sha256', Buffer.from(key, 'base64')).update(toSign, 'utf8').digest('base64');
  return new URLSearchParams({ ...p, sig }).toString();
}

function refused(r: CliResult, pattern: RegExp, secrets: string[]): void {
  assert.equal(r.code, 3, `${r.stdout}\n${r.stderr}`);
  const lines = r.stderr
    .trim()
    .split('\n')
    .filter((l) => l.startsWith('dejafix:'));
  assert.equal(lines.length, 1, r.stderr);
  assert.match(lines[0], pattern);
  for (const s of secrets) assert.ok(!r.stderr.includes(s) && !r.stdout.includes(s), 'a secret was printed');
  assert.doesNotMatch(r.stderr, /\n\s+at |\.rs:\d+|LanceError|cargo|panicked/);
}

describe('team stores on Azurite and the strict S3 server: concurrent sharers, converging replicas, refused credentials', function () {
  this.timeout(900_000);
  const tmp = useTempDir();
  const servers = useTeamServers();
  const envFor = servers.env;

  async function machine(name: string, rows: { file: string }[], env: NodeJS.ProcessEnv): Promise<{ store: string; ids: string[] }> {
    const store = join(tmp.path, name);
    for (const r of rows)
      assert.equal((await runCli(['import', r.file, '--format', 'swebench', '--store', store, '--embedder', 'none'], { env })).code, 0);
    return { store, ids: (await exportStore(store, env)).filter((r) => r.kind === 'episode').map((r) => r.id) };
  }

  for (const backend of ['az', 's3'] as const) {
    it(`${backend}://: three processes share at once (each its own episodes, plus three they all hold): 0 lost, 0 duplicated`, async () => {
      const team = `${backend}://team/three-${backend}`;
      const common = writeRows(tmp.path, `common${backend}`, 3);
      const own = [0, 1, 2].map((m) => writeRows(tmp.path, `m${m}${backend}`, 6));
      const machines = await Promise.all(
        [0, 1, 2].map((m) => machine(`three-${backend}-${m}`, [own[m], common], envFor(backend, `Member ${m}`))),
      );
      const results = await Promise.all(
        machines.map((m, i) =>
          runCli(['share', ...m.ids, '--yes', '--json', '--team', team, '--store', m.store], { env: envFor(backend, `Member ${i}`) }),
        ),
      );
      for (const r of results) assert.equal(r.code, 0, r.stderr);
      const rows: Row[] = [...own.flatMap((o) => o.rows), ...common.rows];
      const shared = episodesByTitle(await exportStore(team, envFor(backend, 'x')), rows);
      assert.deepEqual([...shared.keys()].sort(), rows.map((r) => r.title).sort());
      await assertHealthy(team, envFor(backend, 'x'));
    });

    it(`${backend}://: two machines share at the same time, both sync: their stores hold identical content`, async () => {
      const team = `${backend}://team/converge-${backend}`;
      const [envA, envB] = [envFor(backend, 'Ann <ann@example.com>'), envFor(backend, 'Bob <bob@example.com>')];
      const rowsA = writeRows(tmp.path, `ann${backend}`, 6);
      const rowsB = writeRows(tmp.path, `bob${backend}`, 6);
      const [a, b] = await Promise.all([machine(`conv-${backend}-a`, [rowsA], envA), machine(`conv-${backend}-b`, [rowsB], envB)]);
      const shares = await Promise.all([
        runCli(['share', ...a.ids, '--yes', '--team', team, '--store', a.store], { env: envA }),
        runCli(['share', ...b.ids, '--yes', '--team', team, '--store', b.store], { env: envB }),
      ]);
      for (const r of shares) assert.equal(r.code, 0, r.stderr);
      const syncs = await Promise.all([
        runCli(['sync', '--json', '--team', team, '--store', a.store, '--embedder', 'none'], { env: envA }),
        runCli(['sync', '--json', '--team', team, '--store', b.store, '--embedder', 'none'], { env: envB }),
      ]);
      for (const r of syncs) assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(
        syncs.map((r) => [JSON.parse(r.stdout).pulled, JSON.parse(r.stdout).keptOwn]),
        [
          [6, 6],
          [6, 6],
        ],
      );
      const [ea, eb] = [await exportStore(a.store, envA), await exportStore(b.store, envB)];
      assert.equal(ea.filter((r) => r.kind === 'episode').length, 12);
      assert.deepEqual(ea.map(content).sort(), eb.map(content).sort(), 'both machines hold the same records');
      // Each holds the other's as a teammate's, shared by the other.
      assert.ok(
        ea
          .filter((r) => rowsB.rows.some((x) => x.title === r.issue?.title))
          .every((r) => r.provenance?.origin === 'teammate' && r.provenance.sharedBy === 'Bob <bob@example.com>'),
      );
      assert.ok(
        eb
          .filter((r) => rowsA.rows.some((x) => x.title === r.issue?.title))
          .every((r) => r.provenance?.origin === 'teammate' && r.provenance.sharedBy === 'Ann <ann@example.com>'),
      );
      // Quiet afterwards: nothing more to pull on either side.
      for (const [m, env] of [
        [a, envA],
        [b, envB],
      ] as const) {
        const again = await runCli(['sync', '--json', '--team', team, '--store', m.store, '--embedder', 'none'], { env });
        assert.equal(JSON.parse(again.stdout).pulled, 0);
      }
    });
  }

  it('s3://: a 403 on the team bucket (an access key id the server does not know; s3rver checks no signature) stops share and sync in one line naming the access key id, not the secret', async () => {
    const secret = 'wrongSecret/Abc123+xyz987EXAMPLEKEY';
    const env = { ...envFor('s3', 'x'), AWS_ACCESS_KEY_ID: 'AKIADENIEDMEMBER', AWS_SECRET_ACCESS_KEY: secret };
    const m = await machine('denied-s3', [writeRows(tmp.path, 'denied', 2)], envFor('s3', 'x'));
    for (const args of [
      ['share', ...m.ids, '--yes'],
      ['sync', '--embedder', 'none'],
      ['team', 'forget', m.ids[0], '--yes'],
    ]) {
      refused(
        await runCli([...args, '--team', 's3://team/denied', ...(args[0] === 'team' ? [] : ['--store', m.store])], { env }),
        /Access denied \(403\) to s3:\/\/team\/denied .*access key id AKIADENIEDMEMBER/,
        [secret],
      );
    }
    await assertHealthy(m.store, env);
  });

  it('az://: a valid SAS shares and syncs; an expired SAS, or one signed with the wrong key, is refused in one line with no signature printed', async () => {
    const endpoint = servers.az.endpoint;
    const sasEnv = (sas: string) => ({
      ...BASE_ENV,
      DEJAFIX_TEAM_NAME: 'Sas User',
      AZURE_STORAGE_CONNECTION_STRING: `BlobEndpoint=${endpoint};SharedAccessSignature=${sas}`,
    });
    const good = accountSas(new Date(Date.now() + 3600_000));
    const rows = writeRows(tmp.path, 'sas', 3);
    const m = await machine('sas-a', [rows], sasEnv(good));
    const share = await runCli(['share', ...m.ids, '--yes', '--json', '--team', 'az://team/sas', '--store', m.store], {
      env: sasEnv(good),
    });
    assert.equal(share.code, 0, share.stderr);
    const sync = await runCli(['sync', '--json', '--team', 'az://team/sas', '--store', join(tmp.path, 'sas-b'), '--embedder', 'none'], {
      env: sasEnv(good),
    });
    assert.equal(sync.code, 0, sync.stderr);
    assert.equal(JSON.parse(sync.stdout).pulled, 3);

    const expired = accountSas(new Date(Date.now() - 3600_000));
    const expiredSig = new URLSearchParams(expired).get('sig')!;
    for (const args of [
      ['stats', '--store', 'az://team/sas'],
      ['sync', '--team', 'az://team/sas', '--store', join(tmp.path, 'sas-c')],
      ['share', ...m.ids, '--yes', '--team', 'az://team/sas', '--store', m.store],
    ]) {
      refused(
        await runCli(args, { env: sasEnv(expired) }),
        /shared access signature \(SAS\) for az:\/\/team\/sas .*expired at \d{4}-\d\d-\d\dT.*storage account devstoreaccount1.*Create a new SAS token/,
        [expiredSig],
      );
    }
    // Signed with another key, valid dates: Azurite itself refuses (403).
    const forged = accountSas(
      new Date(Date.now() + 3600_000),
      Buffer.from('not the account key at all, 64 bytes long......................').toString('base64'),
    );
    const forgedSig = new URLSearchParams(forged).get('sig')!;
    for (const args of [
      ['stats', '--store', 'az://team/sas'],
      ['share', ...m.ids, '--yes', '--team', 'az://team/sas', '--store', m.store],
    ]) {
      refused(await runCli(args, { env: sasEnv(forged) }), /Access denied \(403\) to az:\/\/team\/sas .*storage account devstoreaccount1/, [
        forgedSig,
        encodeURIComponent(forgedSig),
      ]);
    }
  });
});
