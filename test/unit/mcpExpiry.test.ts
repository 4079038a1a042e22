// Idle expiry of MCP repair sessions (issue 13 item 5): the real `dejafix mcp` server with the MCP
// SDK's client, a clock the test moves and a scheduler it runs by hand (no waiting on the wall
// clock). A session nothing was recorded in for the idle time is ended as abandoned, or dropped when
// it holds no attempt, at start and on each periodic sweep; its rows leave the disk; sessions still
// in use, and every session when expiry is off, stay open.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { StoreSessions } from '../../src/core/agent';
import { OpenSessions, OPEN_SESSIONS_TABLE } from '../../src/core/store/openSessions';
import { ExperienceStore } from '../../src/core/store/store';
import { parseExpiryHours, sweepInterval } from '../../src/mcp/sessionExpiry';
import { assertOneLine, runCli } from '../helpers/cli';
import { callTool, resourceText, resultText } from '../helpers/mcpMemory';
import { manualScheduler, stdioMcp, type StdioMcp } from '../helpers/stdioMcp';
import { storeBytes } from '../helpers/storeBytes';
import { useTempDir } from '../helpers/tmp';

const HOUR = 3_600_000;
const T0 = Date.parse('2026-03-02T09:00:00.000Z');

/** A clock the test sets. */
function clock(start = T0) {
  let t = start;
  return { now: () => new Date(t), set: (ms: number) => (t = ms) };
}

const openIds = (json: string) => (JSON.parse(json) as { sessions: { id: string }[] }).sessions.map((s) => s.id).sort();

async function openTable(dir: string) {
  const store = await ExperienceStore.open(dir, { mode: 'write' });
  return { store, table: await store.extraTable(OPEN_SESSIONS_TABLE) };
}

describe('MCP sessions: idle expiry', function () {
  this.timeout(300_000);
  const tmp = useTempDir();
  let mcp: StdioMcp | undefined;
  afterEach(async () => {
    await mcp?.stop();
    mcp = undefined;
  });

  it('at start: ends idle sessions as abandoned, drops empty ones, keeps recent ones; their rows leave the disk', async () => {
    const dir = join(tmp.path, 'store');
    // Three sessions written earlier by a server that has gone away, each at its own time.
    const c = clock(T0 - 30 * HOUR);
    const seed = await ExperienceStore.open(dir, { mode: 'write' });
    const earlier = new StoreSessions(seed, { now: c.now });
    const stale = await earlier.recordAttempt(
      {
        issue: { title: 'Stale parser crash', body: 'zebra-marker-stale body' },
        command: 'pytest -x',
        exitCode: 1,
        output: 'AssertionError zebra-marker-output',
        patch: '',
      },
      'agent:claude-code',
      { owner: 'agent:claude-code#gone' },
    );
    await earlier.recordAttempt({ session: stale.sessionId, command: 'pytest -x', exitCode: 1, output: 'still red', patch: '' }, 'agent:x');
    const empty = await new OpenSessions(seed).create({
      id: 'empty-session-1',
      repo: 'github.com/acme/app',
      issue: { title: 'Never started', body: 'quokka-marker-empty' },
      startedAt: new Date(T0 - 40 * HOUR).toISOString(),
      source: 'agent:codex',
      agent: 'agent:codex',
      updatedAt: new Date(T0 - 40 * HOUR).toISOString(),
    });
    c.set(T0 - 2 * HOUR);
    const recent = await earlier.recordAttempt(
      { issue: { title: 'Recent flaky test', body: 'still being worked on' }, command: 'npm test', exitCode: 1, output: 'red', patch: '' },
      'agent:cline',
    );
    seed.close();

    const scheduler = manualScheduler();
    mcp = await stdioMcp({ storeDir: dir, now: clock(T0).now, scheduler, allSessions: true });
    assert.deepEqual(openIds(await resourceText(mcp.client, 'dejafix://sessions')), [recent.sessionId]);
    assert.deepEqual(scheduler.intervals, [HOUR], 'checked again every hour with the default 24 h');
    const gone = await callTool(mcp.client, 'dejafix_record_attempt', { session: empty.id, command: 'x', exitCode: 0, patch: '' });
    assert.match(resultText(gone), /No open session "empty-session-1"/);
    await mcp.stop();
    mcp = undefined;
    assert.equal(scheduler.stopped, 1, 'the timer is stopped when the connection ends');

    const { store, table } = await openTable(dir);
    try {
      const episodes = [];
      for await (const batch of store.episodes()) episodes.push(...batch);
      assert.equal(episodes.length, 1, 'only the idle session with attempts became a past repair');
      const ep = episodes[0];
      assert.equal(ep.outcome, 'abandoned');
      assert.equal(ep.issue.title, 'Stale parser crash');
      assert.equal(ep.attempts.length, 2, 'its attempts are kept');
      assert.equal(ep.endedAt, new Date(T0 - 30 * HOUR).toISOString(), 'ended at its last activity');
      assert.ok(table);
      assert.equal(await table.countRows(`kind = 'session'`), 1);
      assert.equal(await table.countRows(`sessionId = '${stale.sessionId}'`), 0);
      assert.ok((await table.listVersions()).length <= 2, 'old versions of open_sessions were removed');
      const bytes = storeBytes(join(dir, `${OPEN_SESSIONS_TABLE}.lance`));
      assert.ok(bytes.includes('still being worked on'), 'the scan sees the open session it keeps');
      for (const marker of ['zebra-marker-stale', 'zebra-marker-output', 'quokka-marker-empty'])
        assert.ok(!bytes.includes(marker), `${marker} is gone from open_sessions`);
      assert.ok(!storeBytes(dir).includes('quokka-marker-empty'), 'the dropped session is nowhere in the store');
    } finally {
      store.close();
    }
  });

  it('periodically: a session its client left is ended after 24 idle hours; one still in use stays open', async () => {
    const dir = join(tmp.path, 'store');
    const c = clock();
    const scheduler = manualScheduler();
    mcp = await stdioMcp({ storeDir: dir, now: c.now, scheduler });
    const open = async (title: string) => {
      const r = await callTool(mcp!.client, 'dejafix_record_attempt', {
        issue: { title, body: `${title} body` },
        command: 'pytest',
        exitCode: 1,
        output: 'F',
        patch: '',
      });
      assert.equal(r.isError, undefined, resultText(r));
      return r.structuredContent?.sessionId as string;
    };
    const left = await open('Left behind');
    const used = await open('Still in use');

    c.set(T0 + 20 * HOUR);
    const more = await callTool(mcp.client, 'dejafix_record_attempt', { session: used, command: 'pytest', exitCode: 1, patch: '' });
    assert.equal(more.isError, undefined, resultText(more));

    c.set(T0 + 23 * HOUR);
    scheduler.tick();
    assert.deepEqual(openIds(await resourceText(mcp.client, 'dejafix://sessions')), [left, used].sort(), 'nothing is idle 24 h yet');

    c.set(T0 + 24 * HOUR + 60_000);
    scheduler.tick();
    assert.deepEqual(openIds(await resourceText(mcp.client, 'dejafix://sessions')), [used]);
    const late = await callTool(mcp.client, 'dejafix_record_outcome', { session: left, outcome: 'resolved' });
    assert.equal(late.isError, true);
    assert.match(resultText(late), new RegExp(`No open session "${left}"`));

    c.set(T0 + 44 * HOUR + 60_000);
    scheduler.tick();
    assert.deepEqual(openIds(await resourceText(mcp.client, 'dejafix://sessions')), [], 'the other one, 24 h after its last attempt');
    await mcp.stop();
    mcp = undefined;

    const { store } = await openTable(dir);
    try {
      const eps = [];
      for await (const b of store.episodes()) eps.push(...b);
      assert.deepEqual(eps.map((e) => `${e.issue.title}:${e.outcome}:${e.attempts.length}`).sort(), [
        'Left behind:abandoned:1',
        'Still in use:abandoned:2',
      ]);
    } finally {
      store.close();
    }
  });

  it('--session-expiry 0 keeps every session however long it idles; a short expiry checks more often', async () => {
    const dir = join(tmp.path, 'store');
    const c = clock();
    const off = manualScheduler();
    mcp = await stdioMcp({ storeDir: dir, now: c.now, scheduler: off, sessionExpiryHours: 0 });
    const r = await callTool(mcp.client, 'dejafix_record_attempt', {
      issue: { title: 'Kept', body: 'b' },
      command: 't',
      exitCode: 1,
      output: 'F',
      patch: '',
    });
    const id = r.structuredContent?.sessionId as string;
    await mcp.stop();
    assert.deepEqual(off.intervals, [], 'no timer at all');

    c.set(T0 + 10_000 * HOUR);
    mcp = await stdioMcp({ storeDir: dir, now: c.now, scheduler: manualScheduler(), sessionExpiryHours: 0, allSessions: true });
    assert.deepEqual(openIds(await resourceText(mcp.client, 'dejafix://sessions')), [id]);
    await mcp.stop();

    const half = manualScheduler();
    mcp = await stdioMcp({ storeDir: dir, now: c.now, scheduler: half, sessionExpiryHours: 0.5, allSessions: true });
    assert.deepEqual(openIds(await resourceText(mcp.client, 'dejafix://sessions')), [], 'ended at the next start');
    assert.deepEqual(half.intervals, [HOUR / 8], 'a quarter of the idle time');
  });

  it('a damaged store: the sweep logs one warning, the server keeps answering', async () => {
    const dir = join(tmp.path, 'not-a-store');
    const { writeFileSync, mkdirSync } = await import('node:fs');
    mkdirSync(dir);
    writeFileSync(join(dir, 'episodes.lance'), 'a file where a table folder belongs');
    const lines: string[] = [];
    const log = {
      debug: () => undefined,
      info: () => undefined,
      warn: (m: string) => lines.push(m),
      error: (_e: unknown, m?: string) => lines.push(String(m)),
    };
    const scheduler = manualScheduler();
    mcp = await stdioMcp({ storeDir: dir, now: clock().now, scheduler, log });
    const r = await callTool(mcp.client, 'dejafix_record_outcome', { outcome: 'abandoned' });
    assert.equal(r.isError, true);
    assert.match(resultText(r), /episodes table cannot be read .*dejafix doctor/);
    scheduler.tick();
    const again = await callTool(mcp.client, 'dejafix_record_outcome', { outcome: 'abandoned' });
    assert.equal(again.isError, true, 'still answering after a failed sweep');
    const sweeps = lines.filter((l) => /could not end idle open sessions/.test(l));
    assert.ok(sweeps.length >= 1, lines.join('\n'));
    for (const l of sweeps) assert.doesNotMatch(l, /\n|\.rs:\d+/, `one line, no Rust path: ${l}`);
  });
});

describe('dejafix mcp --session-expiry', function () {
  this.timeout(120_000);
  const tmp = useTempDir();

  it('refuses a value that is not 0-87600 hours with one line and exit 2, before touching the store', async () => {
    for (const bad of ['abc', '-1', '', '24h', '1e3', '87601', 'NaN', '9'.repeat(5000), '\u001b[31m5']) {
      const r = await runCli(['mcp', '--store', join(tmp.path, 'store'), '--session-expiry', bad]);
      assertOneLine(r, 2, /--session-expiry ".*" is not a number of hours from 0 to 87600/);
      assert.ok(r.stderr.length < 300, 'a huge value is not echoed whole');
      assert.equal(existsSync(join(tmp.path, 'store')), false);
    }
  });

  it('serves with a valid value and ends when the client goes away', async () => {
    const r = await runCli(['mcp', '--store', join(tmp.path, 'store'), '--embedder', 'none', '--session-expiry', '0.25'], { input: '' });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, '', 'nothing but protocol messages on stdout');
  });
});

describe('--session-expiry values', () => {
  it('accepts hours from 0 to ten years, nothing else', () => {
    for (const [text, h] of [
      ['24', 24],
      ['0', 0],
      ['0.5', 0.5],
      [' 72 ', 72],
      ['87600', 87_600],
    ] as const)
      assert.equal(parseExpiryHours(text), h, text);
    for (const bad of [
      '',
      ' ',
      '-1',
      'abc',
      '24h',
      '1e3',
      'NaN',
      'Infinity',
      '87601',
      '0x10',
      '1.',
      '.5',
      '9'.repeat(10_000),
      '2\n4',
      '１２',
    ])
      assert.equal(parseExpiryHours(bad), undefined, JSON.stringify(bad.slice(0, 20)));
  });

  it('checks at most hourly and at least once a minute', () => {
    assert.equal(sweepInterval(24 * HOUR), HOUR);
    assert.equal(sweepInterval(2 * HOUR), HOUR / 2);
    assert.equal(sweepInterval(1000), 60_000);
  });

  it('the real timer does not keep the process alive', () => {
    const probe = `require(${JSON.stringify(join(__dirname, '../../src/mcp/sessionExpiry.ts'))}).timerScheduler.every(3600000, () => {}); console.log('armed')`;
    const r = spawnSync(process.execPath, ['--require', 'tsx/cjs', '-e', probe], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.signal, null, 'the process had to be killed: the timer kept it alive');
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), 'armed');
  });
});
