// Malformed, empty, huge and hostile transcripts and trajectories: bad parts are reported, good
// parts imported, secrets never reach the store, oversized output is clipped.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Episode } from '../../src/core/model';
import { ExperienceStore, LIMITS } from '../../src/core/store';
import { documentFormat, importDocuments, type DocumentFormatName } from '../../src/core/ingest';
import { useTempDir } from '../helpers/tmp';

const FIX = join(__dirname, '../fixtures');
const SESSION_A = join(FIX, 'claude-code/-home-dev-ledger/5b1c2d3e-0000-4000-8000-00000000000a.jsonl');
const TRAJ = join(FIX, 'sweagent/acme__ledger-101.traj');
const HUGE = 50 * 1024 * 1024;
// Built at run time so no secret-shaped string sits in the repository.
const TOKEN = ['ghp', '_', 'R8d2Kq9ZxV4mT7wLp3NcYb6HsJ1fGa0EuQ5o'].join('');
const DB_URL = `postgres://admin:${'Hunter2Sup3rS3cret'}@db.internal:5432/ledger`;

function event(type: string, content: unknown, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    type,
    sessionId: 'hostile',
    cwd: '/w/app',
    timestamp: '2025-07-01T00:00:00.000Z',
    message: { role: type, content },
    ...extra,
  });
}
const bash = (id: string, command: string) => event('assistant', [{ type: 'tool_use', id, name: 'Bash', input: { command } }]);
const result = (id: string, content: string, isError = false) =>
  event('user', [{ type: 'tool_result', tool_use_id: id, content, is_error: isError }]);

describe('importers: malformed, huge and hostile input', () => {
  const tmp = useTempDir();
  let store: ExperienceStore;
  beforeEach(async () => {
    store = await ExperienceStore.open(join(tmp.path, 'store'));
  });
  afterEach(() => store.close());

  const run = async (format: DocumentFormatName, path: string) => importDocuments(store, path, (await documentFormat(format)).format);
  const only = async (): Promise<Episode> => {
    const all: Episode[] = [];
    for await (const b of store.episodes()) all.push(...b);
    assert.equal(all.length, 1);
    return all[0];
  };

  it('claude-code: reports bad lines by number and imports the rest of the session', async () => {
    const good = readFileSync(SESSION_A, 'utf8').trim().split('\n');
    const bad = [
      '{"type": "user", "message": {"role": "user", "content": "trunc',
      '{"type": 5}',
      '[1, 2, 3]',
      event('user', 42),
      event('assistant', [
        { type: 'tool_use', id: 'x1', name: 'Edit', input: { file_path: 7, old_string: null } },
        { type: 'tool_use', id: 'x2', name: 'MultiEdit', input: { file_path: '/w/app/a', edits: 'nope' } },
      ]),
      result('x1', 'ok'),
      result('x2', 'ok'),
      result('unknown-id', 'nobody asked'),
    ];
    const file = join(tmp.path, 'mixed.jsonl');
    const junk = Buffer.from([0xff, 0xfe, 0x00, 0x9c, 0x80, 0x0a]);
    writeFileSync(
      file,
      Buffer.concat([
        Buffer.from(`${good.slice(0, 4).join('\n')}\n${bad.join('\n')}\n`),
        junk,
        Buffer.from(`${good.slice(4).join('\n')}\n`),
      ]),
    );
    const r = await run('claude-code', file);
    assert.deepEqual(
      r.problems.map((p) => p.line),
      [5, 6, 7, 8, 13],
    );
    assert.match(r.problems[0].reason, /not valid JSON/);
    assert.match(r.problems[1].reason, /not a valid Claude Code transcript event: type/);
    assert.match(r.problems[2].reason, /expected a JSON object/);
    assert.match(r.problems[4].reason, /invalid UTF-8/);
    const e = await only();
    assert.deepEqual(
      e.attempts.map((a) => a.outcome),
      ['failed', 'passed'],
    );
    assert.deepEqual(e.files, ['ledger/report.py', 'tests/test_empty.py']);
  });

  it('claude-code: an empty file, a binary file and a transcript without a prompt are reported, not imported', async () => {
    const dir = join(tmp.path, 'p');
    mkdirSync(dir);
    writeFileSync(join(dir, 'empty.jsonl'), '');
    writeFileSync(join(dir, 'binary.jsonl'), Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)));
    writeFileSync(join(dir, 'noprompt.jsonl'), `${bash('b1', 'pytest')}\n${result('b1', '1 passed in 0.1s')}\n`);
    symlinkSync(dir, join(dir, 'loop'));
    const r = await run('claude-code', dir);
    assert.equal(r.filesFound, 3, 'the symbolic link back to the folder is not followed');
    assert.equal(r.filesImported, 0);
    assert.equal(await store.count('episodes'), 0);
    const reasons = r.problems.map((p) => p.reason).join('\n');
    assert.match(reasons, /the file is empty/);
    assert.match(reasons, /no readable transcript events/);
    assert.match(reasons, /no prompt from a person/);
  });

  it('claude-code: clips a 50 MB test output and redacts secrets before anything is stored', async () => {
    const file = join(tmp.path, 's.jsonl');
    const output = `${'x'.repeat(HUGE)}\nFAILED tests/test_db.py::test_connect - could not connect to ${DB_URL}\n1 failed in 2.0s`;
    const lines = [
      event('user', `Deploy fails. My token is ${TOKEN}, the database is ${DB_URL}`),
      event('assistant', [
        { type: 'tool_use', id: 'w1', name: 'Write', input: { file_path: '/w/app/.env', content: `GITHUB_TOKEN=${TOKEN}\n` } },
      ]),
      event('user', [{ type: 'tool_result', tool_use_id: 'w1', content: 'File created' }], {
        toolUseResult: { type: 'create', filePath: '/w/app/.env', content: '', originalFile: null },
      }),
      bash('b1', `DATABASE_URL=${DB_URL} pytest tests/test_db.py`),
      result('b1', `Exit code 1\n${output}`, true),
    ];
    writeFileSync(file, `${lines.join('\n')}\n`);
    const r = await run('claude-code', file);
    assert.deepEqual(r.problems, []);
    const e = await only();
    const stored = JSON.stringify(e);
    assert.ok(!stored.includes(TOKEN), 'the token is redacted everywhere');
    assert.ok(!stored.includes('Hunter2Sup3rS3cret'), 'the database password is redacted everywhere');
    assert.ok(r.notes.some((n) => /redacted/.test(n)));
    const a = e.attempts[0];
    assert.ok(a.outputTail.length < LIMITS.outputTail + 200, `outputTail is ${a.outputTail.length} characters`);
    assert.match(a.outputTail, /truncated by Dejafix/);
    assert.match(a.outputTail, /1 failed in 2\.0s$/, 'the tail is kept');
    assert.deepEqual([a.exitCode, a.outcome, e.outcome], [1, 'failed', 'failed']);
    assert.ok(
      r.notes.some((n) => /outputTail is 50\.0 M chars/.test(n)),
      r.notes.join('\n'),
    );
  });

  it('sweagent-traj: truncated, mistyped, binary, empty and non-object files are reported; good ones imported', async () => {
    const dir = join(tmp.path, 't');
    mkdirSync(dir);
    const text = readFileSync(TRAJ, 'utf8');
    writeFileSync(join(dir, 'good__repo-1.traj'), text);
    writeFileSync(join(dir, 'truncated__repo-2.traj'), text.slice(0, text.length / 2));
    writeFileSync(join(dir, 'mistyped__repo-3.traj'), JSON.stringify({ trajectory: 'steps', info: { submission: 5 } }));
    writeFileSync(join(dir, 'binary__repo-4.traj'), Buffer.from([0x7b, 0xff, 0xfe, 0x00, 0x01]));
    writeFileSync(join(dir, 'empty__repo-5.traj'), '');
    writeFileSync(join(dir, 'array__repo-6.traj'), '[1, 2]');
    writeFileSync(join(dir, 'step__repo-7.traj'), JSON.stringify({ trajectory: [{ action: ['rm', '-rf'], observation: 3 }] }));
    const r = await run('sweagent-traj', dir);
    const why = Object.fromEntries(r.problems.map((p) => [p.file.slice(dir.length + 1), p.reason]));
    assert.match(why['truncated__repo-2.traj'], /not valid JSON/);
    assert.match(why['mistyped__repo-3.traj'], /not a valid SWE-agent trajectory: trajectory: /);
    assert.match(why['binary__repo-4.traj'], /not UTF-8 text/);
    assert.match(why['empty__repo-5.traj'], /the file is empty/);
    assert.match(why['array__repo-6.traj'], /not a valid SWE-agent trajectory/);
    assert.match(why['step__repo-7.traj'], /trajectory\.0\.action/);
    assert.deepEqual([r.filesFound, r.filesImported], [7, 1]);
    assert.equal((await only()).sourceId, 'good__repo-1');
  });

  it('sweagent-traj: reads a trajectory of 4,000 steps, each run an attempt', async () => {
    const t = JSON.parse(readFileSync(TRAJ, 'utf8'));
    t.trajectory = Array.from({ length: 4000 }, (_, k) =>
      k % 2
        ? {
            action: `python reproduce_${k}.py\n`,
            observation: k % 4 === 1 ? 'Traceback (most recent call last):\nValueError: no\n' : 'ok\n',
          }
        : { action: 'open ledger/report.py\n', observation: '' },
    );
    const file = join(tmp.path, 'long__repo-3.traj');
    writeFileSync(file, JSON.stringify(t));
    await run('sweagent-traj', file);
    const e = await only();
    assert.equal(e.attempts.length, 2000);
    assert.deepEqual(
      e.attempts.slice(0, 2).map((a) => [a.command, a.outcome]),
      [
        ['python reproduce_1.py', 'failed'],
        ['python reproduce_3.py', 'unknown'],
      ],
    );
    assert.ok(
      e.attempts.every((a) => a.patch === t.info.submission),
      'only looking around between the runs',
    );
  });

  it('sweagent-traj: clips a 50 MB observation and redacts secrets in observations, submission and issue', async () => {
    const t = JSON.parse(readFileSync(TRAJ, 'utf8'));
    t.trajectory[2].observation = `${'y'.repeat(HUGE)}\nconnecting to ${DB_URL}\nTraceback (most recent call last):\nZeroDivisionError: division by zero\n`;
    t.info.submission += `diff --git a/.env b/.env\n--- a/.env\n+++ b/.env\n@@ -0,0 +1 @@\n+TOKEN=${TOKEN}\n`;
    t.history[1].content = t.history[1].content.replace('ISSUE:\n', `ISSUE:\nToken ${TOKEN} leaks\n`);
    const file = join(tmp.path, 'big__repo-9.traj');
    writeFileSync(file, JSON.stringify(t));
    const r = await run('sweagent-traj', file);
    assert.deepEqual(r.problems, []);
    const e = await only();
    const stored = JSON.stringify(e);
    assert.ok(!stored.includes(TOKEN) && !stored.includes('Hunter2Sup3rS3cret'));
    assert.ok(e.attempts[0].outputTail.length < LIMITS.outputTail + 200);
    assert.match(e.attempts[0].outputTail, /ZeroDivisionError: division by zero\n$/);
    assert.equal(e.attempts[0].outcome, 'failed');
  });
});
