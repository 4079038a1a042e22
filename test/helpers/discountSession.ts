// The scripted Claude Code session the hook fast-path tests play (hookFastPath.test.ts): fixing a discount applied twice
// in a small git repository. Each step is the files the agent writes before it and the event's stdin (or raw, malformed
// stdin): a prompt, tool uses, a failing test run carrying secrets, a Stop, a malformed line, the fix, a passing run.
import { join } from 'node:path';

export type Ev = (session: string, name: string, more?: Record<string, unknown>) => string;

export function discountSession(sid: string, repo: string, ev: Ev): [Record<string, string>, string][] {
  const aws = ['AKIA', 'QWERTYUIOPASDFGH'].join('');
  const steps: [Record<string, string>, string][] = [
    [
      {},
      ev(sid, 'UserPromptSubmit', { prompt: 'Discount applied twice at checkout: the coupon is subtracted in price.js and checkout.js' }),
    ],
    [
      {},
      ev(sid, 'PostToolUse', { tool_name: 'Bash', tool_input: { command: 'ls -la' }, tool_response: { stdout: 'price.js', stderr: '' } }),
    ],
    [{}, ev(sid, 'PostToolUse', { tool_name: 'Read', tool_input: { file_path: join(repo, 'price.js') }, tool_response: {} })],
    [
      { 'checkout.js': "const price = require('./price');\nmodule.exports = (p, d) => price(p, d);\n" },
      ev(sid, 'PostToolUse', {
        tool_name: 'Edit',
        tool_input: { file_path: join(repo, 'checkout.js'), old_string: 'x', new_string: 'y' },
      }),
    ],
    [
      {},
      ev(sid, 'PostToolUseFailure', {
        tool_name: 'Bash',
        tool_input: { command: `AWS_ACCESS_KEY_ID=${aws} npm test` },
        error: `Exit code 1\nFAIL checkout.test.js\n  expected 90 but got 81\n  key ${aws} token ghp_${'a1B2'.repeat(9)}`,
      }),
    ],
    [{}, ev(sid, 'UserPromptSubmit', { prompt: 'still failing, look at price.js' })],
    [{}, ev(sid, 'Stop', { stop_hook_active: false })],
    [{}, '{"session_id":"x","cwd":'],
    [
      { 'price.js': 'module.exports = (p, d) => p - p * d; // once\n', 'test/discount.test.js': "test('once', () => {});\n" },
      ev(sid, 'PostToolUse', { tool_name: 'Write', tool_input: { file_path: join(repo, 'test/discount.test.js'), content: '…' } }),
    ],
    [{}, ev(sid, 'PostToolUse', { tool_name: 'MultiEdit', tool_input: { file_path: join(repo, 'price.js'), edits: [] } })],
    [
      {},
      ev(sid, 'PostToolUse', {
        tool_name: 'Bash',
        tool_input: { command: 'npm test' },
        tool_response: { stdout: 'PASS checkout.test.js\nPASS test/discount.test.js\n2 passed', stderr: '', interrupted: false },
      }),
    ],
    [{}, ev(sid, 'Notification', { message: 'Claude is waiting' })],
  ];
  return steps;
}
