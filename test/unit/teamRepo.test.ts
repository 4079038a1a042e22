import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync, appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { ExperienceStore } from '../../src/core/store';
import { readRepoFolder, recordLine } from '../../src/core/team/repoFolder';
import { makeAttempt, makeEpisode, makeInsight } from '../helpers/records';
import { runCli } from '../helpers/cli';
import { useTempDir } from '../helpers/tmp';

const GIT_ENV = {
  GIT_AUTHOR_NAME: 'T',
  GIT_AUTHOR_EMAIL: 't@x',
  GIT_COMMITTER_NAME: 'T',
  GIT_COMMITTER_EMAIL: 't@x',
  GIT_CONFIG_NOSYSTEM: '1',
  HOME: '',
};

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'init.defaultBranch=main', '-c', 'pull.rebase=false', ...args], {
    cwd,
    env: { ...process.env, ...GIT_ENV, HOME: cwd },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function gitOk(cwd: string, ...args: string[]): { ok: boolean; out: string } {
  try {
    return { ok: true, out: git(cwd, ...args) };
  } catch (e) {
    return { ok: false, out: String((e as { stdout?: string }).stdout ?? '') + String((e as { stderr?: string }).stderr ?? '') };
  }
}

describe('team memory: the repository .dejafix/ folder', () => {
  const tmp = useTempDir();
  const SECRET = 'ghp_' + 'Z9y8X7w6V5u4T3s2R1q0P9o8N7m6L5k4J3i2';

  async function seed(
    store: string,
    episodes: Parameters<typeof makeEpisode>[0][],
    insights: Parameters<typeof makeInsight>[0][] = [],
  ): Promise<void> {
    const s = await ExperienceStore.open(store);
    try {
      await s.upsertEpisodes(episodes.map((e) => makeEpisode(e)));
      if (insights.length) await s.upsertInsights(insights.map((i) => makeInsight(i)));
    } finally {
      s.close();
    }
  }

  /** A bare origin and two clones with a first commit, like two teammates' checkouts. */
  function twoClones(): { a: string; b: string } {
    const origin = join(tmp.path, 'origin.git');
    mkdirSync(origin);
    git(origin, 'init', '--bare', '-q');
    const a = join(tmp.path, 'ann');
    const b = join(tmp.path, 'bob');
    git(tmp.path, 'clone', '-q', origin, a);
    writeFileSync(join(a, 'app.py'), 'x = 1\n');
    git(a, 'add', '.');
    git(a, 'commit', '-qm', 'init');
    git(a, 'push', '-q', 'origin', 'HEAD:main');
    git(tmp.path, 'clone', '-q', '-b', 'main', origin, b);
    return { a, b };
  }

  const share = (repo: string, store: string, ...ids: string[]) =>
    runCli(['share', ...ids, '--to-repo', repo, '--yes', '--json', '--store', store], {
      env: { DEJAFIX_TEAM_NAME: `sharer of ${store.split('/').pop()}` },
    });
  const sync = (repo: string, store: string) => runCli(['sync', '--from-repo', repo, '--json', '--store', store, '--embedder', 'none']);

  it('two clones share, merge (both sides appended to the same file) and sync into a third store; nothing secret or absolute leaves', async () => {
    const { a, b } = twoClones();
    const sa = join(tmp.path, 'store-a');
    const sb = join(tmp.path, 'store-b');
    const sc = join(tmp.path, 'store-c');
    await seed(
      sa,
      [
        {
          id: 'ann-1',
          createdAt: '2026-11-03T10:00:00.000Z',
          issue: { title: 'Ann total is None', body: `Traceback: File "${a}/app/x.py", line 3; token ${SECRET}` },
          attempts: [makeAttempt('ann-1', { command: `cd ${a} && pytest`, outputTail: `${process.env.HOME ?? '/root'}/.cache/pip/x` })],
        },
        { id: 'ann-2', createdAt: '2026-11-20T10:00:00.000Z' },
      ],
      [{ id: 'ann-i1', text: `Run ${a}/tools/check.sh first.`, lastUsedAt: '2026-12-01T00:00:00.000Z' }],
    );
    await seed(sb, [{ id: 'bob-1', createdAt: '2026-11-15T10:00:00.000Z', issue: { title: 'Bob date parsing', body: 'y' } }]);
    const ra = await share(a, sa, 'ann-1', 'ann-2', 'ann-i1');
    assert.equal(ra.code, 0, ra.stderr);
    assert.equal(JSON.parse(ra.stdout).written, 3);
    assert.match(ra.stderr, /episode ann-1 \[new\]/);
    assert.match(ra.stderr, /local paths made relative/);
    const file = join(a, '.dejafix/episodes/2026-11.jsonl');
    const text = readFileSync(file, 'utf8');
    assert.equal(text.split('\n').filter(Boolean).length, 2, 'one line per episode, both in the month file');
    assert.ok(text.startsWith('{"kind":"episode","attempts":'), 'kind first, then sorted keys');
    const insightFile = join(a, '.dejafix/insights', readdirSync(join(a, '.dejafix/insights'))[0]);
    for (const f of [text, readFileSync(insightFile, 'utf8')]) {
      assert.ok(!f.includes(SECRET), 'no secret in the folder');
      assert.ok(!f.includes(a) && !f.includes(tmp.path), 'no absolute path in the folder');
    }
    assert.ok(!readFileSync(insightFile, 'utf8').includes('lastUsedAt'), 'machine-local state stays local');
    assert.match(text, /File \\"app\/x\.py\\"/);
    assert.match(readFileSync(join(a, '.dejafix/.gitattributes'), 'utf8'), /merge=union/);
    // sharing again changes nothing on disk: a clean diff
    git(a, 'add', '.dejafix');
    git(a, 'commit', '-qm', 'memories');
    const again = await share(a, sa, 'ann-1', 'ann-2', 'ann-i1');
    assert.equal(JSON.parse(again.stdout).written, 0, again.stderr);
    assert.equal(git(a, 'status', '--porcelain'), '');
    git(a, 'push', '-q', 'origin', 'HEAD:main');
    // Bob appends to the same month file on his side, then pulls: a union merge, no conflict
    assert.equal((await share(b, sb, 'bob-1')).code, 0);
    git(b, 'add', '.dejafix');
    git(b, 'commit', '-qm', 'bob memory');
    const pulled = gitOk(b, 'pull', '-q', '--no-edit', 'origin', 'main');
    assert.ok(pulled.ok, pulled.out);
    const merged = readFileSync(join(b, '.dejafix/episodes/2026-11.jsonl'), 'utf8');
    assert.equal(merged.split('\n').filter(Boolean).length, 3);
    // a third machine imports everything as repository records
    const rc = await sync(b, sc);
    assert.equal(rc.code, 0, rc.stderr);
    const out = JSON.parse(rc.stdout);
    assert.equal(out.pulled, 4);
    assert.deepEqual(out.errors, []);
    const c = await ExperienceStore.open(sc);
    try {
      const e = await c.getEpisode('ann-1');
      assert.equal(e?.provenance?.origin, 'repository');
      assert.equal(e?.provenance?.sharedBy, 'sharer of store-a');
      assert.equal(e?.attempts.length, 1);
      assert.ok(!JSON.stringify(e).includes(SECRET));
      assert.equal((await c.getEpisode('bob-1'))?.provenance?.origin, 'repository');
      assert.equal((await c.getInsight('ann-i1'))?.provenance?.origin, 'repository');
    } finally {
      c.close();
    }
    // a second sync changes nothing; Bob's own record is never overwritten by the folder copy
    assert.equal(JSON.parse((await sync(b, sc)).stdout).pulled, 0);
    const own = JSON.parse((await sync(b, sb)).stdout);
    assert.equal(own.keptOwn, 1);
    assert.equal(own.pulled, 3);
    // a line deleted from the folder (a reviewed removal) is forgotten from replicas
    writeFileSync(
      join(b, '.dejafix/episodes/2026-11.jsonl'),
      merged
        .split('\n')
        .filter((l) => l && !l.includes('"id":"ann-2"'))
        .join('\n') + '\n',
    );
    const rf = JSON.parse((await sync(b, sc)).stdout);
    assert.equal(rf.forgotten, 1);
    const c2 = await ExperienceStore.open(sc);
    assert.equal(await c2.getEpisode('ann-2'), undefined);
    assert.ok(await c2.getEpisode('ann-1'));
    c2.close();
  });

  it('a merge without the union driver leaves conflict markers: both sides import, and the next share rewrites the file clean', async () => {
    const { a, b } = twoClones();
    const sa = join(tmp.path, 'sa');
    const sb = join(tmp.path, 'sb');
    await seed(sa, [{ id: 'a-1', createdAt: '2026-10-01T00:00:00.000Z' }]);
    await seed(sb, [
      { id: 'b-1', createdAt: '2026-10-02T00:00:00.000Z' },
      { id: 'b-2', createdAt: '2026-10-03T00:00:00.000Z' },
    ]);
    // both start from a shared file, so appends on both sides conflict
    await share(a, sa, 'a-1');
    rmSync(join(a, '.dejafix/.gitattributes'));
    writeFileSync(join(a, '.dejafix/.gitattributes'), '');
    git(a, 'add', '.dejafix');
    git(a, 'commit', '-qm', 'a');
    git(a, 'push', '-q', 'origin', 'HEAD:main');
    git(b, 'pull', '-q', 'origin', 'main');
    await seed(sa, [{ id: 'a-2', createdAt: '2026-10-05T00:00:00.000Z' }]);
    await share(a, sa, 'a-2');
    git(a, 'commit', '-qam', 'a2');
    git(a, 'push', '-q', 'origin', 'HEAD:main');
    await share(b, sb, 'b-1', 'b-2');
    git(b, 'commit', '-qam', 'b');
    const merge = gitOk(b, 'pull', '--no-edit', 'origin', 'main');
    assert.equal(merge.ok, false, 'the merge conflicts');
    const conflicted = readFileSync(join(b, '.dejafix/episodes/2026-10.jsonl'), 'utf8');
    assert.match(conflicted, /^<<<<<<< /m);
    const sc = join(tmp.path, 'sc');
    const r = await sync(b, sc);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.equal(out.pulled, 4, 'a-1, a-2, b-1, b-2: both sides of the conflict');
    assert.ok(out.conflictMarkers >= 3);
    // Bob resolves by sharing again: the file is rewritten sorted, de-duplicated, without markers
    await seed(sb, [{ id: 'b-3', createdAt: '2026-10-09T00:00:00.000Z' }]);
    assert.equal((await share(b, sb, 'b-3')).code, 0);
    const clean = readFileSync(join(b, '.dejafix/episodes/2026-10.jsonl'), 'utf8');
    assert.doesNotMatch(clean, /^(<<<<<<<|=======|>>>>>>>)/m);
    assert.deepEqual(
      clean
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).id),
      ['a-1', 'b-1', 'b-2', 'a-2', 'b-3'],
    );
  });

  it('hostile files in .dejafix/: each bad line is reported with file:line, every good line is imported, links are not followed', async () => {
    const repo = join(tmp.path, 'repo');
    mkdirSync(join(repo, '.dejafix/episodes'), { recursive: true });
    mkdirSync(join(tmp.path, 'outside'));
    writeFileSync(join(tmp.path, 'outside/private.jsonl'), recordLine('episode', makeEpisode({ id: 'outside-secret' })) + '\n');
    const good = (id: string, over = {}) => recordLine('episode', makeEpisode({ id, createdAt: '2026-09-01T00:00:00.000Z', ...over }));
    const huge = 'x'.repeat(3 * 1024 * 1024);
    const lines = [
      good('g1'),
      '{"kind":"episode","id":',
      good('g2', { issue: { title: 'leaky', body: `AWS key AKIA${'Q3RT7ZK2M9XW4B1N'} and ${SECRET}` } }),
      `{"kind":"spaceship"}`,
      huge,
      good('g3', { issue: { title: 'big body', body: 'y'.repeat(400 * 1024) } }),
      '[]',
      good('g1'),
      JSON.stringify({ kind: 'episode', ...makeEpisode({ id: 'bad\u0000id' }) }),
    ];
    writeFileSync(join(repo, '.dejafix/episodes/2026-09.jsonl'), lines.join('\n') + '\n');
    appendFileSync(join(repo, '.dejafix/episodes/2026-09.jsonl'), Buffer.from([0xc3, 0x28, 0x0a]));
    symlinkSync(join(tmp.path, 'outside/private.jsonl'), join(repo, '.dejafix/episodes/2026-08.jsonl'));
    symlinkSync(join(tmp.path, 'outside'), join(repo, '.dejafix/insights'));
    mkdirSync(join(repo, '.dejafix/episodes/nested.jsonl'));
    const store = join(tmp.path, 'store');
    const r = await sync(repo, store);
    assert.equal(r.code, 1, r.stderr);
    const errs = r.stderr.trim().split('\n');
    const at = (n: number) => errs.find((l) => l.startsWith(`.dejafix/episodes/2026-09.jsonl:${n}: `));
    assert.match(at(2) ?? '', /not valid JSON/);
    assert.match(at(4) ?? '', /kind/);
    assert.match(at(5) ?? '', /not valid JSON/);
    assert.ok((at(5) ?? '').length < 400, 'a huge line gives a short message');
    assert.match(at(7) ?? '', /kind/);
    assert.match(at(9) ?? '', /control characters/);
    assert.match(at(10) ?? '', /invalid UTF-8/);
    assert.ok(
      errs.some((l) => /episodes\/2026-08\.jsonl: is a symbolic link/.test(l)),
      r.stderr,
    );
    assert.ok(
      errs.some((l) => /\.dejafix\/insights: is a symbolic link/.test(l)),
      r.stderr,
    );
    assert.ok(
      errs.some((l) => /nested\.jsonl: is not a regular file/.test(l)),
      r.stderr,
    );
    for (const l of errs) assert.doesNotMatch(l, /\s+at \S+ \(|Error:/);
    const out = JSON.parse(r.stdout);
    assert.equal(out.pulled, 3, 'g1, g2 and g3 imported despite the bad lines around them');
    const s = await ExperienceStore.open(store);
    try {
      const g2 = await s.getEpisode('g2');
      assert.ok(g2 && !g2.issue.body.includes(SECRET) && !g2.issue.body.includes('Q3RT7ZK2M9XW4B1N'), 'secrets redacted on the way in');
      assert.ok(await s.getEpisode('g3'));
      assert.equal(await s.getEpisode('outside-secret'), undefined, 'a linked file is never read');
    } finally {
      s.close();
    }
    // with bad lines present, a deleted line does not make memories disappear
    writeFileSync(join(repo, '.dejafix/episodes/2026-09.jsonl'), [good('g1'), '{oops'].join('\n') + '\n');
    const r2 = await sync(repo, store);
    assert.equal(JSON.parse(r2.stdout).forgotten, 0);
    assert.match(r2.stderr, /kept because some lines could not be read/);
    // sharing into a file with unreadable lines is refused before anything is written
    await seed(join(tmp.path, 'mine'), [{ id: 'm1', createdAt: '2026-09-05T00:00:00.000Z' }]);
    const before = readFileSync(join(repo, '.dejafix/episodes/2026-09.jsonl'), 'utf8');
    const refused = await share(repo, join(tmp.path, 'mine'), 'm1');
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /cannot update \.dejafix\/ until this is fixed: \.dejafix\/episodes\/2026-09\.jsonl:2: not valid JSON/);
    assert.equal(readFileSync(join(repo, '.dejafix/episodes/2026-09.jsonl'), 'utf8'), before);
  });

  it('refuses a .dejafix that is a symbolic link, with one line, for share and sync', async () => {
    const repo = join(tmp.path, 'repo');
    mkdirSync(join(tmp.path, 'elsewhere'));
    mkdirSync(repo);
    symlinkSync(join(tmp.path, 'elsewhere'), join(repo, '.dejafix'));
    await seed(join(tmp.path, 's'), [{ id: 'e1' }]);
    for (const r of [await sync(repo, join(tmp.path, 's')), await share(repo, join(tmp.path, 's'), 'e1')]) {
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr.trim(), /^dejafix: .*\.dejafix is a symbolic link; Dejafix reads only a real \.dejafix\/ folder\.$/);
    }
    assert.deepEqual(readdirSync(join(tmp.path, 'elsewhere')), []);
  });

  it('reading the same folder twice gives the same records, and a duplicated id keeps the newest share', async () => {
    const repo = join(tmp.path, 'r');
    mkdirSync(join(repo, '.dejafix/insights'), { recursive: true });
    const old = makeInsight({ id: 'i1', text: 'old text', provenance: { origin: 'repository', sharedAt: '2026-01-01T00:00:00.000Z' } });
    const newer = makeInsight({ id: 'i1', text: 'new text', provenance: { origin: 'repository', sharedAt: '2026-02-01T00:00:00.000Z' } });
    for (const order of [
      [old, newer],
      [newer, old],
    ]) {
      writeFileSync(join(repo, '.dejafix/insights/2024-01.jsonl'), order.map((i) => recordLine('insight', i)).join('\n') + '\n');
      const f = await readRepoFolder(repo);
      assert.equal(f.insights.get('i1')?.text, 'new text');
      assert.deepEqual(f.issues, []);
    }
    assert.ok(!existsSync(join(repo, '.dejafix/episodes')));
  });
});
