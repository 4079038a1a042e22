// Share with Team and Share to Repository in a real VS Code against Azurite: the preview is a
// read-only document of exactly what will be written; declining (or dismissing) the one modal
// question writes nothing; confirming writes the record with the configured name as provenance;
// sharing again writes nothing; Share to Repository writes a .dejafix/ file after the same review.
import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { ExperienceStore } from '../../../src/core/store';
import { AZURITE_ACCOUNT, AZURITE_KEY } from '../../../src/core/store/remote/config';
import { silentLogger } from '../../../src/core/util/logger';
import { startAzurite, type Azurite } from '../../helpers/azurite';
import { dejafix } from '../support/dejafix';
import { restoreSettings, teamEpisode, teamRemote, watchMessages, type Shown } from './teamSupport';

describe('editor: Share with Team (Azurite)', function () {
  this.timeout(240_000);
  let az: Azurite;
  let localDir: string;
  const shown: Shown[] = [];
  let answer: string | undefined;
  let unwatch: () => void;
  const team = `az://share/s-${Date.now()}`;
  const restore = restoreSettings([
    'store.path',
    'team.uri',
    'team.autoSync',
    'remote.azure.accountName',
    'remote.azure.endpoint',
    'team.name',
  ]);
  const id = `ep-share-${Date.now()}`;

  before(async () => {
    az = await startAzurite();
    await az.createContainer('share');
    localDir = mkdtempSync(join(tmpdir(), 'dejafix-share-local-'));
    unwatch = watchMessages(shown, (s) => (s.modal ? answer : undefined));
    const config = vscode.workspace.getConfiguration('dejafix');
    await config.update('store.path', localDir, vscode.ConfigurationTarget.Global);
    await config.update('team.autoSync', false, vscode.ConfigurationTarget.Global);
    await config.update('team.name', 'Dana Dev <dana@example.com>', vscode.ConfigurationTarget.Global);
    await config.update('remote.azure.accountName', AZURITE_ACCOUNT, vscode.ConfigurationTarget.Global);
    await config.update('remote.azure.endpoint', az.endpoint, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('dejafix.setTeamCredentials', { azureAccountKey: AZURITE_KEY });
    await config.update('team.uri', team, vscode.ConfigurationTarget.Global);
    const api = await dejafix();
    await api.app.saveEpisode(teamEpisode(id, 'Rounding error in VAT total for zero-rated lines'));
  });
  after(async () => {
    unwatch?.();
    await restore();
    await vscode.commands.executeCommand('dejafix.setTeamCredentials', { clear: true });
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const folder = vscode.workspace.workspaceFolders![0].uri.fsPath;
    rmSync(join(folder, '.dejafix'), { recursive: true, force: true });
    await az?.stop();
    rmSync(localDir, { recursive: true, force: true });
  });

  async function teamCopy(): Promise<import('../../../src/core/model/episode').Episode | undefined> {
    const s = await ExperienceStore.open(team, { mode: 'read', log: silentLogger, remote: teamRemote(az, team) }).catch(() => undefined);
    try {
      return await s?.getEpisode(id);
    } finally {
      s?.close();
    }
  }

  it('shows a read-only preview and asks once; declining writes nothing', async () => {
    answer = undefined;
    shown.length = 0;
    const r = (await vscode.commands.executeCommand('dejafix.shareWithTeam', id)) as { confirmed: boolean; written: number } | undefined;
    assert.ok(r, JSON.stringify(shown));
    assert.equal(r.confirmed, false);
    const modals = shown.filter((s) => s.modal);
    assert.equal(modals.length, 1, 'asked exactly once');
    assert.match(modals[0].text, new RegExp(`^Share 1 record\\(s\\) with the team store ${team.replace(/[/.]/g, '\\$&')}\\?$`));
    assert.deepEqual(modals[0].options, ['Share']);
    const editor = vscode.window.activeTextEditor;
    assert.equal(editor?.document.uri.scheme, 'dejafix-share');
    const text = editor.document.getText();
    assert.match(text, /Nothing is written until you confirm/);
    assert.match(text, new RegExp(`// ── episode ${id} \\[new\\]: Rounding error in VAT total`));
    assert.match(text, /"sharedBy": "Dana Dev <dana@example.com>"/);
    // Read-only: typing into the preview editor changes nothing (a content-provider document has no
    // save or edit path; a programmatic WorkspaceEdit would still touch the in-memory model).
    await vscode.window.showTextDocument(editor.document, { preview: true, preserveFocus: false });
    await vscode.commands.executeCommand('type', { text: 'typed by the test' });
    assert.equal(editor.document.getText(), text, 'the preview cannot be typed into');
    assert.equal(editor.document.isDirty, false);
    assert.ok(shown.some((s) => s.kind === 'info' && /nothing was shared/.test(s.text)));
    assert.equal(await teamCopy(), undefined, 'nothing reached the team store');
  });

  it('confirming writes exactly the previewed record with provenance; sharing again writes nothing', async () => {
    answer = 'Share';
    shown.length = 0;
    const r = (await vscode.commands.executeCommand('dejafix.shareWithTeam', { episodeId: id })) as {
      confirmed: boolean;
      written: number;
      preview: string;
    };
    assert.equal(r.confirmed, true);
    assert.equal(r.written, 1);
    const copy = await teamCopy();
    assert.equal(copy?.issue.title, 'Rounding error in VAT total for zero-rated lines');
    assert.equal(copy?.provenance?.sharedBy, 'Dana Dev <dana@example.com>');
    assert.match(r.preview, new RegExp(`"sharedAt": "${copy!.provenance!.sharedAt}"`));
    assert.ok(shown.some((s) => s.kind === 'info' && /shared 1 record\(s\) with the team/.test(s.text)));
    shown.length = 0;
    const again = (await vscode.commands.executeCommand('dejafix.shareWithTeam', id)) as { written: number };
    assert.equal(again.written, 0);
    assert.equal(shown.filter((s) => s.modal).length, 0, 'nothing to confirm');
    assert.ok(
      shown.some((s) => /nothing to write \(1 already up to date\)/.test(s.text)),
      JSON.stringify(shown),
    );
  });

  it('Share to Repository writes the reviewed record to .dejafix/ only after confirmation', async () => {
    const folder = vscode.workspace.workspaceFolders![0].uri.fsPath;
    answer = undefined;
    shown.length = 0;
    await vscode.commands.executeCommand('dejafix.shareToRepository', id);
    assert.equal(shown.filter((s) => s.modal).length, 1);
    assert.match(shown.find((s) => s.modal)!.text, /^Write 1 record\(s\) to .*\.dejafix for review in a pull request\?$/);
    assert.ok(!existsSync(join(folder, '.dejafix', 'episodes')), 'nothing written when declined');
    answer = 'Write to .dejafix';
    const r = (await vscode.commands.executeCommand('dejafix.shareToRepository', id)) as { written: number };
    assert.equal(r.written, 1);
    const files = readdirSync(join(folder, '.dejafix', 'episodes'));
    assert.equal(files.length, 1);
    const line = readFileSync(join(folder, '.dejafix', 'episodes', files[0]), 'utf8');
    assert.match(line, new RegExp(`"id":"${id}"`));
    assert.match(line, /"origin":"repository"/);
    assert.ok(shown.some((s) => /wrote 1 record\(s\) to \.dejafix\/.*Commit them for review/.test(s.text)));
  });
  it('Forget from Team asks its own question; declining keeps the record; confirming removes it from the team store with a tombstone, the local copy stays', async () => {
    assert.ok(await teamCopy(), 'shared by the test above');
    answer = undefined;
    shown.length = 0;
    const declined = (await vscode.commands.executeCommand('dejafix.forgetFromTeam', id)) as { confirmed: boolean };
    assert.equal(declined.confirmed, false);
    const modals = shown.filter((s) => s.modal);
    assert.equal(modals.length, 1, 'asked exactly once');
    assert.match(modals[0].text, new RegExp(`^Forget 1 record\\(s\\) for everyone in the team store ${team.replace(/[/.]/g, '\\$&')}\\?$`));
    assert.deepEqual(modals[0].options, ['Forget for Everyone']);
    assert.ok(await teamCopy(), 'declining keeps it');

    // an id the team store does not hold: said in one message, nothing asked
    shown.length = 0;
    await vscode.commands.executeCommand('dejafix.forgetFromTeam', 'ep-never-shared');
    assert.equal(shown.filter((s) => s.modal).length, 0);
    assert.ok(
      shown.some((s) => /ep-never-shared is not in the team store .*nothing was forgotten/.test(s.text)),
      JSON.stringify(shown),
    );

    answer = 'Forget for Everyone';
    shown.length = 0;
    const done = (await vscode.commands.executeCommand('dejafix.forgetFromTeam', { ids: [id, 'ep-never-shared'] })) as {
      confirmed: boolean;
      episodes: number;
      notFound: string[];
    };
    assert.deepEqual([done.confirmed, done.episodes, done.notFound], [true, 1, ['ep-never-shared']]);
    assert.equal(await teamCopy(), undefined, 'gone from the team store');
    const s = await ExperienceStore.open(team, { mode: 'read', log: silentLogger, remote: teamRemote(az, team) });
    try {
      const tombstones = await s.table('tombstones').query().toArray();
      assert.deepEqual(
        tombstones.map((t) => [String(t.id), String(t.deletedBy)]),
        [[id, 'Dana Dev <dana@example.com>']],
      );
    } finally {
      s.close();
    }
    const api = await dejafix();
    assert.equal((await (await api.app.memory.open()).getEpisode(id))?.id, id, 'your own local copy stays');
    assert.ok(shown.some((s) => s.kind === 'info' && /forgot 1 record\(s\) for the team/.test(s.text)));
  });
});
