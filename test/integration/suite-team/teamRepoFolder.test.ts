// The repository memory folder followed by the editor: a record written into the workspace's
// .dejafix/ (as a pull or branch switch would) reaches the local replica and recall by itself,
// marked as from the repository; deleting its file makes it disappear; an unreadable line is one
// warning and the good lines still import; with the setting off nothing is read. Real code-server, real file-system watcher, real store.
import * as assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { recordLine } from '../../../src/core/team/repoFolder';
import { dejafix, eventually } from '../support/dejafix';
import { teamEpisode, watchMessages, type Shown } from './teamSupport';

describe('editor: the repository .dejafix/ folder is followed', function () {
  this.timeout(180_000);
  const stamp = Date.now();
  const id = `ep-repo-${stamp}`;
  const title = `Currency symbol dropped from PDF invoice ${stamp}`;
  const shown: Shown[] = [];
  let unwatch: () => void;
  const folder = () => vscode.workspace.workspaceFolders![0].uri.fsPath;
  const file = () => join(folder(), '.dejafix', 'episodes', '2026-11.jsonl');

  async function recallText(query: string): Promise<string> {
    const r = await vscode.lm.invokeTool('dejafix_recall', { input: { query, minRelevance: 0 }, toolInvocationToken: undefined });
    return r.content.map((p) => (p instanceof vscode.LanguageModelTextPart ? p.value : '')).join('');
  }
  async function stored(episodeId: string) {
    return (await (await dejafix()).app.memory.open()).getEpisode(episodeId);
  }

  before(async () => {
    unwatch = watchMessages(shown);
    await (await dejafix()).team?.repoFolder.idle();
  });
  after(() => {
    unwatch?.();
    rmSync(join(folder(), '.dejafix'), { recursive: true, force: true });
  });

  it('a record written into .dejafix/ reaches recall by itself, from the repository', async () => {
    const e = teamEpisode(id, title, {
      provenance: { origin: 'repository', sharedBy: 'Rita Reviewer <rita@example.com>', sharedAt: '2026-11-21T08:00:00.000Z' },
    });
    mkdirSync(join(folder(), '.dejafix', 'episodes'), { recursive: true });
    writeFileSync(file(), recordLine('episode', e) + '\n');
    const got = await eventually('the record in the local replica', () => stored(id), 90_000);
    assert.equal(got.provenance?.origin, 'repository');
    const text = await eventually('recall to show it', async () => {
      const t = await recallText(title);
      return t.includes(title) && t;
    });
    assert.match(text, new RegExp(`${title}[\\s\\S]*· from repository Rita Reviewer <rita@example\\.com> \\(2026-11-21\\)`));
  });

  it('an unreadable line is one warning; the good line next to it still imports', async () => {
    shown.length = 0;
    const second = teamEpisode(`${id}-b`, `Tax line repeated on credit notes ${stamp}`);
    appendFileSync(file(), '{"kind":"episode","id": this is not json\n' + recordLine('episode', second) + '\n');
    await eventually('the good line imported', () => stored(`${id}-b`), 90_000);
    const warning = await eventually('the warning', () => shown.find((s) => s.kind === 'warning' && /\.dejafix/.test(s.text)));
    assert.match(
      warning.text,
      /^Dejafix: 1 line\(s\) of \.dejafix\/ could not be read and were skipped \(first: \.dejafix\/episodes\/2026-11\.jsonl:2: .+\); the rest was imported\.$/,
    );
    assert.equal(warning.text.split('\n').length, 1);
    assert.deepEqual(warning.options, ['Show Logs']);
    assert.ok(await stored(id), 'nothing forgotten');
  });

  it('deleting the file makes its records disappear from the replica and from recall', async () => {
    rmSync(file());
    await eventually('the records forgotten', async () => !(await stored(id)) && !(await stored(`${id}-b`)), 90_000);
    const text = await recallText(title);
    assert.ok(!text.includes(title), text);
  });
  it('with dejafix.team.followRepositoryFolder off nothing is read; turned on again, the folder is imported', async () => {
    const config = vscode.workspace.getConfiguration('dejafix');
    const offId = `${id}-off`;
    await config.update('team.followRepositoryFolder', false, vscode.ConfigurationTarget.Global);
    try {
      mkdirSync(join(folder(), '.dejafix', 'episodes'), { recursive: true });
      writeFileSync(file(), recordLine('episode', teamEpisode(offId, `Late fee charged twice ${stamp}`)) + '\n');
      // well past the watcher's debounce (0.4 s) and a sync: nothing may arrive
      await new Promise((r) => setTimeout(r, 3_000));
      await (await dejafix()).team?.repoFolder.idle();
      assert.equal(await stored(offId), undefined, 'not imported while off');
    } finally {
      await config.update('team.followRepositoryFolder', undefined, vscode.ConfigurationTarget.Global);
    }
    await eventually('the record imported once on again', () => stored(offId), 90_000);
    // and the watcher follows changes again
    rmSync(file());
    await eventually('the record forgotten with its file', async () => !(await stored(offId)), 90_000);
  });
});
