// The shared agent tools with the store-backed sessions the MCP server uses, in process: git diffs
// of the agent's folder, repository ids from folders, session lookup, empty sessions, callers.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AgentToolError, AgentTools, OpenSessions, StoreSessions, agentSource, diffOfFiles, outputWithNote } from '../../src/core/agent';
import { ExperienceStore } from '../../src/core/store/store';
import { useTempDir } from '../helpers/tmp';

function git(cwd: string, ...args: string[]): void {
  execFileSync('git', args, {
    cwd,
    stdio: 'ignore',
    env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' },
  });
}

describe('agent tools over store sessions (what the MCP server runs)', function () {
  this.timeout(60_000);
  const tmp = useTempDir();
  let store: ExperienceStore;
  let project: string;
  let tools: AgentTools;

  beforeEach(async () => {
    store = await ExperienceStore.open(join(tmp.path, 'store'));
    project = join(tmp.path, 'proj');
    mkdirSync(join(project, 'app'), { recursive: true });
    writeFileSync(join(project, 'app', 'a.py'), 'a = 1\n');
    writeFileSync(join(project, 'app', 'b.py'), 'b = 1\n');
    git(project, 'init', '-q');
    git(project, 'remote', 'add', 'origin', 'git@github.com:acme/widgets.git');
    git(project, 'add', '.');
    git(project, 'commit', '-qm', 'base');
    tools = new AgentTools({ store: async () => store, sessions: new StoreSessions(store, { folder: project }), folder: project });
  });
  afterEach(() => store.close());

  it("records the git diff of the agent's folder, narrowed to `files`, under the folder's repository", async () => {
    writeFileSync(join(project, 'app', 'a.py'), 'a = 2\n');
    writeFileSync(join(project, 'app', 'b.py'), 'b = 2\n');
    const r = await tools.run(
      'dejafix_record_attempt',
      { issue: { title: 'Widget count wrong' }, repo: project, command: 'pytest', exitCode: 1, files: ['app/a.py'] },
      { announced: 'Claude Code' },
    );
    const s = await tools.run('dejafix_record_outcome', { outcome: 'failed', session: r.data.sessionId }, { announced: 'Claude Code' });
    const ep = (await store.getEpisode(String(s.data.episodeId)))!;
    assert.equal(ep.repo, 'github.com/acme/widgets');
    assert.equal(ep.source, 'agent:claude-code');
    assert.match(ep.attempts[0].patch, /app\/a\.py/);
    assert.doesNotMatch(ep.attempts[0].patch, /app\/b\.py/);
    assert.deepEqual(ep.files, ['app/a.py']);
  });

  it('keeps concurrent attempts of one session, and asks which session when the caller has several', async () => {
    const first = await tools.run('dejafix_record_attempt', { issue: { title: 'One' }, command: 'pytest', exitCode: 1, patch: '' });
    const session = String(first.data.sessionId);
    await Promise.all(
      [1, 2, 3, 4].map((i) => tools.run('dejafix_record_attempt', { session, command: `pytest -k t${i}`, exitCode: 1, patch: '' })),
    );
    await tools.run('dejafix_record_attempt', { issue: { title: 'Two' }, command: 'pytest', exitCode: 1, patch: '' });
    await assert.rejects(
      tools.run('dejafix_record_outcome', { outcome: 'failed' }),
      (e: Error) => e instanceof AgentToolError && /2 open sessions.*pass `session`/.test(e.message),
    );
    const done = await tools.run('dejafix_record_outcome', { outcome: 'failed', session });
    assert.equal(done.data.attempts, 5);
  });

  it('refuses to save an empty session as resolved, and closes an empty abandoned one without saving', async () => {
    // A session whose first attempt never landed (its client died between the two writes).
    const now = new Date().toISOString();
    await new OpenSessions(store).create({
      id: 's-empty',
      repo: 'r',
      issue: { title: 'Empty', body: '' },
      startedAt: now,
      source: 'agent:a',
      agent: 'agent:a',
      updatedAt: now,
    });
    await assert.rejects(
      tools.run('dejafix_record_outcome', { outcome: 'resolved', session: 's-empty' }),
      /no attempts and no final patch.*dejafix_record_attempt first/,
    );
    const closed = await tools.run('dejafix_record_outcome', { outcome: 'abandoned' }, { announced: 'a' });
    assert.match(closed.text, /Closed session s-empty without saving/);
    assert.equal(closed.data.saved, false);
    await assert.rejects(tools.run('dejafix_record_outcome', { outcome: 'resolved', session: 's-empty' }), /No open session "s-empty"/);
    await assert.rejects(
      tools.run('dejafix_record_outcome', { outcome: 'resolved' }, { announced: 'someone-else' }),
      /No repair session is open for you/,
    );
    assert.equal(await store.count('episodes'), 0, 'nothing saved');
  });

  it('saves a lesson once as a proposed insight of the repository, however often it is sent', async () => {
    for (const title of ['L1', 'L2']) {
      const a = await tools.run('dejafix_record_attempt', {
        issue: { title },
        repo: 'https://github.com/Acme/Widgets.git',
        command: 'pytest',
        exitCode: 0,
        patch: '',
      });
      await tools.run('dejafix_record_outcome', {
        outcome: 'resolved',
        session: a.data.sessionId,
        lesson: 'Widgets counted twice when the cache is warm; clear it in setUp.',
        lessonRole: 'reproduce',
      });
    }
    const all = await store.insights();
    assert.equal(all.length, 1);
    assert.equal(all[0].status, 'proposed');
    assert.equal(all[0].role, 'reproduce');
    assert.equal(all[0].scope, 'github.com/Acme/Widgets');
  });

  it('names callers agent:<name>, cleaned, preferring the name the agent gives', () => {
    assert.equal(agentSource(undefined, 'Claude Code'), 'agent:claude-code');
    assert.equal(agentSource('Codex', 'mcp-client'), 'agent:codex');
    assert.equal(agentSource('  ', undefined), 'agent:unknown');
    assert.equal(agentSource('agent:../../etc\u0000<x>', undefined), 'agent:..-..-etc-x');
    assert.equal(agentSource('x'.repeat(500), undefined).length, 'agent:'.length + 60);
  });

  it('keeps the note whole and the tail of long output; narrows diffs by file', async () => {
    const out = await outputWithNote('x'.repeat(20_000) + 'FAILED test_a', 'tried a cache reset');
    assert.ok(out.startsWith('note: tried a cache reset\n[… '));
    assert.ok(out.endsWith('FAILED test_a'));
    assert.ok(out.length <= 8_000 + 40);
    const diff = 'diff --git a/x.py b/x.py\n+1\ndiff --git a/y.py b/y.py\n+2\n';
    assert.equal(diffOfFiles(diff, ['./y.py']), 'diff --git a/y.py b/y.py\n+2\n');
    assert.equal(diffOfFiles(diff, ['z.py']), '');
  });
});
