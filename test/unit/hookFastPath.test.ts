// dist/hook.sh, the hook's fast path, run as Claude Code runs the command `dejafix connect` writes:
// with the warm server up, tool calls are handled by it (no Node starts) and leave byte for byte the
// journal the Node hook leaves for the same scripted session in a real git repository; events that
// need the store go to the Node hook with their stdin intact; without a server, without curl, with
// DEJAFIX_HOOK_WARM=0, with another journal folder or after the server was killed, the Node hook runs
// instead; hostile stdin never fails it; the socket is private. Node is run through a spy script
// that counts its starts, so "no Node started" is observed, not assumed.
import * as assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { posixCksum } from '../../src/cli/hook/cksum';
import { ExperienceStore } from '../../src/core/store';
import { discountSession } from '../helpers/discountSession';
import { makeAttempt, makeEpisode } from '../helpers/records';

const DIST = join(__dirname, '../../dist');
const HOOK_JS = join(DIST, 'hook.js');
const HOOK_SH = join(DIST, 'hook.sh');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function spawnRun(cmd: string, args: string[], input: string | Buffer, env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolve, reject) => {
    const c = spawn(cmd, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    c.stdout.on('data', (d) => (stdout += d));
    c.stderr.on('data', (d) => (stderr += d));
    c.on('error', reject);
    c.on('close', (code) => resolve({ code, stdout, stderr }));
    c.stdin.on('error', () => undefined);
    c.stdin.end(input);
  });
}

async function until(f: () => boolean, ms = 120_000): Promise<void> {
  const end = Date.now() + ms;
  while (!f()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('dist/hook.sh: the fast path through the warm server', function () {
  this.timeout(300_000);
  let tmp = '';
  const store = () => join(tmp, 'store');
  const repo = () => join(tmp, 'shop');
  const journal = () => join(tmp, 'journal');
  const warmRoot = () => join(tmp, 'warm');
  const spy = () => join(tmp, 'node-spy');
  const spyLog = () => join(tmp, 'node-starts');
  const log = () => (existsSync(join(journal(), 'hook.log')) ? readFileSync(join(journal(), 'hook.log'), 'utf8') : '');
  const nodeStarts = () => (existsSync(spyLog()) ? readFileSync(spyLog(), 'utf8').split('\n').filter(Boolean).length : 0);
  const socket = () => join(warmRoot(), `dejafix-${process.getuid!()}`, `warm-${posixCksum(`${store()}\n${HOOK_JS}`)}.sock`);
  const env = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
    ...process.env,
    DEJAFIX_STORE: undefined,
    DEJAFIX_HOOK_DIR: journal(),
    DEJAFIX_WARM_DIR: warmRoot(),
    DEJAFIX_WARM_IDLE_MS: '600000',
    ...extra,
  });
  /** The command `dejafix connect` writes, as Claude Code runs it (Node behind the spy). */
  const fast = (input: string | Buffer, extra: NodeJS.ProcessEnv = {}) =>
    spawnRun('/bin/sh', [HOOK_SH, spy(), HOOK_JS, 'claude-code', '--store', store()], input, env(extra));
  /** Today's Node command. */
  const node = (input: string | Buffer, extra: NodeJS.ProcessEnv = {}) =>
    spawnRun(process.execPath, [HOOK_JS, 'claude-code', '--store', store()], input, env(extra));
  const git = (...a: string[]) => execFileSync('git', a, { cwd: repo() }).toString();
  const journals = () => (existsSync(journal()) ? readdirSync(journal()).filter((f) => f.endsWith('.jsonl')) : []);
  const journalText = () =>
    journals()
      .map((f) => readFileSync(join(journal(), f), 'utf8'))
      .join('');
  const ev = (session: string, name: string, more: Record<string, unknown> = {}) =>
    JSON.stringify({ session_id: session, transcript_path: '/dev/null', cwd: repo(), hook_event_name: name, ...more });

  before(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'dejafix-fast-'));
    mkdirSync(repo());
    git('init', '-q', '-b', 'main');
    git('config', 'user.email', 't@example.com');
    git('config', 'user.name', 't');
    writeFileSync(join(repo(), 'price.js'), 'module.exports = (p, d) => p - p * d;\n');
    writeFileSync(join(repo(), 'checkout.js'), "const price = require('./price');\nmodule.exports = (p, d) => price(p, d) * (1 - d);\n");
    git('add', '.');
    git('commit', '-qm', 'init');
    writeFileSync(spy(), `#!/bin/sh\necho "$*" >> ${JSON.stringify(spyLog())}\nexec ${JSON.stringify(process.execPath)} "$@"\n`);
    chmodSync(spy(), 0o755);
    const s = await ExperienceStore.open(store(), { mode: 'write' });
    const ep = makeEpisode({
      id: 'ep-discount',
      repo: 'shop',
      issue: {
        title: 'Discount applied twice at checkout',
        body: 'the coupon discount is subtracted in price.js and again in checkout.js',
      },
      files: ['price.js', 'checkout.js'],
      createdAt: new Date(Date.now() - 86_400_000).toISOString(),
    });
    await s.upsertEpisodes([{ ...ep, attempts: [makeAttempt(ep.id, { command: 'npm test', outputTail: 'expected 90 but got 81' })] }]);
    const others = [
      ['Login form ignores the remember-me box', 'auth/session.js'],
      ['Invoice PDF logo upside down', 'pdf/logo.py'],
      ['Search box crashes on emoji', 'search/query.js'],
      ['Dark mode colours wrong', 'ui/theme.css'],
    ];
    await s.upsertEpisodes(
      others.map(([t, f], i) => makeEpisode({ id: `ep-o${i}`, repo: 'shop', issue: { title: t, body: `${t}. See ${f}.` }, files: [f] })),
    );
    s.close();
  });

  after(() => rmSync(tmp, { recursive: true, force: true })); // the server sees its store gone and stops

  /** The episodes the hook saved (agent:claude-code), each summed up without ids and times. */
  async function hookedEpisodes(): Promise<{ id: string; outcome: string; summary: string }[]> {
    const db = await ExperienceStore.open(store(), { mode: 'read' });
    try {
      const out: { id: string; outcome: string; summary: string }[] = [];
      for await (const batch of db.episodes(500)) {
        const ours = batch.filter((e) => e.source === 'agent:claude-code');
        const attempts = await db.attemptsOf(ours.map((e) => e.id));
        for (const e of ours)
          out.push({
            id: e.id,
            outcome: e.outcome,
            summary: JSON.stringify([
              e.outcome,
              e.issue,
              e.finalPatch,
              e.errorSignature,
              e.repo,
              [...e.files].sort(),
              (attempts.get(e.id) ?? []).map((x) => [x.command, x.exitCode, x.outputTail, x.patch, x.by, x.outcome]),
            ]),
          });
      }
      return out;
    } finally {
      db.close();
    }
  }

  /**
   * A scripted session: the agent's edits happen between the events, as in a real one. Each step is
   * the files written before it, and the event (or raw stdin). Returns every stdout, the journal as
   * it stands before the final Stop (with its times blanked) and the Stop's stdout.
   */
  async function play(run: (input: string) => Promise<Run>, sid: string) {
    git('checkout', '-q', '--', '.');
    git('clean', '-qfd');
    const steps = discountSession(sid, repo(), ev);
    const outs: string[] = [];
    for (const [files, input] of steps) {
      for (const [f, text] of Object.entries(files)) {
        mkdirSync(join(repo(), f, '..'), { recursive: true });
        writeFileSync(join(repo(), f), text);
      }
      const r = await run(input);
      assert.equal(r.code, 0, r.stderr);
      outs.push(r.stdout);
    }
    const before = journalText().replace(/"at":"[^"]+"/g, '"at":"…"');
    const stop = await run(ev(sid, 'Stop', { stop_hook_active: false }));
    return { outs, before, stop: stop.stdout };
  }

  it('leaves byte for byte the journal and the episode the Node hook leaves, starting Node only for the events that need the store', async () => {
    // Today's Node command, no warm server (every recall in the hook's own process).
    const viaNode = await play((i) => node(i, { DEJAFIX_HOOK_WARM: '0' }), 'by-node');
    assert.deepEqual(journals(), [], 'the resolved session was committed at Stop');
    assert.match(viaNode.before, /"t":"run".*"exitCode":1.*"t":"run".*"exitCode":0/s);
    assert.match(viaNode.outs[0], /Discount applied twice/, 'memory injected on the first prompt');
    assert.doesNotMatch(viaNode.before, /AKIAQWERTY|ghp_a1B2/, 'redacted before written');

    const a = await hookedEpisodes();
    assert.equal(a.length, 1);
    assert.equal(a[0].outcome, 'resolved');
    // Forgotten, so the second session recalls what the first one did (not the first session itself).
    const w = await ExperienceStore.open(store(), { mode: 'write' });
    await w.forget(a.map((e) => e.id));
    w.close();

    // The first prompt of another session starts the warm server (through the Node fallback).
    assert.equal((await fast(ev('warm-up', 'UserPromptSubmit', { prompt: 'Discount applied twice' }))).code, 0);
    await until(() => /warm recall server for .* listening/.test(log()) && existsSync(socket()));
    rmSync(
      join(
        journal(),
        readdirSync(journal()).find((f) => f.endsWith('.jsonl'))!,
      ),
    );
    const started = nodeStarts();

    const viaSh = await play((i) => fast(i), 'by-sh');
    assert.deepEqual(viaSh.outs, viaNode.outs, 'the same stdout for every event');
    assert.equal(viaSh.before, viaNode.before, 'the same journal, byte for byte (times aside)');
    assert.equal(viaSh.stop, viaNode.stop);
    assert.equal(
      nodeStarts() - started,
      3,
      'Node started only for the first prompt, the prompt after the failing run (it recalls again) and the Stop that commits',
    );
    assert.deepEqual(journals(), [], 'committed and removed, once');

    const b = await hookedEpisodes();
    assert.equal(b.length, 1, 'one episode for the session: nothing recorded twice');
    assert.deepEqual(b[0].summary, a[0].summary, 'the same episode from both paths');
  });

  it('keeps the socket private: folder 0700, socket 0600, owned by this user', () => {
    const dir = statSync(join(socket(), '..'));
    assert.equal(dir.mode & 0o777, 0o700);
    assert.equal(dir.uid, process.getuid!());
    const sock = statSync(socket());
    assert.ok(sock.isSocket());
    assert.equal(sock.mode & 0o777, 0o600);
  });

  it('never breaks the agent on hostile stdin through the server: exit 0, nothing on stdout, nothing recorded, no Node', async () => {
    assert.ok(existsSync(socket()));
    const started = nodeStarts();
    const before = journalText();
    const hostile: [string, string | Buffer][] = [
      ['empty', ''],
      ['not JSON', 'hello there'],
      ['truncated', '{"session_id":"h","cwd":"/tmp","hook_event_name":"PostToolU'],
      ['an array', '[1,2,3]'],
      ['null', 'null'],
      ['binary with NUL bytes', Buffer.from([0, 1, 2, 0xff, 0xfe, 0, 0x7b, 0x7d, 0])],
      ['NUL inside a string', Buffer.concat([Buffer.from('{"session_id":"n\0","cwd":"/tmp","hook_event_name":"PostToolUse"}')])],
      ['huge (9 MB)', `{"session_id":"h","cwd":"/tmp","hook_event_name":"PostToolUse","tool_response":"${'x'.repeat(9 * 1024 * 1024)}"}`],
      ['deeply nested', `${'['.repeat(100_000)}${']'.repeat(100_000)}`],
      ['an unknown event', ev('h', 'PreCompact', { trigger: 'auto' })],
      ['odd shapes', ev('h', 'PostToolUse', { tool_name: 42, tool_input: 'rm', tool_response: [null] })],
    ];
    for (const [what, input] of hostile) {
      const r = await fast(input);
      assert.equal(r.code, 0, what);
      assert.equal(r.stdout, '', what);
      assert.equal(r.stderr, '', what);
    }
    assert.equal(nodeStarts(), started, 'all handled by the server');
    assert.equal(journalText(), before, 'nothing recorded');
    assert.ok((log().match(/stdin held no hook event/g) ?? []).length >= 7);
  });

  it('hands events to the Node hook, stdin intact, when the server cannot take them', async () => {
    const edit = (sid: string, file: string) =>
      ev(sid, 'PostToolUse', { tool_name: 'Edit', tool_input: { file_path: join(repo(), file) } });
    const edits = (dir = journal()) =>
      existsSync(dir)
        ? readdirSync(dir)
            .filter((f) => f.endsWith('.jsonl'))
            .map((f) => readFileSync(join(dir, f), 'utf8'))
            .join('')
        : '';
    // Another journal folder than the server's: handed back, recorded by Node where the caller said.
    let n = nodeStarts();
    const other = join(tmp, 'other-journal');
    assert.equal((await fast(edit('o1', 'a.js'), { DEJAFIX_HOOK_DIR: other })).code, 0);
    assert.equal(nodeStarts(), n + 1);
    assert.match(edits(other), /"t":"edit".*a\.js/);
    assert.doesNotMatch(edits(), /a\.js/, 'not in the server’s journal');
    // DEJAFIX_HOOK_WARM=0: straight to Node.
    n = nodeStarts();
    await fast(edit('o2', 'b.js'), { DEJAFIX_HOOK_WARM: '0' });
    assert.equal(nodeStarts(), n + 1);
    assert.match(edits(), /b\.js/);
    // No curl on PATH.
    const bin = join(tmp, 'bin-without-curl');
    mkdirSync(bin, { recursive: true });
    for (const t of ['cksum', 'git'])
      if (!existsSync(join(bin, t)))
        symlinkSync(
          execFileSync('sh', ['-c', `command -v ${t}`])
            .toString()
            .trim(),
          join(bin, t),
        );
    n = nodeStarts();
    await fast(edit('o3', 'c.js'), { PATH: bin });
    assert.equal(nodeStarts(), n + 1);
    assert.match(edits(), /c\.js/);
    // The server killed: its socket is left behind, curl cannot connect, Node gets the untouched stdin.
    const pid = Number(
      execFileSync('sh', ['-c', `ps -eo pid,args | grep -F -- '--socket ${socket()}' | grep -v grep | awk '{print $1}'`])
        .toString()
        .trim()
        .split('\n')[0],
    );
    assert.ok(pid > 0);
    process.kill(pid, 'SIGKILL');
    await until(() => {
      try {
        process.kill(pid, 0);
        return false;
      } catch {
        return true;
      }
    });
    assert.ok(existsSync(socket()), 'a dead socket is left');
    n = nodeStarts();
    const r = await fast(edit('o4', 'd.js'));
    assert.equal(r.code, 0);
    assert.equal(nodeStarts(), n + 1);
    assert.equal((edits().match(/d\.js/g) ?? []).length, 1, 'recorded once');
  });

  it('a squatter answering something else on the socket path: exit 0, nothing on stdout, not recorded twice', async () => {
    rmSync(socket(), { force: true });
    const squatter = createServer((req, res) => {
      req.resume();
      req.on('end', () => res.end('{"hookSpecificOutput":"not from dejafix"}'));
    });
    await new Promise<void>((r) => squatter.listen(socket(), () => r()));
    try {
      const n = nodeStarts();
      const r = await fast(ev('sq', 'PostToolUse', { tool_name: 'Edit', tool_input: { file_path: join(repo(), 'e.js') } }));
      assert.equal(r.code, 0);
      assert.equal(r.stdout, '', 'an odd answer is never passed on');
      assert.equal(nodeStarts(), n, 'its stdin was read by the squatter: Node is not run with a partial event');
    } finally {
      squatter.close();
    }
  });
});
