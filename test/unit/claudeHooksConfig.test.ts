// Connect/disconnect of Claude Code's settings file: Dejafix's hooks go in next to whatever is
// there, and come out exactly, for settings files of many shapes.
import * as assert from 'node:assert/strict';
import { CLAUDE_HOOK_EVENTS, connectClaudeHooks, disconnectClaudeHooks, isDejafixHookCommand } from '../../src/core/agent/claudeHooksConfig';

const CMD = '"/usr/bin/node" "/opt/dejafix/dist/cli.js" hook claude-code';

const shapes: [string, string | undefined][] = [
  ['no file', undefined],
  ['an empty file', ''],
  ['settings without hooks', JSON.stringify({ model: 'opus', permissions: { allow: ['Bash(npm test:*)'] } }, null, 2)],
  ['another PostToolUse hook on Bash', JSON.stringify({ hooks: { PostToolUse: [{ matcher: 'Bash', hooks: [{ type: 'command', command: './log.sh' }] }] } })],
  ['other hooks on several events', JSON.stringify({ env: { A: '1' }, hooks: { PreToolUse: [{ matcher: 'Write', hooks: [{ type: 'command', command: 'lint' }] }], Stop: [{ hooks: [{ type: 'command', command: 'notify-send done' }] }], SessionEnd: [{ matcher: '*', hooks: [{ type: 'command', command: 'backup' }] }] } })],
  ['a group shared with another command', JSON.stringify({ hooks: { UserPromptSubmit: [{ hooks: [{ type: 'command', command: 'echo hi' }, { type: 'command', command: 'other' }] }] } })],
  ['unicode and odd keys', JSON.stringify({ 'ключ': 'значение', hooks: { Notification: [{ matcher: '', hooks: [{ type: 'command', command: 'say "ok" ✓' }] }] } })],
];

describe('Claude Code settings: connect and disconnect', () => {
  for (const [what, text] of shapes) {
    it(`${what}: connect adds every hook once, keeps the rest; disconnect restores the original`, () => {
      const before = text ? JSON.parse(text) : {};
      const c = connectClaudeHooks(text, CMD);
      assert.equal(c.changed, true);
      const after = JSON.parse(c.text);
      for (const [event, matcher] of CLAUDE_HOOK_EVENTS) {
        const ours = (after.hooks[event] as { matcher?: string; hooks: { command: string }[] }[]).filter((g) => g.hooks.some((h) => isDejafixHookCommand(h.command)));
        assert.equal(ours.length, 1, `${event} once`);
        assert.equal(ours[0].matcher, matcher);
      }
      for (const [k, v] of Object.entries(before)) if (k !== 'hooks') assert.deepEqual(after[k], v);
      for (const [event, groups] of Object.entries((before.hooks ?? {}) as Record<string, unknown[]>)) {
        for (const g of groups) assert.ok((after.hooks[event] as unknown[]).some((x) => JSON.stringify(x) === JSON.stringify(g)), `${event} keeps its hooks`);
      }
      assert.equal(connectClaudeHooks(c.text, CMD).changed, false, 'connecting twice changes nothing');
      const d = disconnectClaudeHooks(c.text);
      assert.equal(d.changed, true);
      assert.deepEqual(JSON.parse(d.text), before);
      assert.equal(disconnectClaudeHooks(d.text).changed, false);
    });
  }

  for (const [what, text] of [['not JSON', '{"hooks": '], ['an array', '[]'], ['hooks as a list', '{"hooks": []}'], ['an event as an object', '{"hooks": {"Stop": {}}}']] as const) {
    it(`refuses ${what} with a clear error instead of overwriting it`, () => {
      assert.throws(() => connectClaudeHooks(text, CMD, '.claude/settings.json'), /fix it first/);
    });
  }
});
