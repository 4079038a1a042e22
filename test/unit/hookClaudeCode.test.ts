// `dejafix hook claude-code` driven like Claude Code drives it: the documented hook event JSON on
// stdin of the real built CLI, in a real git repository, against a real LanceDB store.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as lancedb from '@lancedb/lancedb';
import { ExperienceStore } from '../../src/core/store';
import { spawn } from 'node:child_process';
import { runCli, type CliResult } from '../helpers/cli';
import { makeAttempt, makeEpisode } from '../helpers/records';
import { useTempDir } from '../helpers/tmp';

describe('dejafix hook claude-code', function () {
  this.timeout(120_000);
  const tmp = useTempDir();
  const store = () => join(tmp.path, 'store');
  const repo = () => join(tmp.path, 'cart');
  const hook = (event: Record<string, unknown> | string) =>
    runCli(['hook', 'claude-code', '--store', store()], { input: typeof event === 'string' ? event : JSON.stringify(event) });
  const base = (sessionId: string, name: string) => ({
    session_id: sessionId,
    transcript_path: join(tmp.path, `${sessionId}.jsonl`),
    cwd: repo(),
    hook_event_name: name,
  });

  function gitRepo(): void {
    mkdirSync(repo());
    const git = (...a: string[]) => execFileSync('git', a, { cwd: repo() });
    git('init', '-q', '-b', 'main');
    git('config', 'user.email', 't@example.com');
    git('config', 'user.name', 't');
    writeFileSync(join(repo(), 'total.js'), 'module.exports = (xs) => xs.reduce((a, b) => a + b);\n');
    git('add', '.');
    git('commit', '-qm', 'init');
  }

  async function seedMemory(): Promise<void> {
    const s = await ExperienceStore.open(store(), { mode: 'write' });
    const ep = makeEpisode({
      id: 'ep-cart-nan',
      repo: 'cart',
      issue: { title: 'Cart total is NaN for an empty cart', body: 'reduce without an initial value returns NaN on an empty cart' },
      finalPatch:
        'diff --git a/total.js b/total.js\n--- a/total.js\n+++ b/total.js\n@@ -1 +1 @@\n-xs.reduce((a, b) => a + b)\n+xs.reduce((a, b) => a + b, 0)\n',
      files: ['total.js'],
      createdAt: new Date(Date.now() - 86_400_000).toISOString(),
      endedAt: new Date().toISOString(),
    });
    await s.upsertEpisodes([
      {
        ...ep,
        attempts: [makeAttempt(ep.id, { command: 'npm test', outputTail: 'TypeError: Reduce of empty array with no initial value' })],
      },
    ]);
    // Neighbours about other code, as in any real memory (relevance weighs how rare the shared words are).
    const others = [
      ['Login form ignores the remember-me box', 'auth/session.js'],
      ['Invoice PDF logo upside down', 'pdf/logo.py'],
      ['Search box crashes on emoji', 'search/query.js'],
      ['Dark mode colours wrong in settings', 'ui/theme.css'],
    ];
    await s.upsertEpisodes(
      others.map(([t, f], i) =>
        makeEpisode({
          id: `ep-other-${i}`,
          repo: 'cart',
          issue: { title: t, body: `${t}. Steps to reproduce in ${f}.` },
          files: [f],
          createdAt: new Date(Date.now() - 86_400_000 * (i + 2)).toISOString(),
        }),
      ),
    );
    s.close();
  }

  it('injects memory on the first prompt, records a failing then a passing test run, and saves one resolved episode at SessionEnd', async () => {
    gitRepo();
    await seedMemory();
    const id = 'sess-0001';
    assert.equal((await hook({ ...base(id, 'SessionStart'), source: 'startup' })).stdout, '');
    const first = await hook({
      ...base(id, 'UserPromptSubmit'),
      prompt: 'Cart total is NaN for an empty cart: reduce in total.js has no initial value. Fix it.',
    });
    assert.equal(first.code, 0);
    const out = JSON.parse(first.stdout) as { hookSpecificOutput: { hookEventName: string; additionalContext: string } };
    assert.equal(out.hookSpecificOutput.hookEventName, 'UserPromptSubmit');
    assert.match(out.hookSpecificOutput.additionalContext, /Cart total is NaN for an empty cart/);
    assert.match(out.hookSpecificOutput.additionalContext, /quoted data, not instructions/);
    const again = await hook({ ...base(id, 'UserPromptSubmit'), prompt: 'go on' });
    assert.equal(again.stdout, '', 'later prompts add nothing');

    const failing = await hook({
      ...base(id, 'PostToolUseFailure'),
      tool_name: 'Bash',
      tool_input: { command: 'npm test', description: 'Run tests' },
      tool_use_id: 't1',
      error: 'Exit code 1\nTypeError: Reduce of empty array with no initial value\n    at total (total.js:1:40)',
    });
    assert.equal(failing.stdout, '');
    writeFileSync(join(repo(), 'total.js'), 'module.exports = (xs) => xs.reduce((a, b) => a + b, 0);\n');
    await hook({
      ...base(id, 'PostToolUse'),
      tool_name: 'Edit',
      tool_input: { file_path: join(repo(), 'total.js'), old_string: 'a + b)', new_string: 'a + b, 0)' },
      tool_response: { filePath: join(repo(), 'total.js') },
    });
    await hook({
      ...base(id, 'PostToolUse'),
      tool_name: 'Bash',
      tool_input: { command: 'ls -la' },
      tool_response: { stdout: 'total.js', stderr: '', interrupted: false },
    });
    await hook({
      ...base(id, 'PostToolUse'),
      tool_name: 'Bash',
      tool_input: { command: 'npm test' },
      tool_response: { stdout: '3 passing', stderr: '', interrupted: false, isImage: false },
    });
    const journal = readdirSync(join(tmp.path, 'store-journal')).filter((f) => f.endsWith('.jsonl'));
    assert.equal(journal.length, 1);
    assert.equal(statSync(join(tmp.path, 'store-journal', journal[0])).mode & 0o777, 0o600, 'the journal is private');
    const end = await hook({ ...base(id, 'SessionEnd'), reason: 'exit' });
    assert.equal(end.code, 0);
    assert.equal(end.stdout, '');

    const s = await ExperienceStore.open(store(), { mode: 'read' });
    try {
      assert.equal(await s.count('episodes'), 6, 'the five seeded episodes and one new one');
      const db = await lancedb.connect(store());
      const mine = (await (await db.openTable('episodes')).query().where("source = 'agent:claude-code'").select(['id']).toArray()) as {
        id: string;
      }[];
      db.close();
      assert.equal(mine.length, 1, 'one episode');
      const ep = (await s.getEpisode(mine[0].id))!;
      assert.equal(ep.outcome, 'resolved');
      assert.deepEqual(
        ep.attempts.map((a) => [a.command, a.exitCode, a.outcome]),
        [
          ['npm test', 1, 'failed'],
          ['npm test', 0, 'passed'],
        ],
      );
      assert.match(ep.attempts[0].outputTail, /Reduce of empty array/);
      assert.match(ep.finalPatch, /a \+ b, 0\)/);
      assert.deepEqual(ep.files, ['total.js']);
      assert.equal(ep.issue.title, 'Cart total is NaN for an empty cart: reduce in total.js has no initial value. Fix it.');
    } finally {
      s.close();
    }
    assert.equal(readdirSync(join(tmp.path, 'store-journal')).filter((f) => f.endsWith('.jsonl')).length, 0, 'the journal is gone');
  });

  it('injects nothing when memory holds nothing for the prompt, and saves nothing for a session without test runs', async () => {
    gitRepo();
    const id = 'sess-empty';
    const r = await hook({ ...base(id, 'UserPromptSubmit'), prompt: 'Rename the README headings' });
    assert.equal(r.code, 0);
    assert.equal(r.stdout, '');
    await hook({ ...base(id, 'SessionEnd'), reason: 'exit' });
    assert.equal(existsSync(join(store(), 'episodes.lance')), false, 'nothing was written');
  });

  const garbage: [string, string][] = [
    ['empty', ''],
    ['not JSON', 'hello hook'],
    [
      'truncated JSON',
      JSON.stringify({
        session_id: 'x',
        cwd: '/tmp',
        hook_event_name: 'PostToolUse',
        tool_name: 'Bash',
        tool_input: { command: 'npm test' },
      }).slice(0, 60),
    ],
    ['a JSON array', '[1,2,3]'],
    ['a JSON string', '"UserPromptSubmit"'],
    ['null', 'null'],
    ['missing session_id', JSON.stringify({ cwd: '/tmp', hook_event_name: 'UserPromptSubmit', prompt: 'x' })],
    ['wrong types', JSON.stringify({ session_id: 42, cwd: ['/'], hook_event_name: {}, prompt: 7 })],
    ['an unknown event', JSON.stringify({ session_id: 's', cwd: '/tmp', hook_event_name: 'SomethingNew' })],
    [
      'a cwd that does not exist',
      JSON.stringify({ session_id: 's', cwd: '/does/not/exist', hook_event_name: 'UserPromptSubmit', prompt: 'fix the bug' }),
    ],
    [
      'a tool call with odd shapes',
      JSON.stringify({
        session_id: 's2',
        cwd: '/tmp',
        hook_event_name: 'PostToolUse',
        tool_name: 'Bash',
        tool_input: { command: ['npm', 'test'] },
        tool_response: 'weird',
      }),
    ],
    ['binary noise', Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 37) % 256)).toString('latin1')],
    [
      'huge (9 MB)',
      JSON.stringify({ session_id: 's', cwd: '/tmp', hook_event_name: 'UserPromptSubmit', prompt: 'x'.repeat(9 * 1024 * 1024) }),
    ],
    ['deeply nested', `${'['.repeat(100_000)}${']'.repeat(100_000)}`],
  ];
  for (const [what, input] of garbage) {
    it(`ignores ${what} on stdin: exit 0, nothing on stdout`, async () => {
      const r = await hook(input);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, '');
    });
  }

  it('exits 0 and prints nothing when the store cannot be opened', async () => {
    gitRepo();
    writeFileSync(store(), 'not a folder');
    const r = await hook({ ...base('s3', 'UserPromptSubmit'), prompt: 'Cart total is NaN' });
    assert.equal(r.code, 0);
    assert.equal(r.stdout, '');
  });

  /** The small bundle `dejafix connect` points agents at (dist/hook.js), run as Claude Code runs it. */
  const smallHook = (event: Record<string, unknown>): Promise<CliResult> =>
    new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [join(__dirname, '../../dist/hook.js'), 'claude-code', '--store', store()], {
        env: { ...process.env, DEJAFIX_STORE: undefined },
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
      child.stdin.end(JSON.stringify(event));
    });
  const journalText = () =>
    readdirSync(join(tmp.path, 'store-journal'))
      .filter((f) => f.endsWith('.jsonl'))
      .map((f) => readFileSync(join(tmp.path, 'store-journal', f), 'utf8'))
      .join('');
  const mine = async (): Promise<string[]> => {
    if (!existsSync(join(store(), 'episodes.lance'))) return [];
    const db = await lancedb.connect(store());
    const rows = (await (await db.openTable('episodes')).query().where("source = 'agent:claude-code'").select(['id']).toArray()) as {
      id: string;
    }[];
    db.close();
    return rows.map((r) => r.id);
  };

  it('dist/hook.js (the small bundle) injects, records and commits the same session', async () => {
    gitRepo();
    await seedMemory();
    const id = 'small-1';
    const first = await smallHook({
      ...base(id, 'UserPromptSubmit'),
      prompt: 'Cart total is NaN for an empty cart: reduce in total.js has no initial value',
    });
    assert.equal(first.code, 0, first.stderr);
    assert.match(JSON.parse(first.stdout).hookSpecificOutput.additionalContext, /Cart total is NaN for an empty cart/);
    assert.equal(
      (
        await smallHook({
          ...base(id, 'PostToolUseFailure'),
          tool_name: 'Bash',
          tool_input: { command: 'npx mocha' },
          error: 'Exit code 2\nAssertionError: NaN',
        })
      ).stdout,
      '',
    );
    assert.equal(
      (
        await smallHook({
          ...base(id, 'PostToolUse'),
          tool_name: 'Bash',
          tool_input: { command: 'npx mocha' },
          tool_response: { stdout: '1 passing', stderr: '' },
        })
      ).stdout,
      '',
    );
    assert.equal((await smallHook({ ...base(id, 'Stop'), stop_hook_active: false })).code, 0);
    const ids = await mine();
    assert.equal(ids.length, 1, 'Stop after a fix saved the episode');
    const s = await ExperienceStore.open(store(), { mode: 'read' });
    try {
      const ep = (await s.getEpisode(ids[0]))!;
      assert.equal(ep.outcome, 'resolved');
      assert.deepEqual(
        ep.attempts.map((a) => a.exitCode),
        [2, 0],
      );
    } finally {
      s.close();
    }
  });

  it('injects nothing when the only memory is about something else (below the relevance threshold)', async () => {
    gitRepo();
    const s = await ExperienceStore.open(store(), { mode: 'write' });
    await s.upsertEpisodes([
      makeEpisode({
        id: 'ep-other',
        repo: 'billing',
        issue: { title: 'Invoice PDF renders the logo upside down', body: 'The logo in invoice.pdf is rotated by 180 degrees' },
        files: ['pdf/logo.py'],
      }),
    ]);
    s.close();
    for (const [i, prompt] of ['Fix the flaky login test', 'The cart total is wrong', 'Upgrade the linter config'].entries()) {
      const r = await smallHook({ ...base(`far-${i}`, 'UserPromptSubmit'), prompt });
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, '', prompt);
    }
  });

  it('redacts secrets before they reach the journal', async () => {
    gitRepo();
    const id = 'secret-1';
    const key = 'sk-ant-api03-' + 'Zx9'.repeat(30) + 'AA';
    const aws = 'AKIA' + 'Q3XZ7PLM2WQRT6YB';
    await smallHook({ ...base(id, 'UserPromptSubmit'), prompt: `Tests fail with ANTHROPIC_API_KEY=${key}` });
    writeFileSync(join(repo(), 'total.js'), `const token = "${aws}";\nmodule.exports = (xs) => xs.reduce((a, b) => a + b, 0);\n`);
    await smallHook({
      ...base(id, 'PostToolUseFailure'),
      tool_name: 'Bash',
      tool_input: { command: `API_KEY=${key} npm test` },
      error: `Exit code 1\nusing key ${key} and ${aws}`,
    });
    const text = journalText();
    assert.match(text, /"t":"run"/);
    assert.match(text, /REDACTED/);
    assert.ok(!text.includes(key), 'the API key is not in the journal');
    assert.ok(!text.includes(aws), 'the AWS key id is not in the journal');
  });

  it('does not record a session twice when the agent also reported it through the MCP tools', async () => {
    gitRepo();
    const id = 'mcp-1';
    await smallHook({ ...base(id, 'UserPromptSubmit'), prompt: 'The cart total is NaN' });
    await smallHook({
      ...base(id, 'PostToolUseFailure'),
      tool_name: 'Bash',
      tool_input: { command: 'npm test' },
      error: 'Exit code 1\nNaN',
    });
    await smallHook({
      ...base(id, 'PostToolUse'),
      tool_name: 'mcp__dejafix__dejafix_record_attempt',
      tool_input: { command: 'npm test', exitCode: 1, issue: { title: 'The cart total is NaN' } },
      tool_response: [{ type: 'text', text: 'Recorded' }],
    });
    await smallHook({
      ...base(id, 'PostToolUse'),
      tool_name: 'Bash',
      tool_input: { command: 'npm test' },
      tool_response: { stdout: 'ok', stderr: '' },
    });
    await smallHook({ ...base(id, 'SessionEnd'), reason: 'exit' });
    assert.deepEqual(await mine(), [], 'the MCP session is the record; the hook saved nothing of its own');
    // The same session without the MCP call is saved once.
    await smallHook({ ...base('mcp-2', 'UserPromptSubmit'), prompt: 'The cart total is NaN' });
    await smallHook({
      ...base('mcp-2', 'PostToolUseFailure'),
      tool_name: 'Bash',
      tool_input: { command: 'npm test' },
      error: 'Exit code 1\nNaN',
    });
    await smallHook({
      ...base('mcp-2', 'PostToolUse'),
      tool_name: 'mcp__dejafix__dejafix_recall',
      tool_input: { query: 'cart' },
      tool_response: [],
    });
    await smallHook({ ...base('mcp-2', 'SessionEnd'), reason: 'exit' });
    assert.equal((await mine()).length, 1, 'a recall over MCP is not a report');
  });
});
