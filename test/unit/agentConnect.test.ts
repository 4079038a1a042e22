// `dejafix connect <agent>` for every agent and scope: hooks, instructions and MCP entries merged
// into files that already hold other content (many fresh variants), taken out again exactly by
// disconnect; connecting twice changes nothing; malformed files stop the run with one clear line
// and nothing is written anywhere.
import * as assert from 'node:assert/strict';
import { execSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse as parseJsonc } from 'jsonc-parser';
import { parse as parseYaml } from 'yaml';
import {
  CONNECT_AGENTS,
  connectPlan,
  planChanges,
  writeChanges,
  type ConnectAgent,
  type FileEdit,
  type Scope,
} from '../../src/core/agent/connect';
import { isDejafixHookCommand } from '../../src/core/agent/claudeHooksConfig';
import { addBlock, removeBlock } from '../../src/core/agent/connect/markdownBlock';
import { addJsonServer, removeJsonServer } from '../../src/core/agent/connect/jsonMcp';
import { addCodexServer, removeCodexServer } from '../../src/core/agent/connect/codexToml';
import { addYamlItem, removeYamlItem } from '../../src/core/agent/connect/continueYaml';
import { ConfigMergeError } from '../../src/core/agent/connect/mergeError';
import { assertOneLine, runCli } from '../helpers/cli';
import { useTempDir } from '../helpers/tmp';

const server = { command: '/usr/bin/node', args: ['/opt/dejafix/dist/cli.js', 'mcp', '--store', '/home/u/store "q"'] };
const commands = { hook: (a: string) => `"/usr/bin/node" "/opt/dejafix/dist/hook.js" ${a}`, server };

/** A small deterministic generator, so each variant is fresh but reproducible. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}
const WORDS = ['alpha', 'Ünïcode', 'build', 'tests', 'lint', 'deploy', 'naïve', '测试', 'x-y_z', 'quote"d'];

/** Other content for the file at `path`, of the kind that file holds. */
function otherContent(path: string, seed: number): string {
  const r = rng(seed);
  const w = () => WORDS[Math.floor(r() * WORDS.length)];
  const name = `srv-${w().replace(/[^a-z]/gi, '') || 'a'}${seed}`;
  if (/settings\.json$|hooks\.json$/.test(path)) {
    return `${JSON.stringify({ model: w(), env: { [`K${seed}`]: w() }, hooks: { PostToolUse: [{ matcher: 'Bash', hooks: [{ type: 'command', command: `./log-${seed}.sh` }] }], Stop: [{ hooks: [{ type: 'command', command: `notify ${w()}` }] }] } }, null, seed % 2 ? 2 : 4)}\n`;
  }
  if (path.endsWith('.vscode/mcp.json'))
    return `{\n  // my servers (${w()})\n  "inputs": [],\n  "servers": {\n    "${name}": { "type": "stdio", "command": "npx", "args": ["${w()}"] },\n  }\n}\n`;
  if (path.endsWith('.json'))
    return `${JSON.stringify({ mcpServers: { [name]: { command: 'uvx', args: [w()], env: { TOKEN_NAME: w() } } }, other: seed }, null, 2)}\n`;
  if (/\.mdc?$/.test(path)) return `# Rules ${w()}\n\n- Prefer ${w()} over ${w()}.\n- Never push to main. ✓\n`;
  if (path.endsWith('.toml'))
    return `# codex config\nmodel = "${w()}"\n\n[mcp_servers.${name}]\ncommand = "npx"\nargs = ["-y", "${w()}"]\n\n[profiles.p${seed}]\nmodel = "o3"\n`;
  if (path.endsWith('.yaml'))
    return `# my Continue config (${w()})\nname: mine ${seed}\nversion: 1.0.${seed}\nschema: v1\nmodels:\n  - name: ${name}\n    provider: ollama # local\n    model: llama3\nmcpServers:\n  - name: ${name}\n    command: uvx\n    args: [${JSON.stringify(w())}]\n`;
  throw new Error(`no sample for ${path}`);
}

/** The file parsed, for comparing meaning where formatting may differ (JSON, YAML). */
function meaning(path: string, text: string): unknown {
  if (path.endsWith('.json')) return parseJsonc(text, [], { allowTrailingComma: true });
  if (path.endsWith('.yaml')) return parseYaml(text);
  return text;
}

const places = (root: string) => ({
  folder: join(root, 'proj'),
  home: join(root, 'home'),
  vscodeGlobalStorage: join(root, 'home', '.config', 'Code', 'User', 'globalStorage'),
});
const scopes = (agent: ConnectAgent): Scope[] => (agent === 'copilot' ? ['project'] : ['project', 'user']);

function seed(edits: FileEdit[], n: number): Map<string, string> {
  const seeded = new Map<string, string>();
  for (const [i, e] of edits.entries()) {
    const text = otherContent(e.path, n * 10 + i);
    mkdirSync(dirname(e.path), { recursive: true });
    writeFileSync(e.path, text);
    seeded.set(e.path, text);
  }
  return seeded;
}

describe('dejafix connect: every agent and scope (core plans on real files)', () => {
  const tmp = useTempDir();

  for (const agent of CONNECT_AGENTS) {
    for (const scope of scopes(agent)) {
      it(`${agent} --${scope}: on files with other content, connect adds Dejafix's part, twice is a no-op, disconnect restores every file`, async () => {
        for (let variant = 1; variant <= 4; variant++) {
          const root = join(tmp.path, `v${variant}`);
          const edits = connectPlan(agent, scope, places(root), commands);
          assert.ok(edits.length >= 1);
          const original = seed(edits, variant);
          const changes = await planChanges(edits, 'connect');
          assert.equal(changes.length, edits.length, 'every file changes');
          await writeChanges(changes);
          for (const e of edits) {
            const text = readFileSync(e.path, 'utf8');
            const before = original.get(e.path)!;
            if (/\.mdc?$|\.toml$/.test(e.path)) assert.ok(text.startsWith(before), `${e.path} keeps its text as it was`);
            if (e.path.endsWith('.json')) {
              const was = meaning(e.path, before) as Record<string, unknown>;
              const now = meaning(e.path, text) as Record<string, unknown>;
              for (const k of Object.keys(was).filter((k) => k !== 'hooks' && k !== 'mcpServers' && k !== 'servers'))
                assert.deepEqual(now[k], was[k], `${e.path} keeps ${k}`);
              if (before.includes('// my servers')) assert.match(text, /\/\/ my servers/, 'comments stay');
            }
            if (e.path.endsWith('.yaml')) assert.match(text, /# my Continue config/, 'YAML comments stay');
            assert.match(text, /dejafix/, `${e.path} names Dejafix`);
          }
          assert.deepEqual(await planChanges(edits, 'connect'), [], 'connecting twice changes nothing');
          const off = await planChanges(edits, 'disconnect');
          await writeChanges(off);
          for (const e of edits) {
            assert.ok(existsSync(e.path), `${e.path} stays (it had other content)`);
            const text = readFileSync(e.path, 'utf8');
            assert.deepEqual(meaning(e.path, text), meaning(e.path, original.get(e.path)!), `${e.path} is as before`);
            assert.doesNotMatch(text, /dejafix/i);
          }
          assert.deepEqual(await planChanges(edits, 'disconnect'), [], 'disconnecting twice changes nothing');
        }
      });

      it(`${agent} --${scope}: with no files, connect creates them and disconnect deletes them again`, async () => {
        const edits = connectPlan(agent, scope, places(tmp.path), commands);
        await writeChanges(await planChanges(edits, 'connect'));
        for (const e of edits) assert.ok(existsSync(e.path), e.path);
        await writeChanges(await planChanges(edits, 'disconnect'));
        for (const e of edits) assert.equal(existsSync(e.path), false, `${e.path} held only Dejafix's part: gone`);
      });
    }
  }

  it('hooks go where the agent has them (Claude Code, Codex); instructions where it has none', () => {
    const p = places('/r');
    const kinds = (a: ConnectAgent, s: Scope = 'project') => connectPlan(a, s, p, commands).map((e) => e.path.replace('/r/', ''));
    assert.deepEqual(kinds('claude-code'), ['proj/.claude/settings.json', 'proj/.mcp.json']);
    assert.deepEqual(kinds('codex'), ['proj/.codex/hooks.json', 'proj/.codex/config.toml']);
    assert.deepEqual(kinds('codex', 'user'), ['home/.codex/hooks.json', 'home/.codex/config.toml']);
    assert.deepEqual(kinds('cline'), [
      'proj/.clinerules/dejafix.md',
      'home/.config/Code/User/globalStorage/saoudrizwan.claude-dev/settings/cline_mcp_settings.json',
    ]);
    assert.deepEqual(kinds('continue'), ['proj/.continue/rules/dejafix.md', 'proj/.continue/mcpServers/dejafix.yaml']);
    assert.deepEqual(kinds('continue', 'user'), ['home/.continue/config.yaml']);
    assert.deepEqual(kinds('cursor'), ['proj/.cursor/rules/dejafix.mdc', 'proj/.cursor/mcp.json']);
    assert.deepEqual(kinds('copilot'), ['proj/.github/copilot-instructions.md', 'proj/.vscode/mcp.json']);
    assert.throws(() => connectPlan('copilot', 'user', p, commands), /--project/);
    const codexHooks = JSON.parse(connectPlan('codex', 'project', p, commands)[0].connect(undefined));
    assert.deepEqual(Object.keys(codexHooks.hooks), ['UserPromptSubmit', 'PostToolUse', 'Stop']);
    assert.ok(isDejafixHookCommand(codexHooks.hooks.Stop[0].hooks[0].command));
    const rule = connectPlan('cursor', 'project', p, commands)[0].connect(undefined);
    assert.match(rule, /^---\n[^]*alwaysApply: true\n---\n<!-- dejafix:start/);
    assert.match(rule, /dejafix_recall[^]*dejafix_record_attempt[^]*dejafix_record_outcome/);
  });
});

describe('connect merges refuse what they cannot change safely', () => {
  const bad: [string, (t: string) => unknown, string[]][] = [
    [
      'JSON MCP config',
      (t) => addJsonServer(t, 'mcpServers', { command: 'x' }, 'f.json'),
      ['{"mcpServers": ', '[1]', '{"mcpServers": []}', 'null', '{"mcpServers": {"a": 1}} trailing', '\u0000\u0001'],
    ],
    ['JSON MCP removal', (t) => removeJsonServer(t, 'mcpServers', 'f.json'), ['{"mcpServers": ', '"str"', '{"mcpServers": 5}']],
    [
      'Codex TOML',
      (t) => addCodexServer(t, server, 'config.toml'),
      [
        '[mcp_servers.dejafix]\nargs = [\n "a",\n]\n',
        'mcp_servers.dejafix.command = "x"\n',
        '[mcp_servers.dejafix]\ncommand="a"\n[mcp_servers.dejafix]\ncommand="b"\n',
      ],
    ],
    [
      'Continue YAML',
      (t) => addYamlItem(t, 'mcpServers', { name: 'dejafix', command: 'x' }, 'config.yaml'),
      ['mcpServers: {a: 1}\n', 'a: [1, 2\n', '- just\n- a list\n', 'key: "unterminated\n'],
    ],
    [
      'markdown block',
      (t) => addBlock(t, 'x', 'AGENTS.md'),
      [
        '<!-- dejafix:start -->\nonly a start\n',
        'text\n<!-- dejafix:end -->\n',
        '<!-- dejafix:start x -->\na\n<!-- dejafix:end -->\n<!-- dejafix:start y -->\nb\n<!-- dejafix:end -->\n',
      ],
    ],
  ];
  for (const [what, f, inputs] of bad) {
    it(`${what}: ${inputs.length} malformed files each give one clear line`, () => {
      for (const t of inputs) {
        assert.throws(
          () => f(t),
          (e: unknown) =>
            (e instanceof ConfigMergeError || (e as Error).name === 'SettingsFileError') &&
            !(e as Error).message.includes('\n') &&
            /fix|by hand/.test((e as Error).message),
          JSON.stringify(t),
        );
      }
    });
  }

  it("replaces only its own block, TOML table and list items, keeping the user's keys of them", () => {
    const md = addBlock('# A\n', 'one', 'f.md');
    assert.equal(
      addBlock(md, 'two', 'f.md'),
      '# A\n\n<!-- dejafix:start — added by `dejafix connect`; `dejafix disconnect` removes it -->\ntwo\n<!-- dejafix:end -->\n',
    );
    assert.equal(removeBlock(addBlock('# A\n', 'x', 'f.md'), 'f.md'), '# A\n');
    const toml = addCodexServer(
      '[mcp_servers.dejafix]\ncommand = "old"\nstartup_timeout_sec = 20\n\n[mcp_servers.dejafix.env]\nK = "v"\n\n[x]\ny = 1\n',
      server,
    );
    assert.match(toml, /startup_timeout_sec = 20/);
    assert.equal(removeCodexServer(toml), '[x]\ny = 1\n');
    const yaml = addYamlItem(
      'mcpServers:\n  - name: dejafix\n    command: old\n    env:\n      A: "1"\n',
      'mcpServers',
      { name: 'dejafix', command: 'new', args: [] },
      'c.yaml',
    );
    assert.deepEqual(parseYaml(yaml), { mcpServers: [{ name: 'dejafix', command: 'new', env: { A: '1' }, args: [] }] });
    assert.equal(removeYamlItem(yaml, 'mcpServers', 'c.yaml'), undefined, 'nothing left: the file goes');
    assert.deepEqual(parseYaml(removeYamlItem(`a: 1 # keep\n${yaml}`, 'mcpServers', 'c.yaml')!), { a: 1 });
    const json = addJsonServer(
      '{"mcpServers": {"dejafix": {"command": "old", "env": {"A": "1"}}}}',
      'mcpServers',
      { command: 'new', args: ['a'] },
      'f.json',
    );
    assert.deepEqual(JSON.parse(json).mcpServers.dejafix, { command: 'new', env: { A: '1' }, args: ['a'] });
  });
});

describe('dejafix connect / disconnect (the CLI on real files)', function () {
  this.timeout(120_000);
  const tmp = useTempDir();

  it('previews every agent without writing, writes with --yes, is idempotent, and disconnect restores the files', async () => {
    const folder = join(tmp.path, 'proj');
    const home = join(tmp.path, 'home');
    mkdirSync(join(folder, '.codex'), { recursive: true });
    const toml = 'model = "o4"\n\n[mcp_servers.other]\ncommand = "x"\n';
    writeFileSync(join(folder, '.codex', 'config.toml'), toml);
    const env = { HOME: home, CODEX_HOME: '' };
    for (const agent of CONNECT_AGENTS) {
      const preview = await runCli(['connect', agent, '--folder', folder], { env });
      assert.equal(preview.code, 0, preview.stderr);
      assert.match(preview.stdout, /^--- |^Index: /m, `${agent}: a unified diff`);
      assert.match(preview.stderr, /Preview only/);
    }
    assert.equal(readFileSync(join(folder, '.codex', 'config.toml'), 'utf8'), toml, 'previews write nothing');
    assert.equal(existsSync(join(folder, '.mcp.json')), false);
    for (const agent of CONNECT_AGENTS)
      assert.equal((await runCli(['connect', agent, '--folder', folder, '--yes'], { env })).code, 0, agent);
    const cfg = readFileSync(join(folder, '.codex', 'config.toml'), 'utf8');
    assert.ok(cfg.startsWith(toml));
    assert.match(cfg, /\[mcp_servers\.dejafix\]\ncommand = ".*node.*"\nargs = \[".*cli\.js", "mcp"\]/);
    const hooks = JSON.parse(readFileSync(join(folder, '.codex', 'hooks.json'), 'utf8'));
    assert.match(hooks.hooks.PostToolUse[0].hooks[0].command, /hook\.js" codex$/);
    assert.match(readFileSync(join(folder, '.github', 'copilot-instructions.md'), 'utf8'), /dejafix_recall/);
    assert.match((await runCli(['connect', 'cursor', '--folder', folder, '--yes'], { env })).stderr, /nothing to change/);
    for (const agent of CONNECT_AGENTS)
      assert.equal((await runCli(['disconnect', agent, '--folder', folder, '--yes'], { env })).code, 0, agent);
    assert.equal(readFileSync(join(folder, '.codex', 'config.toml'), 'utf8'), toml);
    for (const f of [
      '.mcp.json',
      '.claude/settings.json',
      '.codex/hooks.json',
      '.github/copilot-instructions.md',
      '.vscode/mcp.json',
      '.cursor/mcp.json',
      '.clinerules/dejafix.md',
      '.continue/mcpServers/dejafix.yaml',
    ])
      assert.equal(existsSync(join(folder, f)), false, f);
  });

  it('the Codex hook command it writes takes Codex events (same JSON as Claude Code): the prompt opens a journal, a Bash test run is recorded', async () => {
    const folder = join(tmp.path, 'proj');
    mkdirSync(folder, { recursive: true });
    const journal = join(tmp.path, 'journal');
    assert.equal(
      (
        await runCli(['connect', 'codex', '--folder', folder, '--store', join(tmp.path, 'store'), '--yes'], {
          env: { HOME: join(tmp.path, 'home') },
        })
      ).code,
      0,
    );
    const hooks = JSON.parse(readFileSync(join(folder, '.codex', 'hooks.json'), 'utf8'));
    const command: string = hooks.hooks.PostToolUse[0].hooks[0].command;
    const run = (event: object) =>
      execSync(command, {
        input: JSON.stringify({ session_id: 'cx-1', cwd: folder, transcript_path: null, model: 'gpt-5', ...event }),
        env: { ...process.env, DEJAFIX_HOOK_DIR: journal },
      }).toString();
    assert.equal(
      run({ hook_event_name: 'PostToolUse', tool_name: 'Bash', tool_input: { command: 'pytest -x' }, tool_response: 'no session yet' }),
      '',
      'nothing on stdout',
    );
    run({ hook_event_name: 'UserPromptSubmit', prompt: 'fix the flaky date parser' });
    run({
      hook_event_name: 'PostToolUse',
      tool_name: 'Bash',
      tool_input: { command: 'pytest -x tests/test_dates.py' },
      tool_response: { stdout: 'E   AssertionError: 1 failed', exit_code: 1 },
    });
    const files = readdirSync(journal).filter((f) => f.endsWith('.jsonl'));
    assert.equal(files.length, 1);
    assert.match(files[0], /^codex-/, "the journal is Codex's");
    const lines = readFileSync(join(journal, files[0]), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.deepEqual(
      lines.map((l) => l.t),
      ['open', 'run'],
    );
    assert.equal(lines[1].exitCode, 1);
    assert.match(lines[0].issue.title, /flaky date parser/);
  });

  it('a malformed file stops the whole connect with one line; no file is written', async () => {
    const folder = join(tmp.path, 'proj');
    mkdirSync(join(folder, '.vscode'), { recursive: true });
    const broken = '{ "servers": { "a": { "command": "x" } ';
    writeFileSync(join(folder, '.vscode', 'mcp.json'), broken);
    const r = await runCli(['connect', 'copilot', '--folder', folder, '--yes'], { env: { HOME: join(tmp.path, 'home') } });
    assertOneLine(r, 2, /mcp\.json is not valid JSON .*fix it first/);
    assert.equal(readFileSync(join(folder, '.vscode', 'mcp.json'), 'utf8'), broken);
    assert.equal(existsSync(join(folder, '.github')), false, 'the instructions file was not written either');
    assertOneLine(await runCli(['connect', 'windsurf', '--folder', folder]), 2, /unknown agent "windsurf"; one of: claude-code, codex/);
    assertOneLine(await runCli(['connect', 'codex', '--project', '--user', '--folder', folder]), 2, /choose one of --project and --user/);
  });
});
