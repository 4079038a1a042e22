// How the editor starts Dejafix for agents outside it: the MCP server and the agent hook, each
// through a launcher in the extension's global storage that survives extension updates.
import * as assert from 'node:assert/strict';
import { hookLauncherSource, launcherSource, serverArgs } from '../../src/vscode/agents/mcpServerCommand';

describe('agent launchers (Connect an Agent…)', () => {
  it("starts the server with the editor's store and embedding settings, through a launcher that survives updates", () => {
    assert.deepEqual(serverArgs('/l.js', { storeDir: '/s', embeddings: { provider: 'builtin' } }), ['/l.js', 'mcp', '--store', '/s']);
    assert.deepEqual(
      serverArgs('/l.js', { storeDir: '/s', embeddings: { provider: 'openai-compatible', url: 'http://127.0.0.1:1/v1', model: 'm' } }),
      ['/l.js', 'mcp', '--store', '/s', '--embedder', 'openai-compatible', '--embed-url', 'http://127.0.0.1:1/v1', '--embed-model', 'm'],
    );
    assert.match(
      launcherSource('/ext/dejafix-0.2.0/dist/cli.js'),
      /require\("\/ext\/dejafix-0\.2\.0\/dist\/cli\.js"\)\.run\(process\.argv\.slice\(2\)\)/,
    );
    assert.match(
      hookLauncherSource('/ext/dejafix-0.2.0/dist/hook.js'),
      /require\("\/ext\/dejafix-0\.2\.0\/dist\/hook\.js"\)\.main\(process\.argv\.slice\(2\)\)/,
    );
  });
});

describe('the hook launcher, run as an agent runs it', function () {
  this.timeout(60_000);
  it('handles an event through the installed hook.js (journal written), and ignores garbage with exit 0', async () => {
    const { mkdtempSync, writeFileSync, readdirSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { execSync } = await import('node:child_process');
    const dir = mkdtempSync(join(tmpdir(), 'dejafix-launcher-'));
    try {
      const launcher = join(dir, 'dejafix-hook.js');
      writeFileSync(launcher, hookLauncherSource(join(__dirname, '../../dist/hook.js')));
      const env = { ...process.env, DEJAFIX_HOOK_DIR: join(dir, 'journal'), DEJAFIX_HOOK_WARM: '0' };
      const run = (input: string) =>
        execSync(`node ${JSON.stringify(launcher)} claude-code --store ${JSON.stringify(join(dir, 'store'))}`, { input, env }).toString();
      assert.equal(run('{"not": "an event"'), '');
      assert.equal(
        run(JSON.stringify({ session_id: 'l1', cwd: dir, hook_event_name: 'UserPromptSubmit', prompt: 'fix the parser' })),
        '',
        'no store yet: nothing injected',
      );
      assert.equal(readdirSync(join(dir, 'journal')).filter((f) => f.endsWith('.jsonl')).length, 1, 'the session journal was opened');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
