// The hook command `dejafix connect` writes (the sh fast path, or the Node command on Windows), how
// connecting again replaces an older Dejafix command in place (and nothing else), and the socket
// name Node and dist/hook.sh must agree on (POSIX cksum, checked against the real `cksum`).
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { connectClaudeHooks, disconnectClaudeHooks, isDejafixHookCommand } from '../../src/core/agent/claudeHooksConfig';
import { hookCommand, shQuote } from '../../src/core/agent/hookCommand';
import { posixCksum } from '../../src/cli/hook/cksum';

const OLD = '"/usr/bin/node" "/opt/dejafix/dist/hook.js" claude-code --store "/home/u/store"';
const NEW = hookCommand(
  { node: '/usr/bin/node', script: '/opt/dejafix/dist/hook.js', sh: '/opt/dejafix/dist/hook.sh' },
  'claude-code --store "/home/u/store"',
  'linux',
);

describe('the hook command and its socket name', () => {
  it('is the sh fast path on POSIX, with the Node command as its tail; the Node command alone on Windows or without hook.sh', () => {
    assert.equal(NEW, `sh "/opt/dejafix/dist/hook.sh" ${OLD}`);
    const win = hookCommand({ node: 'C:\\node\\node.exe', script: 'C:\\d\\hook.js', sh: 'C:\\d\\hook.sh' }, 'claude-code', 'win32');
    assert.equal(win, '"C:\\\\node\\\\node.exe" "C:\\\\d\\\\hook.js" claude-code');
    assert.equal(hookCommand({ node: 'node', script: '/x/hook.js' }, 'codex', 'darwin'), '"node" "/x/hook.js" codex');
    for (const c of [NEW, OLD, win, `sh '/a b/$HOME/hook.sh' 'node' '/a b/$x/hook.js' codex`]) assert.ok(isDejafixHookCommand(c), c);
    assert.ok(!isDejafixHookCommand('sh ./my-hook.sh claude-codes'));
  });

  it('quotes paths for the shell: plain ones in double quotes, anything with $, `, \\ or quotes in single quotes', () => {
    for (const s of ['/plain/path-1.2/x', "/it's/here", '/a/$HOME/`id`/"q"\\b', '/ü/ñ', '', ' lead']) {
      const out = execFileSync('sh', ['-c', `printf '%s' ${shQuote(s)}`]).toString();
      assert.equal(out, s, `${s} → ${shQuote(s)}`);
    }
  });

  it('connecting again replaces an older Dejafix command in place, keeps other hooks, and disconnect still removes it', () => {
    const before = JSON.stringify({
      hooks: {
        PostToolUse: [
          { matcher: 'Bash', hooks: [{ type: 'command', command: './log.sh' }] },
          {
            matcher: 'Bash|Edit',
            hooks: [
              { type: 'command', command: OLD, timeout: 15 },
              { type: 'command', command: 'other' },
            ],
          },
        ],
        Stop: [{ hooks: [{ type: 'command', command: OLD, timeout: 60 }] }],
      },
    });
    const r = connectClaudeHooks(before, NEW);
    assert.ok(r.changed);
    const s = JSON.parse(r.text);
    assert.deepEqual(s.hooks.PostToolUse[0], { matcher: 'Bash', hooks: [{ type: 'command', command: './log.sh' }] });
    assert.deepEqual(s.hooks.PostToolUse[1].hooks, [
      { type: 'command', command: NEW, timeout: 15 },
      { type: 'command', command: 'other' },
    ]);
    assert.equal(s.hooks.PostToolUse.length, 2, 'replaced, not added');
    assert.equal(s.hooks.Stop[0].hooks[0].command, NEW);
    assert.ok(s.hooks.UserPromptSubmit[0].hooks[0].command === NEW, 'missing events are added');
    assert.equal(connectClaudeHooks(r.text, NEW).changed, false, 'idempotent');
    const d = JSON.parse(disconnectClaudeHooks(r.text).text);
    assert.deepEqual(d.hooks, {
      PostToolUse: [
        { matcher: 'Bash', hooks: [{ type: 'command', command: './log.sh' }] },
        { matcher: 'Bash|Edit', hooks: [{ type: 'command', command: 'other' }] },
      ],
    });
  });

  it('names the socket by the same CRC as POSIX cksum, for many texts', () => {
    const inputs: Buffer[] = ['', 'a', '/home/u/store\n/opt/dejafix/dist/hook.js', '\n/x/hook.js', 'é漢字🙂\n/p', 'x'.repeat(70_000)].map(
      (t) => Buffer.from(t),
    );
    for (let i = 0; i < 20; i++) inputs.push(randomBytes(1 + i * 37));
    for (const b of inputs) {
      const real = execFileSync('cksum', { input: b }).toString().split(' ')[0];
      assert.equal(String(posixCksum(b)), real, b.toString('hex').slice(0, 40));
    }
  });
});
