// A hostile repository is data, not code: its .git/config (fsmonitor, external diff, textconv,
// clean filters, hooks, pager, includes) names programs that each write /tmp/pwned-<random>. A
// control run of plain git proves each variant fires; then the safe git runner, the core diff, the
// MCP server over stdio and the CLI (hook, team share) run against it and the file never appears,
// while the diff they record still holds the real change. A `repo` path outside the server's
// folders is refused with a tool error.
import { readCodeIndex } from '../../src/core/workspace/workspaceCode';
import { editingFilesOf } from '../../src/core/workspace/editing';
import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { currentBranch, diffAgainst, headCommit } from '../../src/core/capture/gitDiff';
import { runGit, safeRevision } from '../../src/core/capture/safeGit';
import { sharerIdentity } from '../../src/core/team';
import { CLI, runCli } from '../helpers/cli';
import { useTempDir } from '../helpers/tmp';

type CallResult = { content: { type: string; text: string }[]; isError?: boolean };
interface Hostile {
  repo: string;
  marker: string;
  base: string;
}

/** Writes a script that creates `marker` and then behaves like `cat` (file argument or stdin). */
function evilScript(dir: string, marker: string, name = 'evil.sh'): string {
  const p = join(dir, name);
  writeFileSync(p, `#!/bin/sh\ntouch '${marker}'\nif [ -n "$1" ] && [ -f "$1" ]; then cat "$1"; else cat; fi\n`);
  chmodSync(p, 0o755);
  return p;
}

const git = (cwd: string, ...a: string[]) => execFileSync('git', a, { cwd, env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1' } }).toString();

/** The variants: each arms one (or several) ways a repository's own files make git run a program. */
const VARIANTS: Record<string, (repo: string, script: string, outside: string) => void> = {
  'core.fsmonitor': (r, s) => git(r, 'config', 'core.fsmonitor', s),
  'diff.external': (r, s) => git(r, 'config', 'diff.external', s),
  'textconv on *.py': (r, s) => {
    writeFileSync(join(r, '.gitattributes'), '*.py diff=evil\n');
    git(r, 'config', 'diff.evil.textconv', s);
  },
  'clean filter (required)': (r, s) => {
    writeFileSync(join(r, '.git/info/attributes'), '*.py filter=evil\n');
    git(r, 'config', 'filter.evil.clean', s);
    git(r, 'config', 'filter.evil.required', 'true');
  },
  'clean filter whose name holds "="': (r, s) => {
    writeFileSync(join(r, '.gitattributes'), '*.py filter=ab=c\n');
    git(r, 'config', 'filter.ab=c.clean', s);
  },
  'post-index-change hook in .git/hooks': (r, s) => {
    execFileSync('cp', [s, join(r, '.git/hooks/post-index-change')]);
    execFileSync('touch', ['-d', '2020-01-01', join(r, 'README')]);
  },
  'core.hooksPath to a folder of hooks': (r, s) => {
    mkdirSync(join(r, '.hk'));
    execFileSync('cp', [s, join(r, '.hk/post-index-change')]);
    git(r, 'config', 'core.hooksPath', join(r, '.hk'));
    execFileSync('touch', ['-d', '2020-01-01', join(r, 'README')]);
  },
  'fsmonitor and textconv from an included config file': (r, s, outside) => {
    const inc = join(outside, 'evil.inc');
    writeFileSync(inc, `[core]\n\tfsmonitor = ${s}\n[diff "inc"]\n\ttextconv = ${s}\n[filter "inc"]\n\tclean = ${s}\n`);
    writeFileSync(join(r, '.gitattributes'), '*.py diff=inc filter=inc\n');
    git(r, 'config', 'include.path', inc);
  },
  'everything at once, pagers too': (r, s) => {
    writeFileSync(join(r, '.gitattributes'), '* diff=evil filter=evil\n');
    for (const [k, v] of [
      ['core.fsmonitor', s],
      ['diff.external', s],
      ['diff.evil.textconv', s],
      ['diff.evil.command', s],
      ['filter.evil.clean', s],
      ['filter.evil.process', s],
      ['core.pager', s],
      ['pager.diff', s],
      ['pager.status', s],
    ])
      git(r, 'config', k, v);
  },
};

/** The commands whose union the control runs with plain git (what Dejafix could run). */
const COMMANDS = [
  ['diff', 'HEAD', '--'],
  ['diff', '--no-index', '--', '/dev/null', 'new.py'],
  ['ls-files', '--others', '--exclude-standard'],
  ['status'],
  ['rev-parse', '--verify', 'HEAD'],
];

function makeHostile(root: string, variant: string): Hostile {
  const marker = `/tmp/pwned-${randomBytes(8).toString('hex')}`;
  const outside = join(root, 'outside');
  mkdirSync(outside, { recursive: true });
  const script = evilScript(outside, marker);
  const repo = join(root, 'project');
  mkdirSync(repo);
  git(repo, 'init', '-q', '-b', 'main');
  git(repo, 'config', 'user.email', 'dev@example.com');
  git(repo, 'config', 'user.name', 'Dev');
  writeFileSync(join(repo, 'app.py'), 'def total(xs):\n    return sum(xs)\n');
  writeFileSync(join(repo, 'README'), 'totals\n');
  git(repo, 'add', '.');
  git(repo, 'commit', '-qm', 'init');
  const base = git(repo, 'rev-parse', 'HEAD').trim();
  writeFileSync(join(repo, 'app.py'), 'def total(xs):\n    return sum(xs or [])\n');
  writeFileSync(join(repo, 'new.py'), 'EMPTY = []\n');
  VARIANTS[variant](repo, script, outside);
  return { repo, marker, base };
}

/** Plain git, as a careless tool would run it: the variant must fire, or the test proves nothing. */
function control(h: Hostile): void {
  for (const c of COMMANDS) spawnSync('git', c, { cwd: h.repo, env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1' }, stdio: 'ignore' });
  assert.ok(existsSync(h.marker), 'the hostile config fires under plain git');
  rmSync(h.marker);
}

/** The episodes of a store, as `dejafix export` writes them. */
async function exported(store: string): Promise<{ finalPatch: string; attempts: { patch: string }[] }[]> {
  const r = await runCli(['export', '--store', store]);
  assert.equal(r.code, 0, r.stderr);
  return r.stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { finalPatch: string; attempts: { patch: string }[] });
}

function assertSafe(h: Hostile, what: string): void {
  assert.equal(existsSync(h.marker), false, `${what} ran a program named by the repository`);
}

describe('git on a hostile repository runs nothing it names', function () {
  this.timeout(180_000);
  const tmp = useTempDir();
  const markers: string[] = [];
  afterEach(() => {
    for (const m of markers.splice(0)) rmSync(m, { force: true });
  });
  const hostile = (variant: string) => {
    const h = makeHostile(tmp.path, variant);
    markers.push(h.marker);
    control(h);
    return h;
  };

  for (const variant of Object.keys(VARIANTS)) {
    it(`${variant}: the safe runner and the core diff, head, branch and identity`, async () => {
      const h = hostile(variant);
      for (const c of COMMANDS) await runGit(h.repo, c, { okCodes: [0, 1] }).catch(() => '');
      assertSafe(h, 'runGit');
      const diff = await diffAgainst(h.repo, h.base);
      assert.match(diff, /\+ {4}return sum\(xs or \[\]\)/, 'the tracked change is in the diff');
      assert.match(diff, /\+EMPTY = \[\]/, 'the new file is in the diff');
      assert.equal(await headCommit(h.repo), h.base);
      assert.equal(await currentBranch(h.repo), 'main');
      assert.equal(await sharerIdentity(h.repo), 'Dev <dev@example.com>');
      assertSafe(h, 'diffAgainst / headCommit / currentBranch / sharerIdentity');
      // Recall's relevance reads the checkout's code (git ls-files, then the files themselves).
      const index = await readCodeIndex(h.repo);
      assert.ok(index.defs.get('total')?.length === 1, 'the tracked file was read');
      assertSafe(h, 'readCodeIndex');
      // …and the files being changed in it (git diff --name-only), on every recall.
      assert.deepEqual(await editingFilesOf(h.repo), ['app.py'], 'the changed tracked file, not the untracked one');
      assertSafe(h, 'editingFilesOf');
    });
  }

  for (const variant of [
    'core.fsmonitor',
    'diff.external',
    'textconv on *.py',
    'clean filter (required)',
    'fsmonitor and textconv from an included config file',
    'everything at once, pagers too',
  ]) {
    it(`${variant}: MCP record_attempt without a patch (server started in the repository) records the diff and runs nothing`, async () => {
      const h = hostile(variant);
      const store = join(tmp.path, 'store');
      const transport = new StdioClientTransport({
        command: process.execPath,
        args: [CLI, 'mcp', '--store', store, '--embedder', 'none'],
        stderr: 'pipe',
        cwd: h.repo,
      });
      const client = new Client({ name: 'hostile-test', version: '1.0.0' });
      await client.connect(transport);
      try {
        const a = (await client.callTool({
          name: 'dejafix_record_attempt',
          arguments: { command: 'pytest', exitCode: 0, output: '1 passed', issue: { title: 'total of None' }, repo: h.repo },
        })) as CallResult;
        assert.ok(!a.isError, a.content[0]?.text);
        const o = (await client.callTool({ name: 'dejafix_record_outcome', arguments: { outcome: 'resolved' } })) as CallResult;
        assert.ok(!o.isError, o.content[0]?.text);
      } finally {
        await client.close();
      }
      assertSafe(h, 'the MCP server');
      const [ep] = await exported(store);
      assert.match(ep.finalPatch, /sum\(xs or \[\]\)/);
      assert.match(ep.finalPatch, /EMPTY = \[\]/);
    });
  }

  it('MCP refuses a repo path outside its folders (plain, through a symlink, and a parent), with a tool error, and runs no git there', async () => {
    const h = hostile('everything at once, pagers too');
    const work = join(tmp.path, 'work');
    mkdirSync(work);
    symlinkSync(h.repo, join(work, 'link'));
    const store = join(tmp.path, 'store');
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [CLI, 'mcp', '--store', store, '--embedder', 'none'],
      stderr: 'pipe',
      cwd: work,
    });
    const client = new Client({ name: 'hostile-test', version: '1.0.0' });
    await client.connect(transport);
    try {
      for (const repo of [h.repo, join(work, 'link'), join(work, 'link', '.git'), tmp.path]) {
        for (const [name, args] of [
          ['dejafix_record_attempt', { command: 'pytest', exitCode: 1, issue: { title: `outside ${repo}` }, repo }],
          ['dejafix_recall', { query: 'total of None', repo }],
          ['dejafix_compose_prompt', { stage: 'fix', issue: { body: 'total of None' }, repo }],
        ] as const) {
          const r = (await client.callTool({ name, arguments: args })) as CallResult;
          assert.equal(r.isError, true, `${name} with ${repo}`);
          assert.match(r.content[0].text, /outside the folders this server works in .*--allow-folder/s);
          assert.equal(r.content[0].text.split('\n').length, 1);
        }
      }
      const sessions = JSON.parse(((await client.readResource({ uri: 'dejafix://sessions' })).contents[0] as { text: string }).text);
      assert.equal(Array.isArray(sessions) ? sessions.length : sessions.sessions.length, 0, 'no session was opened');
    } finally {
      await client.close();
    }
    assertSafe(h, 'the MCP server given an outside folder');
  });

  it('MCP accepts a folder the user allowed with --allow-folder (and its subfolders), still running nothing', async () => {
    const h = hostile('diff.external');
    const work = join(tmp.path, 'work');
    mkdirSync(work);
    const store = join(tmp.path, 'store');
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [CLI, 'mcp', '--store', store, '--embedder', 'none', '--allow-folder', h.repo],
      stderr: 'pipe',
      cwd: work,
    });
    const client = new Client({ name: 'hostile-test', version: '1.0.0' });
    await client.connect(transport);
    try {
      for (const repo of [h.repo, join(h.repo, '.git')]) {
        const r = (await client.callTool({ name: 'dejafix_recall', arguments: { query: 'total of None', repo } })) as CallResult;
        assert.ok(!r.isError, r.content[0]?.text);
      }
      const r = (await client.callTool({
        name: 'dejafix_record_attempt',
        arguments: { command: 'pytest', exitCode: 0, issue: { title: 'allowed' }, repo: h.repo },
      })) as CallResult;
      assert.ok(!r.isError, r.content[0]?.text);
      assert.ok(!((await client.callTool({ name: 'dejafix_record_outcome', arguments: { outcome: 'resolved' } })) as CallResult).isError);
    } finally {
      await client.close();
    }
    assertSafe(h, 'the MCP server on an allowed folder');
    const [ep] = await exported(store);
    assert.match(ep.finalPatch, /sum\(xs or \[\]\)/, 'the allowed folder was diffed');
  });

  for (const variant of ['core.fsmonitor', 'textconv on *.py', 'clean filter (required)', 'core.hooksPath to a folder of hooks']) {
    it(`${variant}: the CLI (hook claude-code in the repository, team share from it) runs nothing`, async () => {
      const h = hostile(variant);
      const store = join(tmp.path, 'store');
      const ev = (name: string, extra: Record<string, unknown>) =>
        runCli(['hook', 'claude-code', '--store', store], {
          cwd: h.repo,
          input: JSON.stringify({
            session_id: 's1',
            transcript_path: join(tmp.path, 't.jsonl'),
            cwd: h.repo,
            hook_event_name: name,
            ...extra,
          }),
        });
      assert.equal((await ev('UserPromptSubmit', { prompt: 'total() fails on None' })).code, 0);
      assert.equal(
        (
          await ev('PostToolUse', {
            tool_name: 'Bash',
            tool_input: { command: 'pytest' },
            tool_response: { stdout: '1 passed', stderr: '', interrupted: false },
          })
        ).code,
        0,
      );
      assert.equal((await ev('SessionEnd', { reason: 'exit' })).code, 0);
      const share = await runCli(['share', '--resolved', '--team', join(tmp.path, 'team'), '--store', store, '--yes'], { cwd: h.repo });
      assert.ok([0, 1].includes(share.code ?? -1), share.stderr);
      assertSafe(h, 'the CLI');
      const [ep] = await exported(store);
      assert.match(ep.attempts.map((a) => a.patch).join('\n'), /sum\(xs or \[\]\)/, 'the hook recorded the real diff');
    });
  }

  it('a base revision that looks like an option is never passed to git', () => {
    assert.equal(safeRevision('--output=/tmp/x'), 'HEAD');
    assert.equal(safeRevision('-p'), 'HEAD');
    assert.equal(safeRevision(undefined), 'HEAD');
    assert.equal(safeRevision('0123abcd'), '0123abcd');
  });
});
