import assert from 'node:assert/strict';
import { getTokenizer } from '@anthropic-ai/tokenizer';
import { composeFrom, limitFor, stages, TOKENIZER_SAFETY_MARGIN, type ComposeRequest, type Stage } from '../../src/core/compose';
import { outputStep, patchStep } from '../../src/core/compose/budget';
import { FRAMING_TOKENS } from '../../src/core/compose/tokens';
import { cutPatch, headTail, OUTPUT_LEVELS, PATCH_LEVELS } from '../../src/core/compose/trim';
import { bigOutput, bigPatch, bigRecalled } from '../fixtures/compose/big';

const NOW = '2026-04-01T00:00:00.000Z';
const tokenizer = getTokenizer();
/** An independent count of what would be sent (the tokenizer package itself, not the code under test). */
const count = (s: string) => tokenizer.encode(s.normalize('NFKC'), [], []).length;

const issue = {
  title: 'Monthly report crashes when a customer has no rows',
  body: 'Running the monthly report for a customer without invoices fails:\n\nTypeError: object of type NoneType has no len()\n\nExpected an empty report with a zero total. This started after the report refactoring last week.',
  repo: 'github.com/acme/big',
};
const workspace = {
  errorOutput: bigOutput(3000, 'err'),
  openFile: { path: 'app/report.py', text: bigOutput(1500, 'src') },
  selection: bigOutput(40, 'sel'),
  diff: bigPatch('app/report.py', 12, 30),
};

const BUDGETS = [500, 600, 800, 1000, 1500, 2000, 3000, 5000, 8000, 13000, 21000, 34000, 55000, 100000];

describe('compose: token budget', function () {
  this.timeout(300_000);

  it(`keeps a ${TOKENIZER_SAFETY_MARGIN * 100}% reserve for the tokenizer mismatch`, () => {
    assert.equal(limitFor(8000), 6800);
    assert.equal(limitFor(500), 425);
  });

  for (const stage of stages) {
    it(`${stage}: never over budget from 500 to 100k tokens, and the issue always survives whole`, async () => {
      const recalled = bigRecalled();
      let previous = -1;
      for (const budget of BUDGETS) {
        const p = await composeFrom(recalled, { stage, issue, workspace, budget }, { now: NOW });
        const sent = count(p.system) + count(p.messages[0].content) + FRAMING_TOKENS;
        assert.equal(p.overBudget, false, `budget ${budget}`);
        assert.ok(sent <= p.limit && p.tokens <= p.limit, `budget ${budget}: ${sent} tokens (reported ${p.tokens}) > limit ${p.limit}`);
        assert.ok(p.limit < budget);
        assert.ok(
          p.messages[0].content.includes(issue.body) && p.messages[0].content.includes(`Title: ${issue.title}`),
          `budget ${budget}: the issue was cut`,
        );
        assert.ok(p.tokens >= previous, `a larger budget never gives a smaller prompt (${budget})`);
        previous = p.tokens;
        if (p.trimmed.patchesCut || p.trimmed.outputsShortened) assert.match(p.markdown, /\[\d+ lines omitted\]/);
      }
      // The largest budget holds every demonstration the stage can show.
      const roomy = await composeFrom(recalled, { stage, issue, workspace, budget: 2_000_000 }, { now: NOW });
      assert.equal(roomy.trimmed.steps.length, 0);
      assert.equal(roomy.used.episodes.length, 3);
    });
  }

  it('trims in the fixed order: lowest-ranked demonstrations, then patches and outputs level by level, then the last demonstration, lessons, workspace', async () => {
    const rank = (step: string, afterCuts: boolean) => {
      if (/^dropped demonstration/.test(step)) return afterCuts ? 100 : 0;
      const p = PATCH_LEVELS.findIndex((_, l) => l > 0 && step === patchStep(l));
      if (p > 0) return 2 * p - 1;
      const o = OUTPUT_LEVELS.findIndex((_, l) => l > 0 && step === outputStep(l));
      if (o > 0) return 2 * o;
      return /^dropped lesson/.test(step) ? 101 : /^dropped the workspace/.test(step) ? 102 : -1;
    };
    for (const budget of BUDGETS) {
      const p = await composeFrom(bigRecalled(), { stage: 'fix', issue, workspace, budget }, { now: NOW });
      let last = 0;
      for (const step of p.trimmed.steps) {
        const r = rank(step, last > 0);
        assert.notEqual(r, -1, step);
        assert.ok(r >= last, `budget ${budget}: "${step}" came after a later kind of step: ${p.trimmed.steps.join(' | ')}`);
        last = r;
      }
      // Lowest-ranked first: what is left is always a prefix of the ranking.
      assert.deepEqual(p.used.episodes, ['big-1', 'big-2', 'big-3'].slice(0, p.used.episodes.length));
      assert.deepEqual(p.trimmed.demonstrations, ['big-3', 'big-2', 'big-1'].slice(0, 3 - p.used.episodes.length));
    }
    const tight = await composeFrom(
      bigRecalled(),
      { stage: 'fix', issue: { ...issue, body: bigOutput(12, 'issue') }, workspace, budget: 500 },
      { now: NOW },
    );
    assert.equal(tight.overBudget, false);
    assert.deepEqual(tight.used, { episodes: [], insights: [] });
    assert.equal(tight.trimmed.workspace, true);
    // Lessons shown for fix: big-in-0 (fix), 3 (general), 4 (fix), 5 (general); the lowest-ranked goes first.
    assert.deepEqual(tight.trimmed.steps.slice(-6), [
      'dropped demonstration big-1',
      'dropped lesson big-in-5',
      'dropped lesson big-in-4',
      'dropped lesson big-in-3',
      'dropped lesson big-in-0',
      'dropped the workspace context',
    ]);
  });

  it('marks the prompt overBudget, with the whole issue and nothing else, when the issue alone is too long', async () => {
    const long = { ...issue, body: bigOutput(400, 'issue') };
    const p = await composeFrom(bigRecalled(), { stage: 'fix', issue: long, workspace, budget: 1000 }, { now: NOW });
    assert.equal(p.overBudget, true);
    assert.ok(p.tokens > p.limit);
    assert.ok(p.messages[0].content.includes(long.body));
    assert.deepEqual(p.used, { episodes: [], insights: [] });
    assert.equal(p.trimmed.workspace, true);
    assert.doesNotMatch(p.messages[0].content, /<dejafix-memory|<dejafix-workspace/);
  });

  it('cuts a patch by hunk, keeping every file header, and says how many lines it left out', () => {
    const patch = `${bigPatch('a.py', 3, 50)}\n${bigPatch('b.py', 2, 10)}`;
    const cut = cutPatch(patch, { hunkLines: 6, hunks: 2, lineChars: 200 });
    assert.ok(cut.includes('diff --git a/a.py b/a.py') && cut.includes('diff --git a/b.py b/b.py') && cut.includes('+++ b/b.py'));
    assert.equal((cut.match(/^@@ /gm) ?? []).length, 2, 'two hunks kept');
    const omitted = [...cut.matchAll(/\[(\d+) lines? omitted\]/g)].map((m) => Number(m[1]));
    const cutLines = cut.split('\n');
    const firstHunk = cutLines.slice(4, cutLines.indexOf(cutLines.filter((l) => l.startsWith('@@'))[1]));
    assert.deepEqual(
      firstHunk.filter((l) => !l.startsWith('[')).map((l) => l[0]),
      ['-', '+', '-', '+', '-', '+'],
      'changed lines are kept before context',
    );
    assert.ok(
      cut.split('\n').every((l) => !l.startsWith(' ')),
      'no context line while changed lines were left out',
    );
    const kept = cut.split('\n').filter((l) => !/^\[\d+ lines? omitted\]$/.test(l)).length;
    assert.equal(kept + omitted.reduce((a, b) => a + b, 0), patch.split('\n').length, 'every line is kept or counted');
    assert.ok(omitted.length > 3);
    assert.equal(cutPatch(patch, { hunkLines: Infinity, hunks: Infinity, lineChars: Infinity }), patch);
  });

  it('keeps a removed "--- " line inside a hunk as a body line, not a file header', () => {
    const patch =
      'diff --git a/x.sql b/x.sql\n--- a/x.sql\n+++ b/x.sql\n@@ -1,4 +1,3 @@\n--- old comment\n+-- new comment\n keep\n keep2\n keep3';
    assert.equal(
      cutPatch(patch, { hunkLines: 1, hunks: 5, lineChars: 200 }),
      'diff --git a/x.sql b/x.sql\n--- a/x.sql\n+++ b/x.sql\n@@ -1,4 +1,3 @@\n--- old comment\n[4 lines omitted]',
    );
  });

  it('shortens outputs to head and tail (most of it from the tail, where errors are), and long lines by characters', () => {
    const out = headTail(bigOutput(100), { lines: 10, lineChars: 500 });
    const lines = out.split('\n');
    assert.equal(lines.length, 11);
    assert.equal(lines[3], '[90 lines omitted]');
    assert.match(lines[0], /^log 0:/);
    assert.match(lines[10], /^log 99:/);
    const wide = headTail('x'.repeat(10_000), { lines: 4, lineChars: 100 });
    assert.equal(wide, `${'x'.repeat(100)} [9900 characters omitted]`);
  });

  it('fits a single 2-million-character line of output', async () => {
    const recalled = bigRecalled();
    recalled.episodes[0].episode.attempts[0].outputTail = 'E'.repeat(2_000_000);
    const p = await composeFrom(
      recalled,
      { stage: 'fix' as Stage, issue, workspace: { errorOutput: 'W'.repeat(1_000_000) }, budget: 3000 } satisfies ComposeRequest,
      { now: NOW },
    );
    assert.equal(p.overBudget, false);
    assert.ok(p.tokens <= p.limit);
    assert.match(p.messages[0].content, /characters omitted\]/);
  });
});
