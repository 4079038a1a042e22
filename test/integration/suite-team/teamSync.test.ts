// Team sync in a real VS Code against Azurite on 127.0.0.1: credentials set through the command land
// in SecretStorage (not settings), a team URI starts a background sync that fills the local replica,
// the status bar follows (synced, paused, offline, error), Dejafix: Sync Team Memory pulls what a
// teammate shared since, and a failure is one line with Show Logs that never shows a secret.
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import * as vscode from 'vscode';
import { AZURITE_ACCOUNT, AZURITE_KEY } from '../../../src/core/store/remote/config';
import { startAzurite, type Azurite } from '../../helpers/azurite';
import { dejafix, eventually } from '../support/dejafix';
import { restoreSettings, shareAsTeammate, teamEpisode, watchMessages, type Shown } from './teamSupport';

describe('editor: team sync (Azurite)', function () {
  this.timeout(240_000);
  let az: Azurite;
  let localDir: string;
  const shown: Shown[] = [];
  let unwatch: () => void;
  const team = `az://team/sync-${Date.now()}`;
  const restore = restoreSettings([
    'store.path',
    'team.uri',
    'team.autoSync',
    'remote.azure.accountName',
    'remote.azure.endpoint',
    'team.name',
  ]);

  before(async () => {
    az = await startAzurite();
    await az.createContainer('team');
    localDir = mkdtempSync(join(tmpdir(), 'dejafix-team-local-'));
    unwatch = watchMessages(shown);
  });
  after(async () => {
    unwatch?.();
    const api = await dejafix();
    await vscode.commands.executeCommand('dejafix.toggleTeamSync', false);
    await restore();
    await vscode.commands.executeCommand('dejafix.setTeamCredentials', { clear: true });
    await api.team?.sync.idle();
    await az?.stop();
    rmSync(localDir, { recursive: true, force: true });
  });

  it('stores the credentials in SecretStorage only, and a team URI starts a background sync that fills the replica', async () => {
    const api = await dejafix();
    assert.ok(api.team, 'team memory started');
    const config = vscode.workspace.getConfiguration('dejafix');
    await shareAsTeammate(
      az,
      team,
      [
        teamEpisode('ep-team-1', 'Invoice total is None when a line has no price'),
        teamEpisode('ep-team-2', 'CSV export drops the due date'),
      ],
      'Bea Teammate <bea@example.com>',
    );

    await config.update('store.path', localDir, vscode.ConfigurationTarget.Global);
    await config.update('remote.azure.accountName', AZURITE_ACCOUNT, vscode.ConfigurationTarget.Global);
    await config.update('remote.azure.endpoint', az.endpoint, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('dejafix.setTeamCredentials', { azureAccountKey: AZURITE_KEY });
    await config.update('team.uri', team, vscode.ConfigurationTarget.Global);

    await eventually(
      'the background sync to finish',
      () =>
        api.team!.sync.state.kind === 'synced' ||
        (api.team!.sync.state.kind === 'error' && assert.fail(JSON.stringify(api.team!.sync.state))),
      60_000,
    );
    assert.match(api.team.statusBar.text, /^\$\(cloud\) Team: synced just now$/);
    assert.match(api.team.statusBar.tooltip, /pulled 2/);
    const store = await api.app.memory.open();
    const got = await store.getEpisodes(['ep-team-1', 'ep-team-2']);
    assert.equal(got.size, 2);
    for (const e of got.values()) {
      assert.equal(e.provenance?.origin, 'teammate');
      assert.equal(e.provenance?.sharedBy, 'Bea Teammate <bea@example.com>');
    }
    // The key is in no settings file the window wrote.
    const files = settingsFiles();
    assert.ok(
      files.some((f) => readFileSync(f, 'utf8').includes(az.endpoint)),
      `the window's settings files were found: ${files.join(', ')}`,
    );
    for (const f of files) assert.ok(!readFileSync(f, 'utf8').includes(AZURITE_KEY), `${f} holds no key`);
    assert.ok(!JSON.stringify(config.inspect('remote.azure.accountName')).includes(AZURITE_KEY));
  });

  it('recall results say a synced memory came from the teammate (LM tool and panel card)', async () => {
    const api = await dejafix();
    const r = await vscode.lm.invokeTool('dejafix_recall', {
      input: { query: 'Invoice total is None when a line has no price', minRelevance: 0 },
      toolInvocationToken: undefined,
    });
    const text = r.content.map((p) => (p instanceof vscode.LanguageModelTextPart ? p.value : '')).join('');
    assert.match(
      text,
      /Invoice total is None when a line has no price[\s\S]*· from teammate Bea Teammate <bea@example\.com> \(\d{4}-\d\d-\d\d\)/,
    );
    const { episodeCard } = await import('../../../src/vscode/panel/toView');
    const e = await (await api.app.memory.open()).getEpisode('ep-team-1');
    assert.match(
      episodeCard(e!, { score: 1, why: { terms: [], parts: { vector: 0.9 } } } as never).origin!,
      /^teammate Bea Teammate <bea@example\.com> \(/,
    );
  });

  it('Dejafix: Sync Team Memory pulls what a teammate shared since, with a summary', async () => {
    const api = await dejafix();
    await shareAsTeammate(az, team, [teamEpisode('ep-team-3', 'Discount applied twice on refunds')], 'Carl Other <carl@example.com>');
    shown.length = 0;
    const r = (await vscode.commands.executeCommand('dejafix.syncTeam')) as { pulled: number; unchanged: number } | undefined;
    assert.ok(r, `synced: ${JSON.stringify(shown)}`);
    assert.equal(r.pulled, 1);
    assert.ok(r.unchanged >= 2, `unchanged ${r.unchanged}`);
    const info = await eventually('the summary', () => shown.find((s) => s.kind === 'info' && /team memory synced/.test(s.text)));
    assert.match(info.text, /pulled 1 record/);
    const e = await (await api.app.memory.open()).getEpisode('ep-team-3');
    assert.equal(e?.provenance?.sharedBy, 'Carl Other <carl@example.com>');
  });

  it('pauses and resumes background sync from the status bar command', async () => {
    const api = await dejafix();
    assert.equal(await vscode.commands.executeCommand('dejafix.toggleTeamSync'), true);
    assert.equal(api.team!.sync.state.kind, 'paused');
    assert.equal(api.team!.statusBar.text, '$(debug-pause) Team: paused');
    assert.match(api.team!.statusBar.tooltip, /Click to resume/);
    assert.equal(await vscode.commands.executeCommand('dejafix.toggleTeamSync'), false);
    await eventually('a sync after resuming', () => api.team!.sync.state.kind === 'synced', 60_000);
  });

  it('an unreachable endpoint is "offline" in the status bar and one line with Show Logs; recall keeps working locally', async () => {
    const api = await dejafix();
    const config = vscode.workspace.getConfiguration('dejafix');
    await config.update('team.autoSync', false, vscode.ConfigurationTarget.Global);
    await config.update('remote.azure.endpoint', 'http://127.0.0.1:9/devstoreaccount1', vscode.ConfigurationTarget.Global);
    shown.length = 0;
    await vscode.commands.executeCommand('dejafix.syncTeam');
    const err = await eventually('the error message', () => shown.find((s) => s.kind === 'error'), 60_000);
    assert.match(
      err.text,
      /^Dejafix: team sync failed: The Azure Blob Storage endpoint at http:\/\/127\.0\.0\.1:9\/devstoreaccount1 is unreachable/,
    );
    assert.ok(!err.text.includes('\n'), err.text);
    assert.ok(!err.text.includes(AZURITE_KEY));
    assert.deepEqual(err.options, ['Show Logs']);
    assert.equal(api.team!.sync.state.kind, 'offline');
    assert.equal(api.team!.statusBar.text, '$(cloud-offline) Team: offline');
    // The replica still answers.
    assert.ok(await (await api.app.memory.open()).getEpisode('ep-team-1'));
  });

  it('a wrong key is an error naming the account, never the key', async () => {
    const api = await dejafix();
    const config = vscode.workspace.getConfiguration('dejafix');
    await config.update('remote.azure.endpoint', az.endpoint, vscode.ConfigurationTarget.Global);
    const wrong = Buffer.from(`not-the-key-${Date.now()}-padding-padding`).toString('base64');
    await vscode.commands.executeCommand('dejafix.setTeamCredentials', { azureAccountKey: wrong });
    shown.length = 0;
    await vscode.commands.executeCommand('dejafix.syncTeam');
    const err = await eventually('the error message', () => shown.find((s) => s.kind === 'error'), 60_000);
    assert.match(err.text, /Access denied \(403\).*storage account devstoreaccount1/);
    assert.ok(!err.text.includes(wrong), err.text);
    assert.equal(api.team!.sync.state.kind, 'error');
    assert.equal(api.team!.statusBar.text, '$(warning) Team: sync error');
    await vscode.commands.executeCommand('dejafix.setTeamCredentials', { azureAccountKey: AZURITE_KEY });
  });

  it('a team URI that cannot work is one clear warning naming the setting, and no sync runs', async () => {
    const api = await dejafix();
    const config = vscode.workspace.getConfiguration('dejafix');
    shown.length = 0;
    await config.update('team.uri', 'ftp://files.example.com/team', vscode.ConfigurationTarget.Global);
    const warn = await eventually('the settings warning', () =>
      shown.find((s) => s.kind === 'warning' && /dejafix\.team\.uri/.test(s.text)),
    );
    assert.match(warn.text, /^Dejafix: dejafix\.team\.uri: Unsupported store location scheme "ftp:\/\/"/);
    assert.deepEqual(warn.options, ['Open Setting']);
    await eventually('team sync off', () => api.team!.sync.state.kind === 'off');
    assert.equal(shown.filter((s) => /dejafix\.team\.uri/.test(s.text)).length, 1);
    await config.update('team.uri', team, vscode.ConfigurationTarget.Global);
  });
});

/** settings.json files under the user-data folder of this window. */
function settingsFiles(): string[] {
  const roots = [join(dirname(process.env.DEJAFIX_TEST_RESULTS ?? ''), 'user-data')];
  const out: string[] = [];
  const walk = (d: string, depth: number) => {
    let names: string[] = [];
    try {
      names = readdirSync(d);
    } catch {
      return;
    }
    for (const n of names) {
      const p = join(d, n);
      if (n === 'settings.json') out.push(p);
      else if (depth < 4 && statSync(p, { throwIfNoEntry: false })?.isDirectory()) walk(p, depth + 1);
    }
  };
  roots.forEach((r) => walk(r, 0));
  return out;
}
