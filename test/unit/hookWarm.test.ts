// The warm recall server behind dist/hook.js: the first prompt recalls in the hook's own process and
// starts the server; later first prompts are answered by it with exactly what the cold path gives
// (and, unlike the one-shot hook, with the checkout's code for relevance);
// it stops when idle, a socket left by a killed server does not block anything, and
// DEJAFIX_HOOK_WARM=0 keeps every recall in the hook's process.
import * as assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { recallWarm, UNAVAILABLE } from '../../src/cli/hook/warmClient';
import { ExperienceStore } from '../../src/core/store';
import { makeAttempt, makeEpisode } from '../helpers/records';
import { useTempDir } from '../helpers/tmp';

const HOOK = join(__dirname, '../../dist/hook.js');

function runHook(args: string[], input: string, env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const c = spawn(process.execPath, [HOOK, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    c.stdout.on('data', (d) => (out += d));
    c.on('error', reject);
    c.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`exit ${code}`))));
    c.stdin.end(input);
  });
}

async function until(f: () => boolean, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!f()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('dist/hook.js: the warm recall server', function () {
  this.timeout(180_000);
  const tmp = useTempDir();
  const store = () => join(tmp.path, 'store');
  const repo = () => join(tmp.path, 'shop');
  const warmDir = () => join(tmp.path, 'warm');
  const log = () => (existsSync(join(tmp.path, 'journal', 'hook.log')) ? readFileSync(join(tmp.path, 'journal', 'hook.log'), 'utf8') : '');
  const env = (extra: NodeJS.ProcessEnv = {}) => ({
    ...process.env,
    DEJAFIX_STORE: undefined,
    DEJAFIX_HOOK_DIR: join(tmp.path, 'journal'),
    DEJAFIX_WARM_DIR: warmDir(),
    DEJAFIX_WARM_IDLE_MS: '4000',
    ...extra,
  });
  const prompt = (session: string, text: string) =>
    JSON.stringify({ session_id: session, cwd: repo(), hook_event_name: 'UserPromptSubmit', prompt: text });
  const sockets = () =>
    existsSync(join(warmDir(), `dejafix-${process.getuid!()}`))
      ? readdirSync(join(warmDir(), `dejafix-${process.getuid!()}`)).filter((f) => f.endsWith('.sock'))
      : [];

  beforeEach(async () => {
    mkdirSync(repo());
    const git = (...a: string[]) => execFileSync('git', a, { cwd: repo() });
    git('init', '-q', '-b', 'main');
    git('config', 'user.email', 't@example.com');
    git('config', 'user.name', 't');
    writeFileSync(join(repo(), 'price.js'), 'module.exports = (p, d) => p - p * d;\n');
    git('add', '.');
    git('commit', '-qm', 'init');
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
      others.map(([t, f], i) =>
        makeEpisode({
          id: `ep-o${i}`,
          repo: 'shop',
          issue: { title: t, body: `${t}. See ${f}.` },
          files: [f],
          createdAt: new Date(Date.now() - 86_400_000 * (i + 2)).toISOString(),
        }),
      ),
    );
    s.close();
  });

  it('answers later first prompts from the warm server with what the cold path gives, then stops when idle', async () => {
    const text = 'Discount applied twice at checkout: the coupon is subtracted in price.js and checkout.js';
    const cold = await runHook(['claude-code', '--store', store()], prompt('s1', text), env());
    assert.match(cold, /Discount applied twice/);
    await until(() => /warm recall server for .* listening/.test(log()));
    assert.equal(sockets().length, 1);
    const warm = await runHook(['claude-code', '--store', store()], prompt('s2', text), env());
    assert.match(log(), /warm recall served \(1 past repairs\)/, 'the server answered');
    assert.deepEqual(JSON.parse(warm), JSON.parse(cold), 'the same context as the cold path');
    const none = await runHook(['claude-code', '--store', store()], prompt('s3', 'Upgrade the build to the new bundler version'), env());
    assert.equal(none, '', 'nothing relevant: nothing injected');
    // It sees what is saved after it started (reads see every commit).
    const s = await ExperienceStore.open(store(), { mode: 'write' });
    await s.upsertEpisodes([
      makeEpisode({
        id: 'ep-tax',
        repo: 'shop',
        issue: { title: 'Sales tax rounded down for Quebec', body: 'tax.js rounds the provincial tax with Math.floor' },
        files: ['tax.js'],
      }),
    ]);
    s.close();
    const fresh = await runHook(
      ['claude-code', '--store', store()],
      prompt('s4', 'Sales tax rounded down for Quebec orders in tax.js'),
      env(),
    );
    assert.match(fresh, /Sales tax rounded down for Quebec/);
    await until(() => /warm recall server stopped/.test(log()));
    assert.deepEqual(sockets(), [], 'the socket goes with it');
  });

  /** ledger.js committed in the checkout, and a past repair of it worded unlike any issue here. */
  async function ledgerRepair(): Promise<void> {
    const git = (...a: string[]) => execFileSync('git', a, { cwd: repo() });
    writeFileSync(
      join(repo(), 'ledger.js'),
      'function postReversalEntry(order) {\n  return order;\n}\nmodule.exports = { postReversalEntry };\n',
    );
    git('add', '.');
    git('commit', '-qm', 'ledger');
    const s = await ExperienceStore.open(store(), { mode: 'write' });
    await s.upsertEpisodes([
      makeEpisode({
        id: 'ep-ledger',
        repo: 'shop',
        issue: { title: 'Crash when the payment provider times out', body: 'A timeout from the provider raises instead of retrying.' },
        files: ['ledger.js'],
      }),
    ]);
    s.close();
  }

  it("the warm server also reads the checkout's code; the one-shot hook goes without (its process could not exit before the read)", async () => {
    await ledgerRepair();
    const args = ['claude-code', '--store', store(), '--min-relevance', '0'];
    const text = 'postReversalEntry() books a cancelled order twice';
    const cold = await runHook(args, prompt('w1', text), env());
    assert.doesNotMatch(cold, /payment provider times out/, 'no wording matched, and the one-shot hook reads no code');
    await until(() => /listening/.test(log()));
    // The server's first read of the checkout may outlast one prompt's 250 ms; it goes on for the next.
    let warm = '';
    for (let i = 0; i < 3 && !/payment provider times out/.test(warm); i++) warm = await runHook(args, prompt(`w${i + 2}`, text), env());
    assert.match(warm, /payment provider times out/, 'the repair of the file the checkout says the issue is about');
    // Mid-repair: the file being changed brings in its repair, read fresh on the next prompt.
    const vague = 'the refund still fails after my change';
    assert.doesNotMatch(await runHook(args, prompt('w5', vague), env()), /payment provider times out/);
    writeFileSync(join(repo(), 'ledger.js'), 'function postReversalEntry(order) {\n  return null;\n}\n');
    assert.match(await runHook(args, prompt('w6', vague), env()), /payment provider times out/, 'the repair of the file being changed');
  });

  it('mid-repair: the first later prompt after a failing test run recalls again, with the files being changed; once per failure', async () => {
    await ledgerRepair();
    const args = ['claude-code', '--store', store(), '--min-relevance', '0'];
    const event = (session: string, name: string, extra: Record<string, unknown>) =>
      JSON.stringify({ session_id: session, cwd: repo(), hook_event_name: name, ...extra });
    const testRun = (session: string, id: string, failed: boolean) =>
      runHook(
        args,
        failed
          ? event(session, 'PostToolUseFailure', {
              tool_name: 'Bash',
              tool_input: { command: 'npm test' },
              tool_use_id: id,
              error: 'Exit code 1\nboom',
            })
          : event(session, 'PostToolUse', {
              tool_name: 'Bash',
              tool_input: { command: 'npm test' },
              tool_use_id: id,
              tool_response: { stdout: '3 passing', stderr: '', interrupted: false },
            }),
        env(),
      );
    await runHook(args, prompt('m0', 'Discount applied twice at checkout'), env());
    await until(() => /listening/.test(log()));
    const issue = 'The refund total is wrong for cancelled orders';
    assert.doesNotMatch(await runHook(args, prompt('m1', issue), env()), /payment provider times out/, 'no wording matched');
    assert.equal(await runHook(args, prompt('m1', 'go on'), env()), '', 'no test run yet: nothing more');
    writeFileSync(join(repo(), 'ledger.js'), 'function postReversalEntry(order) {\n  return null;\n}\n');
    await testRun('m1', 't1', true);
    const again = await runHook(args, prompt('m1', 'the tests still fail'), env());
    assert.match(again, /The last test run failed/);
    assert.match(again, /payment provider times out/, 'the repair of the file being changed');
    assert.equal(await runHook(args, prompt('m1', 'and now?'), env()), '', 'once per failure');
    await testRun('m1', 't2', false);
    assert.equal(await runHook(args, prompt('m1', 'passing now, tidy up'), env()), '', 'the last run passed');
  });

  it('a socket left by a killed server does not block the hook; a new server takes its place', async () => {
    const text = 'Discount applied twice at checkout again';
    const first = await runHook(['claude-code', '--store', store()], prompt('k1', text), env({ DEJAFIX_WARM_IDLE_MS: '60000' }));
    await until(() => sockets().length === 1 && /listening/.test(log()));
    const pid = Number(
      execFileSync('sh', ['-c', `ps -eo pid,args | grep -- '--warm-server --store ${store()}' | grep -v grep | awk '{print $1}'`])
        .toString()
        .trim()
        .split('\n')[0],
    );
    assert.ok(pid > 0, 'the server runs as its own process');
    process.kill(pid, 'SIGKILL');
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(sockets().length, 1, 'a dead socket file is left behind');
    const again = await runHook(['claude-code', '--store', store()], prompt('k2', text), env({ DEJAFIX_WARM_IDLE_MS: '3000' }));
    assert.deepEqual(JSON.parse(again), JSON.parse(first));
    await until(() => (log().match(/listening/g) ?? []).length === 2);
    await until(() => /warm recall server stopped/.test(log()));
  });

  it('a socket that answers garbage, or DEJAFIX_HOOK_WARM=0, falls back to recalling in the hook itself', async () => {
    const off = await runHook(
      ['claude-code', '--store', store()],
      prompt('o1', 'Discount applied twice at checkout'),
      env({ DEJAFIX_HOOK_WARM: '0' }),
    );
    assert.match(off, /Discount applied twice/);
    await new Promise((r) => setTimeout(r, 1_000));
    assert.deepEqual(sockets(), [], 'no server started');
    // A squatter on the socket path that answers nonsense.
    const dir = join(warmDir(), `dejafix-${process.getuid!()}`);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const path = join(dir, 'squat.sock');
    const squatter = createServer((c) => c.end('not json\n'));
    await new Promise<void>((r) => squatter.listen(path, () => r()));
    try {
      assert.equal(
        await recallWarm(
          path,
          { t: 'open', at: '', folder: repo(), repo: 'shop', issue: { title: 'x', body: 'x' } },
          { budget: 500, minRelevance: 0.1 },
          5_000,
        ),
        UNAVAILABLE,
      );
    } finally {
      squatter.close();
    }
  });
});
