import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  DEFAULT_TEST_COMMANDS,
  apiBaseFor,
  gitRemoteOf,
  diffAgainst,
  endSession,
  fetchGithubIssue,
  headCommit,
  issueNumberFromBranch,
  normaliseRemote,
  parseIssueInput,
  recordAttempt,
  remoteFromGitConfig,
  repoIdFor,
  startSession,
  testCommandMatcher,
  MAX_ATTEMPTS,
} from '../../src/core/capture';
import { useTempDir } from '../helpers/tmp';
import { startGithubServer } from '../helpers/githubServer';

describe('capture: repository identity', () => {
  it('normalises every remote URL shape to host/owner/name and drops credentials', () => {
    for (const [url, want] of [
      ['git@github.com:acme/app.git', 'github.com/acme/app'],
      ['https://github.com/acme/app', 'github.com/acme/app'],
      ['https://user:s3cret@GitHub.com/acme/app.git/', 'github.com/acme/app'],
      ['ssh://git@gitlab.example.com:2222/group/sub/app.git', 'gitlab.example.com/group/sub/app'],
      ['git://host.org/x/y', 'host.org/x/y'],
    ])
      assert.equal(normaliseRemote(url), want, url);
    for (const bad of ['', '   ', 'not a url', 'file:///srv/repo.git', 'https://', '/local/path/repo'])
      assert.equal(normaliseRemote(bad), undefined, bad);
    assert.equal(repoIdFor(undefined, 'my-folder'), 'my-folder');
    assert.equal(repoIdFor('/local/path', 'my-folder'), 'my-folder');
  });

  it('reads origin (else the first remote) from a git config', () => {
    const cfg =
      '[core]\n\tbare = false\n[remote "upstream"]\n\turl = git@github.com:up/app.git\n[remote "origin"]\n\turl = https://github.com/me/app.git\n\tfetch = +refs/heads/*:refs/remotes/origin/*\n';
    assert.equal(remoteFromGitConfig(cfg), 'https://github.com/me/app.git');
    assert.equal(remoteFromGitConfig('[remote "fork"]\n url = git@h:a/b\n'), 'git@h:a/b');
    assert.equal(remoteFromGitConfig(''), undefined);
    assert.equal(remoteFromGitConfig('\u0000'.repeat(10_000)), undefined);
  });
});

describe('capture: test commands', () => {
  const m = testCommandMatcher(DEFAULT_TEST_COMMANDS);
  it('recognises the usual test runners and nothing else', () => {
    for (const c of [
      'pytest -x tests/test_a.py',
      'python -m pytest',
      'python3 -m unittest discover',
      'npm test',
      'npm run test -- --watch=false',
      'yarn test',
      'pnpm test',
      'npx jest src',
      'npx vitest run',
      'mocha',
      './node_modules/.bin/mocha test',
      'go test ./...',
      'cargo test',
      'mvn -q test',
      './gradlew test',
      'dotnet test',
      'bundle exec rspec',
      'vendor/bin/phpunit',
      'cd app && TZ=UTC pytest -q',
      'tox -e py311',
      '.venv/bin/pytest tests',
    ])
      assert.ok(m.matches(c), c);
    for (const c of [
      'ls -la',
      'git status',
      'npm install',
      'cat pytest.ini.bak | less',
      'echo mochaccino',
      'vim tox.ini',
      '',
      'x'.repeat(20_000) + ' pytest',
    ])
      assert.ok(!m.matches(c), c);
  });
  it('reports invalid patterns from the setting instead of throwing', () => {
    const bad = testCommandMatcher(['(unclosed', '', 'ok\\s+test', 42 as unknown as string, 'a'.repeat(600)]);
    assert.equal(bad.invalid.length, 4);
    assert.ok(bad.matches('ok   test'));
  });
});

describe('capture: issue input', () => {
  it('parses URLs, #N and owner/name#N, else takes the text as the issue', () => {
    assert.deepEqual(parseIssueInput('https://github.com/acme/app/issues/42'), {
      kind: 'github',
      host: 'github.com',
      owner: 'acme',
      name: 'app',
      number: 42,
    });
    assert.deepEqual(parseIssueInput(' https://ghe.corp.example/team/app/issues/7#issuecomment-1 '), {
      kind: 'github',
      host: 'ghe.corp.example',
      owner: 'team',
      name: 'app',
      number: 7,
    });
    assert.deepEqual(parseIssueInput('#12'), { kind: 'github', number: 12 });
    assert.deepEqual(parseIssueInput('acme/app#12'), { kind: 'github', owner: 'acme', name: 'app', number: 12 });
    assert.deepEqual(parseIssueInput('Crash on save\r\nTraceback: ...'), { kind: 'text', title: 'Crash on save', body: 'Traceback: ...' });
    assert.equal(parseIssueInput('   \n '), undefined);
    const long = parseIssueInput('x'.repeat(100_000));
    assert.ok(long?.kind === 'text' && long.title.length === 200 && long.body.length === 100_000);
    assert.equal(parseIssueInput('<script>alert(1)</script>')?.kind, 'text');
  });
  it('finds an issue number in a branch name only where it means one', () => {
    for (const [b, n] of [
      ['fix/123-date', 123],
      ['issue-77', 77],
      ['gh-5', 5],
      ['123-crash', 123],
      ['feature/88_export', 88],
      ['bug#9', 9],
    ] as const)
      assert.equal(issueNumberFromBranch(b), n, b);
    for (const b of ['main', 'release-2024', 'v2-api', 'feature/oauth2', 'renovate/lodash-4.x', ''])
      assert.equal(issueNumberFromBranch(b), undefined, b);
  });
});

describe('capture: a repair session', () => {
  const patch = 'diff --git a/app/dates.py b/app/dates.py\n--- a/app/dates.py\n+++ b/app/dates.py\n@@ -1 +1 @@ def parse(\n-a\n+b\n';
  it('records attempts, notices the first pass after a failure, and ends as an episode', async () => {
    let s = startSession({
      repo: 'github.com/acme/app',
      issue: { title: 'Date parse crash', body: 'boom' },
      baseCommit: 'abc',
      now: '2026-01-01T00:00:00.000Z',
    });
    const a1 = await recordAttempt(s, {
      command: 'pytest -q',
      exitCode: 1,
      outputTail: 'E   ValueError: bad date "2026-13-01"\nFAILED',
      patch: '',
      by: 'human',
      at: '2026-01-01T00:01:00.000Z',
    });
    assert.equal(a1.looksFixed, false);
    s = a1.state;
    const a2 = await recordAttempt(s, {
      command: 'pytest -q',
      exitCode: 0,
      outputTail: '3 passed',
      patch,
      by: 'human',
      at: '2026-01-01T00:02:00.000Z',
    });
    assert.equal(a2.looksFixed, true);
    s = a2.state;
    assert.equal(
      (await recordAttempt(s, { command: 'pytest -q', exitCode: 0, outputTail: 'ok', patch, by: 'human', at: '2026-01-01T00:03:00.000Z' }))
        .looksFixed,
      false,
      'only the first pass after a failure',
    );
    const ep = endSession(s, 'resolved', '2026-01-01T00:05:00.000Z');
    assert.equal(ep.outcome, 'resolved');
    assert.equal(ep.finalPatch, patch);
    assert.deepEqual(ep.files, ['app/dates.py']);
    assert.deepEqual(ep.symbols, ['parse']);
    assert.match(ep.errorSignature, /^ValueError: bad date/);
    assert.deepEqual(
      ep.attempts.map((a) => a.outcome),
      ['failed', 'passed'],
    );
    assert.ok(ep.attempts.every((a) => a.episodeId === ep.id));
    const abandoned = endSession(s, 'abandoned', '2026-01-01T00:05:00.000Z');
    assert.equal(abandoned.finalPatch, '');
    assert.deepEqual(abandoned.files, ['app/dates.py'], 'an abandoned session still says which files it touched');
  });

  it('redacts secrets before keeping an attempt, and keeps only the output tail', async () => {
    const s = startSession({ repo: 'r', issue: { title: 't', body: '' }, now: '2026-01-01T00:00:00.000Z' });
    const key = 'sk-ant-api03-' + 'A'.repeat(93) + 'AA';
    const { attempt } = await recordAttempt(s, {
      command: `ANTHROPIC_API_KEY=${key} pytest`,
      exitCode: 2,
      outputTail: 'x'.repeat(50_000) + `\nAuthorization: Bearer ${key}\n`,
      patch: `+KEY="${key}"\n`,
      by: 'human',
      at: '2026-01-01T00:01:00.000Z',
    });
    const all = JSON.stringify(attempt);
    assert.ok(!all.includes(key), 'no secret kept');
    assert.ok(attempt.outputTail.length < 9_000 && attempt.outputTail.startsWith('[…'));
  });

  it('caps very long sessions without losing the first failure or any pass', async () => {
    let s = startSession({ repo: 'r', issue: { title: 't', body: '' }, now: '2026-01-01T00:00:00.000Z' });
    for (let i = 0; i < MAX_ATTEMPTS + 20; i++)
      s = (
        await recordAttempt(s, {
          command: `pytest ${i}`,
          exitCode: i === 50 ? 0 : 1,
          outputTail: '',
          patch: '',
          by: 'human',
          at: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
        })
      ).state;
    assert.equal(s.attempts.length, MAX_ATTEMPTS);
    assert.equal(s.attempts[0].command, 'pytest 0');
    assert.ok(s.attempts.some((a) => a.command === 'pytest 50'));
  });
});

describe('capture: git diff against the base commit', () => {
  const tmp = useTempDir();
  it('includes tracked changes and new files, and is empty outside a repository', async () => {
    const g = (...a: string[]) =>
      execFileSync('git', a, {
        cwd: tmp.path,
        env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@e', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@e' },
      });
    assert.equal(await diffAgainst(tmp.path), '');
    assert.equal(await headCommit(tmp.path), undefined);
    g('init', '-q');
    writeFileSync(join(tmp.path, 'a.py'), 'x = 1\n');
    g('add', '.');
    g('commit', '-qm', 'base');
    const base = await headCommit(tmp.path);
    assert.match(base ?? '', /^[0-9a-f]{40}$/);
    writeFileSync(join(tmp.path, 'a.py'), 'x = 2\n');
    mkdirSync(join(tmp.path, 'pkg'));
    writeFileSync(join(tmp.path, 'pkg', 'new.py'), 'y = 3\n');
    writeFileSync(join(tmp.path, '.gitignore'), 'ignored.log\n');
    writeFileSync(join(tmp.path, 'ignored.log'), 'noise\n');
    const d = await diffAgainst(tmp.path, base);
    assert.match(d, /^-x = 1$/m);
    assert.match(d, /^\+x = 2$/m);
    assert.match(d, /\+\+\+ b\/pkg\/new.py/);
    assert.ok(!d.includes('ignored.log') || d.includes('.gitignore'), 'ignored files stay out');
    assert.ok(!d.includes('noise'));
  });
});

describe('capture: the git remote of a folder', () => {
  const tmp = useTempDir();
  it('reads it from the repository, and from a worktree through its .git file', async () => {
    const g = (cwd: string, ...a: string[]) =>
      execFileSync('git', a, {
        cwd,
        env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@e', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@e' },
      });
    const repo = join(tmp.path, 'repo');
    mkdirSync(repo);
    assert.equal(await gitRemoteOf(repo), undefined, 'not a repository');
    g(repo, 'init', '-q');
    assert.equal(await gitRemoteOf(repo), undefined, 'no remote');
    g(repo, 'remote', 'add', 'origin', 'git@github.com:acme/app.git');
    g(repo, 'commit', '-q', '--allow-empty', '-m', 'base');
    assert.equal(await gitRemoteOf(repo), 'git@github.com:acme/app.git');
    g(repo, 'worktree', 'add', '-q', join(tmp.path, 'wt'));
    assert.equal(await gitRemoteOf(join(tmp.path, 'wt')), 'git@github.com:acme/app.git');
  });
});

describe('capture: GitHub issues', () => {
  it('fetches an issue with the token, and explains every failure', async () => {
    const gh = await startGithubServer({
      'acme/app#42': { number: 42, title: 'Crash on empty CSV', body: 'TypeError: x' },
      'acme/app#43': { number: 43, title: 'No body', body: null },
      'acme/app#44': { number: 44, title: 'Huge', body: 'z'.repeat(500_000) },
    });
    try {
      const issue = await fetchGithubIssue({ apiBase: gh.apiBase, owner: 'acme', name: 'app', number: 42, token: 'gho_test' });
      assert.deepEqual(issue, {
        title: 'Crash on empty CSV',
        body: 'TypeError: x',
        url: 'https://github.com/acme/app/issues/42',
        number: 42,
      });
      assert.equal(gh.requests[0].authorization, 'Bearer gho_test');
      assert.equal((await fetchGithubIssue({ apiBase: gh.apiBase, owner: 'acme', name: 'app', number: 43 })).body, '');
      assert.equal(gh.requests[1].authorization, undefined, 'anonymous without a token');
      assert.ok((await fetchGithubIssue({ apiBase: gh.apiBase, owner: 'acme', name: 'app', number: 44 })).body.length < 201_000);
      await assert.rejects(fetchGithubIssue({ apiBase: gh.apiBase, owner: 'acme', name: 'app', number: 1 }), /acme\/app#1 was not found/);
      gh.next({ kind: 'rate-limited' });
      await assert.rejects(
        fetchGithubIssue({ apiBase: gh.apiBase, owner: 'acme', name: 'app', number: 42 }),
        /rate limit is used up until \d\d:\d\d UTC/,
      );
      gh.next({ kind: 'status', status: 502 });
      await assert.rejects(fetchGithubIssue({ apiBase: gh.apiBase, owner: 'acme', name: 'app', number: 42 }), /answered 502/);
      gh.next({ kind: 'raw', body: '{"title": 5' });
      await assert.rejects(fetchGithubIssue({ apiBase: gh.apiBase, owner: 'acme', name: 'app', number: 42 }), /not valid JSON/);
      gh.next({ kind: 'raw', body: '{"title": 5}' });
      await assert.rejects(fetchGithubIssue({ apiBase: gh.apiBase, owner: 'acme', name: 'app', number: 42 }), /is not an issue/);
      gh.next({ kind: 'slow', delayMs: 2_000 });
      await assert.rejects(
        fetchGithubIssue({ apiBase: gh.apiBase, owner: 'acme', name: 'app', number: 42, timeoutMs: 200 }),
        /Could not reach/,
      );
      await assert.rejects(fetchGithubIssue({ apiBase: 'http://127.0.0.1:1', owner: 'a', name: 'b', number: 1 }), /Could not reach/);
    } finally {
      await gh.close();
    }
    assert.equal(apiBaseFor('github.com', undefined), 'https://api.github.com');
    assert.equal(apiBaseFor('ghe.corp', undefined), 'https://ghe.corp/api/v3');
    assert.equal(apiBaseFor('ghe.corp', 'https://x/api'), 'https://x/api');
  });
});
