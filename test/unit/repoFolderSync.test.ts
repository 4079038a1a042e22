// The repository memory folder followed as it changes (core/team/repoFolderSync.ts): a real git
// repository and a real LanceDB store in temp folders; files under .dejafix/ added, edited, deleted,
// switched by `git checkout`, and made malformed, huge or hostile — the replica follows, the user's
// own records are never touched, bursts of events make one sync, unreadable lines give one line.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Episode } from '../../src/core/model';
import { ExperienceStore } from '../../src/core/store';
import { RepoFolderSync, repoSyncWarning } from '../../src/core/team/repoFolderSync';
import { recordLine } from '../../src/core/team/repoFolder';
import type { RepoSyncResult } from '../../src/core/team/repoSync';
import { makeEpisode, makeInsight } from '../helpers/records';
import { useTempDir } from '../helpers/tmp';

const REPO_ID = 'github.com/acme/invoices';

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'init.defaultBranch=main', ...args], {
    cwd,
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 'T',
      GIT_AUTHOR_EMAIL: 't@x',
      GIT_COMMITTER_NAME: 'T',
      GIT_COMMITTER_EMAIL: 't@x',
      GIT_CONFIG_NOSYSTEM: '1',
      HOME: cwd,
    },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function shared(id: string, title: string, over: Partial<Episode> = {}): Episode {
  return makeEpisode({
    id,
    issue: { title, body: `${title}. Seen in CI.` },
    createdAt: '2026-11-02T09:00:00.000Z',
    provenance: { origin: 'repository', sharedBy: 'Ann <ann@example.com>', sharedAt: '2026-11-03T09:00:00.000Z', sharedFrom: REPO_ID },
    ...over,
  });
}

describe('repository memory folder followed as it changes (RepoFolderSync)', function () {
  this.timeout(120_000);
  const tmp = useTempDir();
  let repo: string;
  let store: ExperienceStore;
  let results: RepoSyncResult[];
  let errors: unknown[];
  let sync: RepoFolderSync;

  const file = (name = '2026-11.jsonl') => join(repo, '.dejafix', 'episodes', name);
  function write(episodes: Episode[], name?: string): void {
    mkdirSync(join(repo, '.dejafix', 'episodes'), { recursive: true });
    writeFileSync(file(name), episodes.map((e) => recordLine('episode', e)).join('\n') + '\n');
  }
  const titleOf = async (id: string) => (await store.getEpisode(id))?.issue.title;

  beforeEach(async () => {
    repo = join(tmp.path, 'repo');
    mkdirSync(repo);
    git(repo, 'init', '-q');
    writeFileSync(join(repo, 'README.md'), 'invoices\n');
    git(repo, 'add', '.');
    git(repo, 'commit', '-qm', 'init');
    store = await ExperienceStore.open(join(tmp.path, 'store'));
    results = [];
    errors = [];
    sync = new RepoFolderSync({
      open: async () => store,
      debounceMs: 50,
      onSynced: (_root, r) => void results.push(r),
      onError: (_root, e) => void errors.push(e),
    });
  });
  afterEach(() => {
    sync.dispose();
    store.close();
  });

  it('imports on add as repository replicas, re-imports only what changed, forgets deleted lines and files', async () => {
    write([shared('r-1', 'Invoice total is None for free lines'), shared('r-2', 'VAT rounded twice')]);
    await sync.add(repo, REPO_ID);
    assert.equal(results.at(-1)!.pulled, 2);
    const e = await store.getEpisode('r-1');
    assert.equal(e?.provenance?.origin, 'repository');
    assert.equal(e?.provenance?.sharedFrom, REPO_ID);

    write([shared('r-1', 'Invoice total is None for free lines (edited in review)'), shared('r-2', 'VAT rounded twice')]);
    sync.changed(repo);
    await sync.idle();
    assert.deepEqual([results.at(-1)!.pulled, results.at(-1)!.unchanged], [1, 1]);
    assert.equal(await titleOf('r-1'), 'Invoice total is None for free lines (edited in review)');

    write([shared('r-2', 'VAT rounded twice')]);
    sync.changed(repo);
    await sync.idle();
    assert.equal(await store.getEpisode('r-1'), undefined, 'a deleted line is forgotten');
    assert.equal(await titleOf('r-2'), 'VAT rounded twice');

    rmSync(file());
    sync.changed(repo);
    await sync.idle();
    assert.equal(await store.getEpisode('r-2'), undefined, 'a deleted file is forgotten');
    assert.deepEqual(errors, []);
  });

  it("never imports over, nor forgets, the user's own records — even when the folder names their ids", async () => {
    await store.upsertEpisodes([makeEpisode({ id: 'mine-1', issue: { title: 'My own fix', body: 'b' } })]);
    await store.upsertInsights([makeInsight({ id: 'mine-in' })]);
    write([shared('mine-1', 'Someone else rewrote my fix'), shared('r-3', 'Currency symbol lost')]);
    await sync.add(repo, REPO_ID);
    assert.equal(results.at(-1)!.keptOwn, 1);
    assert.equal(await titleOf('mine-1'), 'My own fix');
    rmSync(join(repo, '.dejafix'), { recursive: true });
    sync.changed(repo);
    await sync.idle();
    assert.equal(await titleOf('mine-1'), 'My own fix');
    assert.ok(await store.getInsight('mine-in'));
    assert.equal(await store.getEpisode('r-3'), undefined);
  });

  it('follows a branch switch: records of the other branch come and go with it', async () => {
    git(repo, 'checkout', '-qb', 'feature');
    write([shared('f-1', 'Feature-only repair: discount applied twice')]);
    git(repo, 'add', '.dejafix');
    git(repo, 'commit', '-qm', 'memory');
    await sync.add(repo, REPO_ID);
    assert.equal(await titleOf('f-1'), 'Feature-only repair: discount applied twice');
    git(repo, 'checkout', '-q', 'main');
    sync.changed(repo);
    await sync.idle();
    assert.equal(await store.getEpisode('f-1'), undefined, 'main has no .dejafix/');
    git(repo, 'checkout', '-q', 'feature');
    sync.changed(repo);
    await sync.idle();
    assert.equal(await titleOf('f-1'), 'Feature-only repair: discount applied twice');
  });

  it('malformed, huge and hostile files: one line names the first problem, every good record is imported, nothing is forgotten meanwhile', async () => {
    write([shared('g-1', 'Good record one'), shared('g-2', 'Good record two')]);
    await sync.add(repo, REPO_ID);
    const SECRET = 'ghp_' + 'Q1w2E3r4T5y6U7i8O9p0A1s2D3f4G5h6J7k8';
    write([shared('g-1', 'Good record one'), shared('g-3', `Token ${SECRET} leaked in a log`)]); // g-2 deleted
    appendFileSync(file(), '{"kind":"episode","id":\n'); // cut off
    appendFileSync(file(), '\u0000\u0001binary\uFFFD garbage\n');
    appendFileSync(file(), '{"kind":"episode","__proto__":{"polluted":true},"id":"p-1"}\n');
    writeFileSync(
      file('2026-10.jsonl'),
      'x'.repeat(65 * 1024 * 1024) + '\n' + recordLine('episode', shared('g-4', 'After a huge line')) + '\n',
    );
    symlinkSync('/etc/passwd', file('2026-09.jsonl'));
    sync.changed(repo);
    await sync.idle();
    const r = results.at(-1)!;
    assert.ok(r.issues.length >= 5, JSON.stringify(r.issues));
    const warning = repoSyncWarning(r)!;
    assert.equal(warning.split('\n').length, 1);
    assert.ok(warning.length < 600, `one short line: ${warning.length}`);
    assert.match(
      warning,
      /^\d+ line\(s\) of \.dejafix\/ could not be read and were skipped \(first: \.dejafix\/episodes\/.+\); the rest was imported; 1 record\(s\) no longer there were kept/,
    );
    assert.ok(await store.getEpisode('g-4'), 'the record after the huge line');
    assert.ok(await store.getEpisode('g-2'), 'not forgotten while lines are unreadable');
    const leaked = await store.getEpisode('g-3');
    assert.ok(leaked);
    assert.ok(!JSON.stringify(leaked).includes(SECRET), 'secrets are redacted on import');
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal(await store.getEpisode('p-1'), undefined);

    write([shared('g-1', 'Good record one'), shared('g-3', 'Token leaked in a log')]);
    rmSync(file('2026-10.jsonl'));
    rmSync(file('2026-09.jsonl'));
    sync.changed(repo);
    await sync.idle();
    assert.equal(repoSyncWarning(results.at(-1)!), undefined);
    assert.equal(await store.getEpisode('g-2'), undefined, 'forgotten once the folder reads cleanly');
    assert.equal(await store.getEpisode('g-4'), undefined);
  });

  it('a .dejafix that is a symbolic link is an error for that sync, and the replica is untouched', async () => {
    write([shared('s-1', 'Before the link')]);
    await sync.add(repo, REPO_ID);
    rmSync(join(repo, '.dejafix'), { recursive: true });
    const elsewhere = join(tmp.path, 'elsewhere');
    mkdirSync(join(elsewhere, 'episodes'), { recursive: true });
    symlinkSync(elsewhere, join(repo, '.dejafix'));
    sync.changed(repo);
    await sync.idle();
    assert.equal(errors.length, 1);
    assert.match(String((errors[0] as Error).message), /symbolic link/);
    assert.ok(await store.getEpisode('s-1'));
  });

  it('a burst of file events makes one sync; events during a sync make exactly one more', async () => {
    write([shared('b-1', 'Burst one')]);
    await sync.add(repo, REPO_ID);
    const before = results.length;
    for (let i = 0; i < 25; i++) sync.changed(repo);
    await sync.idle();
    assert.equal(results.length, before + 1, 'debounced into one');
    const first = sync.syncNow(repo);
    void sync.syncNow(repo);
    void sync.syncNow(repo);
    await first;
    await sync.idle();
    assert.equal(results.length, before + 3, 'the running one plus one more');
  });

  it('after dispose, pending events start nothing; roots not added are ignored', async () => {
    write([shared('d-1', 'Disposed')]);
    sync.changed(repo);
    await new Promise((r) => setTimeout(r, 120));
    assert.equal(results.length, 0, 'not added');
    await sync.add(repo, REPO_ID);
    const n = results.length;
    write([shared('d-1', 'Disposed, then edited')]);
    sync.changed(repo);
    sync.dispose();
    await new Promise((r) => setTimeout(r, 150));
    assert.equal(results.length, n);
    assert.equal(await titleOf('d-1'), 'Disposed');
  });
});
