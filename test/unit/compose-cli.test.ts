import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, runCli } from '../helpers/cli';
import { useTempDir } from '../helpers/tmp';
import { COMPOSE_FIXTURES, MEMORY, NOW, REPO } from '../fixtures/compose/store';

describe('dejafix compose', function () {
  this.timeout(300_000);
  const tmp = useTempDir();
  const store = () => join(tmp.path, 'store');
  const compose = (args: string[], input?: string) =>
    runCli(['compose', '--store', store(), '--embedder', 'none', '--now', NOW, ...args], { input });

  beforeEach(async () => {
    const imp = await runCli(['import', '--store', store(), '--embedder', 'none', MEMORY]);
    assert.equal(imp.code, 0, imp.stderr);
  });

  it('has --help naming the stages, the budget, --json and the store', async () => {
    const r = await runCli(['compose', '--help']);
    assert.equal(r.code, 0);
    const text = r.stdout.replace(/\s+/g, ' ');
    for (const s of [
      '--stage <stage>',
      'reproduce, fix, review, chat',
      '--budget <n>',
      '15% is kept in reserve',
      '--json',
      '--store <dir>',
      '"-" reads it from stdin',
    ])
      assert.ok(text.includes(s), s);
  });

  it('prints the same Markdown as the library for the same store and request (the golden file)', async () => {
    const r = await compose([
      '--stage',
      'reproduce',
      '--budget',
      '3000',
      '--min-relevance',
      '0',
      '--repo',
      REPO,
      '--title',
      'CSV export crashes for draft invoices',
      'TypeError when the date column is empty in the CSV export',
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, readFileSync(join(COMPOSE_FIXTURES, 'golden', 'reproduce.md'), 'utf8'));
    assert.match(r.stderr, /^trimmed: dropped demonstration demo-ep-03$/m);
  });

  it('reads the issue from stdin with "-", and prints Messages API parameters with --json', async () => {
    const issue = 'Invoice total_amount() in models.py is off by one cent\nwhen tax is rounded with float';
    const r = await compose(['--stage', 'fix', '--budget', '2500', '--json', '-'], issue);
    assert.equal(r.code, 0, r.stderr);
    const p = JSON.parse(r.stdout);
    assert.equal(typeof p.system, 'string');
    assert.deepEqual(Object.keys(p.messages[0]), ['role', 'content']);
    assert.equal(p.messages[0].role, 'user');
    assert.ok(p.messages[0].content.includes(issue));
    assert.ok(p.tokens <= p.limit && p.limit === 2125, JSON.stringify({ tokens: p.tokens, limit: p.limit }));
    assert.ok(p.used.episodes.includes('demo-ep-04'), 'the rounding repair is recalled');
  });

  it('includes workspace context from files', async () => {
    const err = join(tmp.path, 'err.txt');
    writeFileSync(err, 'Traceback (most recent call last):\nZeroDivisionError: division by zero\n');
    const r = await compose(['--stage', 'chat', '--k', '0', '--error-file', err, '--open-file', err, 'Crash in the report']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /<dejafix-workspace>\nOpen file `[^`]+err\.txt`:\n```\nTraceback[\s\S]*Error output:\n```\nTraceback/);
    assert.doesNotMatch(r.stdout, /<dejafix-memory/, '--k 0 shows no past repairs');
  });

  it('exits 1 with a warning, printing the whole issue, when the issue alone is over the budget', async () => {
    const issue = Array.from({ length: 600 }, (_, i) => `line ${i} of a very long issue about the CSV export`).join('\n');
    const r = await compose(['--stage', 'fix', '--budget', '500', '-'], issue);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /warning: the issue alone takes \d+ tokens, over the limit of 425 \(budget 500 less the 15% reserve\)/);
    assert.ok(r.stdout.includes(issue));
  });

  it('exits 2 on bad arguments and unreadable input, and 3 without a store', async () => {
    const cases: [string[], RegExp, string?][] = [
      [['x'], /required option '--stage <stage>' not specified/],
      [['--stage', 'deploy', 'x'], /unknown --stage deploy; use one of reproduce, fix, review, chat/],
      [['--stage', 'fix', '--budget', '10', 'x'], /--budget must be a whole number from 200 to 2000000/],
      [['--stage', 'fix', '--budget', '12abc', 'x'], /--budget must be a whole number/],
      [['--stage', 'fix', '--k', '11', 'x'], /--k must be a whole number from 0 to 10/],
      [['--stage', 'fix', '   '], /give the issue text/],
      [['--stage', 'fix', '-'], /give the issue text/, ''],
      [['--stage', 'fix', '--error-file', join(tmp.path, 'missing.txt'), 'x'], /cannot read --error-file .*missing\.txt/],
      [['--stage', 'fix', '--diff-file', tmp.path, 'x'], /--diff-file .* is not a file/],
    ];
    for (const [args, message, input] of cases) {
      const r = await compose(args, input);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, message, args.join(' '));
      assert.equal(r.stdout, '', 'nothing on stdout');
    }
    const badNow = await runCli(['compose', '--store', store(), '--stage', 'fix', '--now', 'soon', 'x']);
    assert.equal(badNow.code, 2);
    assert.match(badNow.stderr, /--now "soon" is not an ISO time/);
    const missing = await runCli(['compose', '--store', join(tmp.path, 'nowhere'), '--embedder', 'none', '--stage', 'fix', 'x']);
    assert.equal(missing.code, 3);
    assert.match(missing.stderr, /No Dejafix store/);
  });

  it('rejects stdin that is not UTF-8 or is too large', async () => {
    const bad = await runCli(['compose', '--store', store(), '--embedder', 'none', '--stage', 'fix', '-'], {
      input: Buffer.from([0x66, 0xff, 0xfe, 0x80]) as unknown as string,
    });
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /stdin is not valid UTF-8 text/);
    const huge = await hugeStdin(['compose', '--store', store(), '--embedder', 'none', '--stage', 'fix', '-'], 17 * 1024 * 1024);
    assert.equal(huge.code, 2);
    assert.match(huge.stderr, /stdin is over 16777216 bytes/);
    const file = join(tmp.path, 'huge.log');
    writeFileSync(file, '');
    truncateSync(file, 17 * 1024 * 1024);
    const big = await compose(['--stage', 'fix', '--error-file', file, 'x']);
    assert.equal(big.code, 2);
    assert.match(big.stderr, /--error-file .*huge\.log is 17825792 bytes; the limit is 16777216/);
  });
});

/** Runs the CLI with `size` bytes on stdin; the CLI stops reading at its limit, so EPIPE is expected here. */
function hugeStdin(args: string[], size: number): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.stdin.on('error', () => {});
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
    child.stdin.end(Buffer.alloc(size, 0x78));
  });
}
