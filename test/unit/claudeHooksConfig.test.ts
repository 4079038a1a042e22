// Connect/disconnect of Claude Code's settings file: Dejafix's hooks go in next to whatever is
// there, and come out exactly, for settings files of many shapes.
import * as assert from 'node:assert/strict';
import { execSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers/cli';
import { useTempDir } from '../helpers/tmp';
import {
  CLAUDE_HOOK_EVENTS,
  connectClaudeHooks,
  disconnectClaudeHooks,
  isDejafixHookCommand,
} from '../../src/core/agent/claudeHooksConfig';

const CMD = '"/usr/bin/node" "/opt/dejafix/dist/cli.js" hook claude-code';

const shapes: [string, string | undefined][] = [
  ['no file', undefined],
  ['an empty file', ''],
  ['settings without hooks', JSON.stringify({ model: 'opus', permissions: { allow: ['Bash(npm test:*)'] } }, null, 2)],
  [
    'another PostToolUse hook on Bash',
    JSON.stringify({ hooks: { PostToolUse: [{ matcher: 'Bash', hooks: [{ type: 'command', command: './log.sh' }] }] } }),
  ],
  [
    'other hooks on several events',
    JSON.stringify({
      env: { A: '1' },
      hooks: {
        PreToolUse: [{ matcher: 'Write', hooks: [{ type: 'command', command: 'lint' }] }],
        Stop: [{ hooks: [{ type: 'command', command: 'notify-send done' }] }],
        SessionEnd: [{ matcher: '*', hooks: [{ type: 'command', command: 'backup' }] }],
      },
    }),
  ],
  [
    'a group shared with another command',
    JSON.stringify({
      hooks: {
        UserPromptSubmit: [
          {
            hooks: [
              { type: 'command', command: 'echo hi' },
              { type: 'command', command: 'other' },
            ],
          },
        ],
      },
    }),
  ],
  [
    'unicode and odd keys',
    JSON.stringify({ ключ: 'значение', hooks: { Notification: [{ matcher: '', hooks: [{ type: 'command', command: 'say "ok" ✓' }] }] } }),
  ],
];

describe('Claude Code settings: connect and disconnect', () => {
  for (const [what, text] of shapes) {
    it(`${what}: connect adds every hook once, keeps the rest; disconnect restores the original`, () => {
      const before = text ? JSON.parse(text) : {};
      const c = connectClaudeHooks(text, CMD);
      assert.equal(c.changed, true);
      const after = JSON.parse(c.text);
      for (const [event, matcher] of CLAUDE_HOOK_EVENTS) {
        const ours = (after.hooks[event] as { matcher?: string; hooks: { command: string }[] }[]).filter((g) =>
          g.hooks.some((h) => isDejafixHookCommand(h.command)),
        );
        assert.equal(ours.length, 1, `${event} once`);
        assert.equal(ours[0].matcher, matcher);
      }
      for (const [k, v] of Object.entries(before)) if (k !== 'hooks') assert.deepEqual(after[k], v);
      for (const [event, groups] of Object.entries((before.hooks ?? {}) as Record<string, unknown[]>)) {
        for (const g of groups)
          assert.ok(
            (after.hooks[event] as unknown[]).some((x) => JSON.stringify(x) === JSON.stringify(g)),
            `${event} keeps its hooks`,
          );
      }
      assert.equal(connectClaudeHooks(c.text, CMD).changed, false, 'connecting twice changes nothing');
      const d = disconnectClaudeHooks(c.text);
      assert.equal(d.changed, true);
      assert.deepEqual(JSON.parse(d.text), before);
      assert.equal(disconnectClaudeHooks(d.text).changed, false);
    });
  }

  for (const [what, text] of [
    ['not JSON', '{"hooks": '],
    ['an array', '[]'],
    ['hooks as a list', '{"hooks": []}'],
    ['an event as an object', '{"hooks": {"Stop": {}}}'],
  ] as const) {
    it(`refuses ${what} with a clear error instead of overwriting it`, () => {
      assert.throws(() => connectClaudeHooks(text, CMD, '.claude/settings.json'), /fix it first/);
    });
  }
});

describe('dejafix connect claude-code (the CLI, on a real settings file)', function () {
  this.timeout(60_000);
  const tmp = useTempDir();

  it('points Claude Code at the small hook bundle, whose command runs as written; disconnect restores the file', async () => {
    const folder = join(tmp.path, 'proj');
    mkdirSync(join(folder, '.claude'), { recursive: true });
    const original = `${JSON.stringify({ model: 'opus', hooks: { PostToolUse: [{ matcher: 'Bash', hooks: [{ type: 'command', command: './log.sh' }] }] } }, null, 2)}\n`;
    const file = join(folder, '.claude', 'settings.json');
    writeFileSync(file, original);
    const preview = await runCli(['connect', 'claude-code', '--folder', folder, '--store', join(tmp.path, 'store')]);
    assert.equal(preview.code, 0, preview.stderr);
    assert.equal(readFileSync(file, 'utf8'), original, 'a preview writes nothing');
    assert.match(preview.stdout, /hook\.js\\?" claude-code/);
    assert.equal((await runCli(['connect', 'claude-code', '--folder', folder, '--store', join(tmp.path, 'store'), '--yes'])).code, 0);
    const settings = JSON.parse(readFileSync(file, 'utf8'));
    const post = settings.hooks.PostToolUse as { matcher: string; hooks: { command: string }[] }[];
    const ours = post.find((g) => g.hooks.some((h) => isDejafixHookCommand(h.command)))!;
    assert.match(ours.matcher, /mcp__\.\*__dejafix_record_/, 'also sees the MCP recording tools');
    const command = ours.hooks[0].command;
    assert.match(command, /dist\/hook\.js" claude-code --store /);
    assert.match(command, /^sh ".*dist\/hook\.sh" ".*" ".*dist\/hook\.js" claude-code/, 'the sh fast path, Node behind it');
    // The command as Claude Code runs it (through a shell), with a real event: exit 0, a journal entry.
    execSync(command, {
      input: JSON.stringify({ session_id: 'c1', cwd: folder, hook_event_name: 'UserPromptSubmit', prompt: 'fix the build' }),
      env: { ...process.env, DEJAFIX_HOOK_DIR: join(tmp.path, 'journal') },
    });
    assert.match(execSync(`cat ${JSON.stringify(join(tmp.path, 'journal'))}/*.jsonl`).toString(), /"t":"open".*fix the build/);
    assert.equal(
      (await runCli(['connect', 'claude-code', '--folder', folder, '--store', join(tmp.path, 'store'), '--yes'])).stderr.includes(
        'nothing to change',
      ),
      true,
      'idempotent',
    );
    assert.equal((await runCli(['disconnect', 'claude-code', '--folder', folder, '--yes'])).code, 0);
    assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), JSON.parse(original));
  });
});
