// `dejafix hook claude-code` driven like Claude Code drives it: the documented hook event JSON on
// stdin of the real built CLI, in a real git repository, against a real LanceDB store.
import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as lancedb from '@lancedb/lancedb';
import { ExperienceStore } from '../../src/core/store';
import { claudeHook } from '../helpers/claudeHook';
import { useTempDir } from '../helpers/tmp';

describe('dejafix hook claude-code', function () {
  this.timeout(120_000);
  const tmp = useTempDir();
  const { store, repo, hook, base, gitRepo, seedMemory, smallHook, mine } = claudeHook(tmp);

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
});
