// `dejafix eval` on real stores: the leave-future-out figures checked against an independent
// computation (the test's own brute-force protocol over `dejafix recall --batch`, the contract
// bench:recall uses), a hand-made memory whose every figure is known by hand, the demo memory as
// `npm start` seeds it (with the real embedding model), and every way it can have nothing to say.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EvalReport } from '../../src/core/eval/evaluate';
import { ExperienceStore } from '../../src/core/store';
import { assertOneLine, runCli } from '../helpers/cli';
import { makeEpisode, makeInsight } from '../helpers/records';
import { checkAgainstBatch, storeWith } from '../helpers/evalOracle';
import { useTempDir } from '../helpers/tmp';

const LITE = join(__dirname, '../../../shared/bench/swebench-lite.jsonl');
const DEMO = join(__dirname, '../../demo/memory.jsonl');

describe('dejafix eval', function () {
  this.timeout(300_000);
  const tmp = useTempDir();

  it('on SWE-bench Lite instances (four repositories) gives exactly the figures of the protocol computed independently', async () => {
    const keep = new Set(['matplotlib/matplotlib', 'psf/requests', 'pylint-dev/pylint', 'pytest-dev/pytest']);
    const lines = readFileSync(LITE, 'utf8')
      .trim()
      .split('\n')
      .filter((l) => keep.has((JSON.parse(l) as { repo: string }).repo));
    const file = join(tmp.path, 'lite.jsonl');
    writeFileSync(file, lines.join('\n'));
    const store = join(tmp.path, 'store');
    const imp = await runCli(['import', '--store', store, '--format', 'swebench', '--embedder', 'none', file]);
    assert.equal(imp.code, 0, imp.stderr);
    const report = await checkAgainstBatch(tmp.path, store, ['--embedder', 'none'], [0.15, 0.4]);
    // The fixture is not trivial: some queries find their relevant repair, and some have nothing relevant.
    assert.ok(report.unfiltered.relevantQueries >= 5 && report.unfiltered.noiseQueries >= 5, JSON.stringify(report.unfiltered));
    assert.ok(report.unfiltered.relevantShown > 0);
    assert.equal(report.episodes, lines.length);
    assert.equal(report.resolved, lines.length);
  });

  it('on a hand-made memory gives the figures worked out by hand, per repository and month, in text and JSON', async () => {
    const at = (d: string) => `${d}T10:00:00.000Z`;
    const store = await storeWith(join(tmp.path, 'store'), [
      makeEpisode({
        id: 'a1',
        repo: 'r/a',
        createdAt: at('2025-01-05'),
        files: ['src/parser.py', 'tests/test_parser.py'],
        issue: { title: 'Parser crashes on empty quoted field', body: 'parse_row raises IndexError' },
      }),
      makeEpisode({
        id: 'a2',
        repo: 'r/a',
        createdAt: at('2025-02-05'),
        files: ['src/parser.py'],
        issue: { title: 'Parser crashes on quoted field with newline', body: 'parse_row raises IndexError again' },
      }),
      // touches only the test file the first one touched: not relevant to anything (test files do not count)
      makeEpisode({
        id: 'a3',
        repo: 'r/a',
        createdAt: at('2025-02-20'),
        files: ['tests/test_parser.py', 'src/zebra.py'],
        issue: { title: 'Zebra stripes misaligned', body: 'stripes wobble' },
      }),
      makeEpisode({
        id: 'a4',
        repo: 'r/a',
        createdAt: at('2025-03-01'),
        outcome: 'failed',
        files: ['src/parser.py'],
        issue: { title: 'Parser slow', body: 'parse_row slow' },
      }),
      makeEpisode({
        id: 'b1',
        repo: 'r/b',
        createdAt: at('2025-01-01'),
        files: ['lib/only.go'],
        issue: { title: 'Lonely repository', body: 'first and only resolved' },
      }),
    ]);
    const e = await runCli(['eval', '--store', store, '--json', '--min-relevance', '0', '--embedder', 'none']);
    assert.equal(e.code, 0, e.stderr);
    const r = JSON.parse(e.stdout) as EvalReport;
    // Asked: a2 (history a1, relevant {a1}) and a3 (history a1, a2; nothing relevant). a1, b1 have no history; a4 failed.
    assert.equal(r.episodes, 5);
    assert.equal(r.resolved, 4);
    assert.equal(r.overall.queries, 2);
    assert.equal(r.overall.relevantQueries, 1);
    assert.equal(r.overall.noiseQueries, 1);
    // a2's words match a1: found (Recall@5 1). a3 shares no word with a1/a2: nothing shown (noise 0).
    assert.equal(r.overall.recall5, 1);
    assert.equal(r.overall.noise, 0);
    assert.equal(r.overall.shown, 1);
    assert.equal(r.overall.precision, 1);
    assert.deepEqual(
      r.repos.map((x) => [x.repo, x.queries]),
      [['r/a', 2]],
    );
    assert.deepEqual(
      r.months.map((x) => [x.month, x.queries, x.recall5, x.noise]),
      [['2025-02', 2, 1, 0]],
    );
    assert.equal(r.utility, null);
    const text = await runCli(['eval', '--store', store, '--min-relevance', '0', '--embedder', 'none']);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /Asked 2 resolved repairs as new issues/);
    assert.match(text.stdout, /Recall@5 \(relevant repair found\)\s+1\.000/);
    assert.match(text.stdout, /Precision \(results relevant\)\s+100\.0% \(1 of 1\)/);
    assert.match(text.stdout, /Noise \(results, nothing relevant\)\s+0\.00/);
    assert.match(text.stdout, /Feedback: none recorded yet\./);
    // --repo asks only that repository's episodes; r/b alone has nothing to ask.
    const a = JSON.parse((await runCli(['eval', '--store', store, '--json', '--repo', 'r/a', '--embedder', 'none'])).stdout) as EvalReport;
    assert.equal(a.repo, 'r/a');
    assert.equal(a.episodes, 4);
    assertOneLine(
      await runCli(['eval', '--store', store, '--repo', 'r/b', '--embedder', 'none']),
      2,
      /^dejafix: too few episodes to evaluate repository r\/b: none of the 1 resolved repairs has an earlier episode/,
    );
  });

  it('counts lesson votes when the store has them', async () => {
    const store = await storeWith(join(tmp.path, 'store'), [
      makeEpisode({ id: 'x1', createdAt: '2025-01-01T00:00:00.000Z' }),
      makeEpisode({ id: 'x2', createdAt: '2025-01-02T00:00:00.000Z' }),
    ]);
    const s = await ExperienceStore.open(store);
    try {
      await s.upsertInsights([
        makeInsight({ feedback: { helpful: 3, unhelpful: 1 } }),
        makeInsight({ feedback: { helpful: 0, unhelpful: 2 } }),
        makeInsight(),
      ]);
    } finally {
      s.close();
    }
    const r = JSON.parse((await runCli(['eval', '--store', store, '--json', '--embedder', 'none'])).stdout) as EvalReport;
    assert.deepEqual(r.utility, { lessons: { voted: 2, helpful: 3, unhelpful: 3 } });
    assert.match(
      (await runCli(['eval', '--store', store, '--embedder', 'none'])).stdout,
      /Feedback: 2 lessons voted on, 3 helpful, 3 not helpful\./,
    );
  });

  it('on the demo memory (real embedding model) reports the figures the protocol gives, and progress only on stderr', async () => {
    const store = join(tmp.path, 'store');
    const imp = await runCli(['import', '--store', store, '--shift-dates', new Date(Date.now() - 2 * 86_400_000).toISOString(), DEMO]);
    assert.equal(imp.code, 0, imp.stderr);
    const report = await checkAgainstBatch(tmp.path, store, [], [0.15]);
    const demo = readFileSync(DEMO, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { kind: string; outcome?: string });
    assert.equal(report.episodes, demo.filter((x) => x.kind === 'episode').length);
    assert.equal(report.resolved, demo.filter((x) => x.outcome === 'resolved').length);
    assert.ok(report.overall.queries >= 3, JSON.stringify(report.overall));
    const text = await runCli(['eval', '--store', store]);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stderr, /^eval: 0 of \d+ repairs asked$/m);
    assert.doesNotMatch(text.stdout, /eval: \d+ of/);
    assert.match(text.stdout, /By repository/);
  });

  it('says plainly why there is nothing to evaluate, in one line, and rejects bad options', async () => {
    const empty = await storeWith(join(tmp.path, 'empty'), []);
    assertOneLine(
      await runCli(['eval', '--store', empty, '--embedder', 'none']),
      2,
      /^dejafix: the memory holds no episodes: import or record some repairs first$/,
    );
    assertOneLine(
      await runCli(['eval', '--store', empty, '--repo', 'nope/nope', '--embedder', 'none']),
      2,
      /^dejafix: repository nope\/nope holds no episodes/,
    );
    const failed = await storeWith(join(tmp.path, 'failed'), [
      makeEpisode({ id: 'f1', outcome: 'failed' }),
      makeEpisode({ id: 'f2', outcome: 'abandoned', createdAt: '2025-01-01T00:00:00.000Z' }),
    ]);
    assertOneLine(
      await runCli(['eval', '--store', failed, '--embedder', 'none']),
      2,
      /^dejafix: the memory holds 2 episodes but none resolved/,
    );
    const lonely = await storeWith(join(tmp.path, 'lonely'), [
      makeEpisode({ id: 'l1', repo: 'a/a' }),
      makeEpisode({ id: 'l2', repo: 'b/b' }),
      makeEpisode({ id: 'l3', repo: 'c/c' }),
    ]);
    assertOneLine(
      await runCli(['eval', '--store', lonely, '--embedder', 'none']),
      2,
      /^dejafix: too few episodes to evaluate the memory: none of the 3 resolved repairs/,
    );
    for (const bad of ['-0.1', '1.5', 'high', '', 'NaN', 'x'.repeat(5000)]) {
      assertOneLine(
        await runCli(['eval', '--store', lonely, '--min-relevance', bad, '--embedder', 'none']),
        2,
        /^dejafix: --min-relevance .* is not a number from 0 to 1$/,
      );
    }
    assertOneLine(
      await runCli(['eval', '--store', lonely, '--repo', '  ', '--embedder', 'none']),
      2,
      /^dejafix: --repo must not be empty$/,
    );
    assertOneLine(await runCli(['eval', '--store', join(tmp.path, 'missing'), '--embedder', 'none']), 3, /^dejafix: /);
  });
});
