// Memory Health in the real panel bundle in headless Chromium, under the panel's content security
// policy: opened from the panel or by the command (`health.open`), measured with a progress bar
// and a Cancel that work from the keyboard, and the report of the real eval use case — on the demo
// memory and on SWE-bench Lite repositories, each computed here from a real LanceDB store — drawn
// as figures, an SVG chart by month and tables, with memory content (repository names) as text.
// With DEJAFIX_SCREENSHOT_DIR set, saves memory-health.png for the README.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evaluateMemory } from '../../src/core/eval/evaluate';
import { importLines, lineParser, recentDatesParser } from '../../src/core/ingest';
import { ExperienceStore } from '../../src/core/store';
import type { HealthView } from '../../src/shared/health';
import { demoState } from './fixtures/demoState';
import { openPanel, startSession, type Panel, type Session } from './harness/browser';

const DEMO = join(__dirname, '../../demo/memory.jsonl');
const LITE = join(__dirname, '../../../shared/bench/swebench-lite.jsonl');

async function reportOf(dir: string, file: string, format: 'jsonl' | 'swebench'): Promise<HealthView> {
  const store = await ExperienceStore.open(join(dir, format));
  try {
    const { parse } = await lineParser(format);
    const p = format === 'jsonl' ? await recentDatesParser(file, parse, new Date()) : parse;
    assert.equal((await importLines(store, file, p)).errors, 0);
    return await evaluateMemory(store, { minRelevance: 0.15 });
  } finally {
    store.close();
  }
}

const pct = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(0)}%`);
const num = (x: number | null, d: number) => (x === null ? '—' : x.toFixed(d));
/** The chart's periods worked out here: months, else quarters, else years, when there are more than 24. */
function periods(months: HealthView['months']): { label: string; recall5: number | null; precision: number | null }[] {
  const keys = [(m: string) => m, (m: string) => `${m.slice(0, 4)} Q${Math.ceil(Number(m.slice(5, 7)) / 3)}`, (m: string) => m.slice(0, 4)];
  const key = keys.find((k, i) => i === 2 || new Set(months.map((m) => k(m.month))).size <= 24)!;
  const labels = [...new Set(months.map((m) => key(m.month)))];
  return labels.map((label) => {
    const ms = months.filter((m) => key(m.month) === label);
    let rq = 0,
      r = 0,
      shown = 0,
      good = 0;
    for (const m of ms) {
      rq += m.relevantQueries;
      r += (m.recall5 ?? 0) * m.relevantQueries;
      shown += m.shown;
      good += m.relevantShown;
    }
    return { label, recall5: rq ? r / rq : null, precision: shown ? good / shown : null };
  });
}

const ACTIVE = `(() => { const el = document.activeElement; return el ? (el.getAttribute('aria-label') ?? el.textContent ?? '').trim() : ''; })()`;

describe('Memory Health view (Chromium)', function () {
  this.timeout(180_000);
  let session: Session;
  let panel: Panel;
  let dir: string;
  let demo: HealthView;
  let lite: HealthView;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dejafix-health-ui-'));
    demo = await reportOf(dir, DEMO, 'jsonl');
    const keep = new Set(['matplotlib/matplotlib', 'psf/requests', 'pylint-dev/pylint', 'pytest-dev/pytest', 'sphinx-doc/sphinx']);
    const file = join(dir, 'lite.jsonl');
    writeFileSync(
      file,
      readFileSync(LITE, 'utf8')
        .trim()
        .split('\n')
        .filter((l) => keep.has((JSON.parse(l) as { repo: string }).repo))
        .join('\n'),
    );
    lite = await reportOf(dir, file, 'swebench');
    session = await startSession();
  });
  after(async () => {
    await session?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    panel = await openPanel(session, { width: 440, height: 1400 });
    await panel.send({ type: 'state', state: demoState() });
  });
  afterEach(async () => {
    assert.deepEqual(await panel.violations(), [], 'content security policy violations');
    await panel.page.close();
  });

  async function openWithKeyboard(): Promise<string> {
    const { page } = panel;
    const opener = page.getByRole('button', { name: 'Memory Health' });
    await opener.focus();
    assert.equal(await opener.getAttribute('aria-expanded'), 'false');
    await page.keyboard.press('Enter');
    const run = await panel.waitForPosted('health.run');
    assert.match(run.requestId, /^health-/);
    assert.equal(await page.evaluate<string>(ACTIVE), 'Memory Health', 'the focus moves to the view');
    return run.requestId;
  }

  it('is one Tab stop away when closed, opens from the keyboard, shows progress, and Cancel works from the keyboard', async () => {
    const { page } = panel;
    await page.evaluate('(document.activeElement && document.activeElement.blur(), 0)');
    const stops: string[] = [];
    for (let i = 0; i < 60 && !stops.includes('Memory Health'); i++) {
      await page.keyboard.press('Tab');
      stops.push(await page.evaluate<string>(ACTIVE));
    }
    assert.ok(stops.includes('Memory Health'), `Tab never reached Memory Health: ${stops.join(' | ')}`);
    const requestId = await openWithKeyboard();
    await panel.send({ type: 'health.progress', requestId, done: 3, total: 12 });
    assert.equal(await page.locator('.health-progress-text').textContent(), '3 of 12 repairs asked');
    assert.equal(
      await page
        .locator('.health progress')
        .evaluate((p) => `${(p as unknown as { value: number }).value}/${(p as unknown as { max: number }).max}`),
      '3/12',
    );
    // A progress message of another (older) run changes nothing.
    await panel.send({ type: 'health.progress', requestId: 'health-old-1', done: 11, total: 12 });
    assert.equal(await page.locator('.health-progress-text').textContent(), '3 of 12 repairs asked');
    await page.getByRole('button', { name: 'Cancel measuring' }).focus();
    await page.keyboard.press('Enter');
    assert.deepEqual(await panel.waitForPosted('health.cancel'), { type: 'health.cancel', requestId });
    await panel.send({ type: 'health.error', requestId, problem: 'cancelled', message: 'Stopped.' });
    assert.equal((await page.locator('.health .reason').textContent())?.trim(), 'Stopped.');
    // Close gives the focus back to the opener, and closing cancels nothing more (nothing runs).
    await page.getByRole('button', { name: 'Close Memory Health' }).click();
    assert.equal(await page.evaluate<string>(ACTIVE), 'Memory Health');
    assert.equal((await panel.posted()).filter((m) => m.type === 'health.cancel').length, 1);
  });

  for (const which of ['demo', 'lite'] as const) {
    it(`draws the real report of the ${which === 'demo' ? 'demo memory' : 'SWE-bench Lite repositories'}: figures, chart by month, repositories`, async () => {
      const r = which === 'demo' ? demo : lite;
      const { page } = panel;
      const requestId = await openWithKeyboard();
      await panel.send({ type: 'health.result', requestId, report: r });
      // The message is delivered as a window message: the table is drawn after send() returns.
      const first = num(r.overall.recall5, 2);
      await page
        .locator('.health-figures tbody tr:first-child td:first-of-type')
        .filter({ hasText: new RegExp(`^${first.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) })
        .waitFor();
      const cells = await page
        .locator('.health-figures tbody tr')
        .evaluateAll((rows) => rows.map((row) => [...row.querySelectorAll('td')].map((td) => td.textContent)));
      assert.deepEqual(cells, [
        [num(r.overall.recall5, 2), num(r.unfiltered.recall5, 2)],
        [
          `${pct(r.overall.precision)} (${r.overall.relevantShown}/${r.overall.shown})`,
          `${pct(r.unfiltered.precision)} (${r.unfiltered.relevantShown}/${r.unfiltered.shown})`,
        ],
        [num(r.overall.noise, 2), num(r.unfiltered.noise, 2)],
      ]);
      assert.match(
        (await page.locator('.health-summary').textContent()) ?? '',
        new RegExp(
          `^Asked ${r.overall.queries} past repairs .* ${r.overall.relevantQueries} had a relevant earlier repair, ${r.overall.noiseQueries} had none\\.$`,
        ),
      );
      const chart = page.getByRole('img', { name: /^Recall@5 and precision by (month|quarter|year)/ });
      const ps = periods(r.months);
      assert.equal(await chart.getAttribute('data-periods'), String(ps.length));
      assert.deepEqual(await page.locator('.health-chart text.axis').allTextContents(), [
        '0%',
        '50%',
        '100%',
        ...new Set([ps[0].label, ps[ps.length - 1].label]),
      ]);
      const values = (k: 'recall5' | 'precision') => ps.filter((m) => m[k] !== null).length;
      assert.equal(await page.locator('.health-chart circle.series-recall').count(), values('recall5'));
      assert.equal(await page.locator('.health-chart circle.series-precision').count(), values('precision'));
      // Each point's height is its value on the 0–100% scale (y = 8 at 100%, 128 at 0%).
      const ys = await page
        .locator('.health-chart circle.series-precision')
        .evaluateAll((cs) => cs.map((c) => Number(c.getAttribute('cy'))));
      assert.deepEqual(
        ys.map((y) => Math.round(((128 - y) / 120) * 100)),
        ps.filter((m) => m.precision !== null).map((m) => Math.round(m.precision! * 100)),
      );
      const repos = await page.locator('.health-table').last().locator('tbody th').allTextContents();
      assert.deepEqual(
        repos,
        r.repos.slice(0, 10).map((x) => x.repo),
      );
      assert.equal(await page.locator('.health-feedback').textContent(), 'Feedback: none recorded yet.');
      // Hidden or reloaded (no retained context), the open view comes back with its report, without measuring again.
      await panel.clearPosted();
      await page.waitForTimeout(400); // past the panel's save delay
      await page.reload();
      await page.locator('.health-figures').waitFor();
      assert.equal(
        await page.locator('.health-summary').textContent(),
        `Asked ${r.overall.queries} past repairs as new issues against the older memory (${r.episodes} episodes, ${r.resolved} resolved): ${r.overall.relevantQueries} had a relevant earlier repair, ${r.overall.noiseQueries} had none.`,
      );
      assert.equal((await panel.posted()).filter((m) => m.type === 'health.run').length, 0);
      // The repairs asked again after a failed attempt: the demo memory has such attempts, the Lite import none.
      const mid = page.locator('.health-midrepair');
      if (which === 'demo') assert.ok(r.midRepair, 'the demo memory has failed attempts');
      if (r.midRepair)
        assert.match((await mid.textContent()) ?? '', new RegExp(`^Asked ${r.midRepair.overall.queries} past repairs? again`));
      else assert.equal(await mid.count(), 0);
      if (which === 'lite') {
        assert.ok(values('recall5') >= 3 && values('precision') >= 3, 'the Lite report should have points to draw');
        const out = process.env.DEJAFIX_SCREENSHOT_DIR;
        if (out) {
          mkdirSync(out, { recursive: true });
          await page.locator('section.health').screenshot({ path: join(out, 'memory-health.png') });
        }
      }
      // The table of every month opens from the keyboard.
      await page.locator('.health-months summary').focus();
      await page.keyboard.press('Enter');
      assert.equal(await page.locator('.health-months tbody tr').count(), r.months.length);
    });
  }

  it('"Show Memory Health" (health.open) opens and measures; nothing to measure reads as a sentence; names are text', async () => {
    const { page } = panel;
    await panel.send({ type: 'health.open' });
    const { requestId } = await panel.waitForPosted('health.run');
    assert.equal(await page.evaluate<string>(ACTIVE), 'Memory Health');
    await panel.send({
      type: 'health.error',
      requestId,
      problem: 'nothing',
      message: 'too few episodes to evaluate the memory: none of the 2 resolved repairs has an earlier episode of its repository to recall',
    });
    assert.match((await page.locator('.health .reason').textContent()) ?? '', /^too few episodes/);
    assert.equal(await page.locator('.health .reason.error').count(), 0);
    await page.getByRole('button', { name: 'Measure again' }).click();
    const again = await panel.waitForPosted('health.run', (m) => m.requestId !== requestId);
    const hostile = '<img src=x onerror="document.title=1">';
    const months = [{ ...lite.months[0], month: '<svg onload=alert(1)>' }, ...lite.months.slice(1, 3)];
    await panel.send({
      type: 'health.result',
      requestId: again.requestId,
      report: {
        ...lite,
        repos: [{ ...lite.repos[0], repo: hostile }],
        months,
        utility: { lessons: { voted: 2, helpful: 3, unhelpful: 1 } },
        midRepair: {
          overall: { ...lite.overall, queries: 7, recall5: 0.5, precision: 0.4, noise: 0.25 },
          unfiltered: { ...lite.unfiltered, recall5: 0.75, precision: 0.1, noise: 4.5 },
        },
      },
    });
    assert.equal(await page.locator('.health-table').last().locator('tbody th').first().textContent(), hostile);
    assert.equal(await page.locator('.health img').count(), 0);
    assert.equal(await page.locator('.health-months tbody th').filter({ hasText: '<svg onload=alert(1)>' }).count(), 1);
    assert.equal(await page.locator('.health-chart text').filter({ hasText: '<svg onload=alert(1)>' }).count(), 1);
    assert.equal(await page.title(), 'Dejafix');
    assert.deepEqual(panel.dialogs, []);
    assert.equal(await page.locator('.health-feedback').textContent(), 'Feedback: 2 lessons voted on, 3 helpful, 1 not helpful.');
    assert.match(
      (await page.locator('.health-midrepair').textContent()) ?? '',
      /^Asked 7 past repairs again with the files its failed attempt changed, .*Recall@5 0\.50, precision 40%, noise 0\.25 at relevance ≥ 0\.15 \(always top 5: 0\.75, 10%, 4\.50\)\.$/,
    );
  });
});
