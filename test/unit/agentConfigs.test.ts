// The MCP configs "Connect an Agent…" writes: the entry merged into each agent's file, every other
// entry and setting kept, and files it cannot merge safely refused with a reason.
import * as assert from 'node:assert/strict';
import { claudeAddCommand, ConfigMergeError, mergedConfig, snippet, targets, type AgentTarget } from '../../src/vscode/agents/agentConfigs';
import { launcherSource, serverArgs } from '../../src/vscode/agents/mcpServerCommand';

const server = { command: 'node', args: ['/home/u/.config/Code/User/globalStorage/dejafix.dejafix/dejafix-mcp.js', 'mcp', '--store', '/home/u/store "quoted"\\x'] };
const places = { home: '/home/u', folder: '/work/proj', globalStorage: '/home/u/.config/Code/User/globalStorage/dejafix.dejafix' };
const byId = (id: string): AgentTarget => targets(places).find((t) => t.id === id)!;

describe('agent configs (Connect an Agent…)', () => {
  it('knows where each agent reads its MCP servers', () => {
    assert.deepEqual(targets(places).map((t) => [t.id, t.file]), [
      ['claude-code', '/work/proj/.mcp.json'],
      ['cline', '/home/u/.config/Code/User/globalStorage/saoudrizwan.claude-dev/settings/cline_mcp_settings.json'],
      ['continue', '/work/proj/.continue/mcpServers/dejafix.json'],
      ['codex', '/home/u/.codex/config.toml'],
    ]);
    assert.deepEqual(targets({ ...places, folder: undefined, codexHome: '/opt/codex' }).map((t) => t.id), ['cline', 'codex']);
    assert.equal(targets({ ...places, codexHome: '/opt/codex' }).at(-1)!.file, '/opt/codex/config.toml');
  });

  it('adds the entry to a JSON config, keeping other servers and the user\'s own settings of ours', () => {
    const existing = JSON.stringify({ mcpServers: { other: { command: 'x' }, dejafix: { command: 'old', args: [], env: { A: '1' }, autoApprove: ['dejafix_recall'] } }, theme: 'dark' });
    const out = JSON.parse(mergedConfig(byId('cline'), existing, server));
    assert.deepEqual(out.mcpServers.other, { command: 'x' });
    assert.equal(out.theme, 'dark');
    assert.deepEqual(out.mcpServers.dejafix, { type: 'stdio', command: 'node', args: server.args, disabled: false, autoApprove: ['dejafix_recall'], env: { A: '1' } });
    const fresh = JSON.parse(mergedConfig(byId('claude-code'), undefined, server));
    assert.deepEqual(fresh, { mcpServers: { dejafix: { type: 'stdio', command: 'node', args: server.args } } });
    assert.deepEqual(JSON.parse(mergedConfig(byId('continue'), '  ', server)), fresh);
  });

  it('refuses JSON it cannot merge safely', () => {
    for (const bad of ['{ "mcpServers": { // comment\n } }', '[1,2]', '{"mcpServers": []}', 'null', '{"a":']) {
      assert.throws(() => mergedConfig(byId('claude-code'), bad, server), ConfigMergeError, bad);
    }
  });

  it('adds or replaces [mcp_servers.dejafix] in Codex\'s config.toml, leaving the rest alone', () => {
    const toml = 'model = "o4"\n\n[mcp_servers.other]\ncommand = "x"\n';
    const added = mergedConfig(byId('codex'), toml, server);
    assert.ok(added.startsWith(toml));
    assert.match(added, /\n\[mcp_servers\.dejafix\]\ncommand = "node"\nargs = \[".*dejafix-mcp\.js", "mcp", "--store", "\/home\/u\/store \\"quoted\\"\\\\x"\]\n$/);
    const existing = 'model = "o4"\n[mcp_servers.dejafix]\ncommand = "old"\nargs = ["a"]\nstartup_timeout_sec = 20\n\n[mcp_servers.dejafix.env]\nK = "v"\n\n[profiles.x]\nmodel = "y"\n';
    const replaced = mergedConfig(byId('codex'), existing, server);
    assert.equal(replaced.match(/\[mcp_servers\.dejafix\]/g)?.length, 1);
    assert.doesNotMatch(replaced, /command = "old"/);
    assert.match(replaced, /startup_timeout_sec = 20/);
    assert.match(replaced, /\[mcp_servers\.dejafix\.env\]\nK = "v"\n\n\[profiles\.x\]\nmodel = "y"\n$/);
    assert.equal(mergedConfig(byId('codex'), replaced, server), replaced, 'merging again changes nothing');
    assert.throws(() => mergedConfig(byId('codex'), '[mcp_servers.dejafix]\nargs = [\n "a",\n]\n', server), ConfigMergeError);
  });

  it('gives a snippet and a claude mcp add command, quoted for the shell', () => {
    assert.match(snippet(byId('codex'), server), /^\[mcp_servers\.dejafix\]\n/);
    assert.deepEqual(JSON.parse(snippet(byId('cline'), server)).mcpServers.dejafix.autoApprove, []);
    assert.equal(claudeAddCommand({ command: 'node', args: ['/a b/l.js', 'mcp', '--store', "/it's"] }), "claude mcp add --scope user dejafix -- node '/a b/l.js' mcp --store '/it'\\''s'");
  });

  it('starts the server with the editor\'s store and embedding settings, through a launcher that survives updates', () => {
    assert.deepEqual(serverArgs('/l.js', { storeDir: '/s', embeddings: { provider: 'builtin' } }), ['/l.js', 'mcp', '--store', '/s']);
    assert.deepEqual(serverArgs('/l.js', { storeDir: '/s', embeddings: { provider: 'openai-compatible', url: 'http://127.0.0.1:1/v1', model: 'm' } }), ['/l.js', 'mcp', '--store', '/s', '--embedder', 'openai-compatible', '--embed-url', 'http://127.0.0.1:1/v1', '--embed-model', 'm']);
    assert.match(launcherSource('/ext/dejafix-0.2.0/dist/cli.js'), /require\("\/ext\/dejafix-0\.2\.0\/dist\/cli\.js"\)\.run\(process\.argv\.slice\(2\)\)/);
  });
});
