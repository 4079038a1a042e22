import assert from 'node:assert/strict';
import { ExperienceStore } from '../../src/core/store';
import { recall } from '../../src/core/recall/recall';
import { recallInsights } from '../../src/core/recall/insights';
import { useTempDir } from '../helpers/tmp';
import { makeEpisode, makeInsight } from '../helpers/records';

const REPO = 'github.com/acme/ledger';

const episodes = [
  makeEpisode({
    id: 'zero-div',
    repo: REPO,
    createdAt: '2021-01-01T00:00:00Z',
    issue: {
      title: 'Balance report crashes for accounts without transactions',
      body: 'ZeroDivisionError when computing the average balance',
    },
    files: ['ledger/report.py', 'tests/test_report.py'],
    symbols: ['balances'],
  }),
  makeEpisode({
    id: 'report-format',
    repo: REPO,
    createdAt: '2021-02-01T00:00:00Z',
    issue: { title: 'Totals column misaligned in the text output', body: 'The right margin is off by one.' },
    files: ['ledger/report.py'],
    symbols: ['format_totals'],
  }),
  makeEpisode({
    id: 'csv-currency',
    repo: REPO,
    createdAt: '2021-03-01T00:00:00Z',
    issue: { title: 'CSV import ignores the currency column', body: 'Every amount is treated as USD.' },
    files: ['ledger/importers/csv.py', 'tests/test_report.py'],
    symbols: ['CsvImporter', 'row_to_tx'],
  }),
  makeEpisode({
    id: 'other-repo',
    repo: 'github.com/acme/web',
    createdAt: '2021-01-15T00:00:00Z',
    issue: { title: 'Balance widget crashes on empty accounts', body: 'ZeroDivisionError in the dashboard' },
    files: ['web/widgets/balance.ts'],
    symbols: ['renderBalance'],
  }),
];

describe('recall: code-aware ranking', () => {
  const tmp = useTempDir();
  let store: ExperienceStore;
  beforeEach(async () => {
    store = await ExperienceStore.open(tmp.path);
    await store.upsertEpisodes(episodes);
  });
  afterEach(() => store.close());

  it('finds, from a traceback alone, the episode that fixed the file it names', async () => {
    const traceback = [
      'Traceback (most recent call last):',
      '  File "/srv/app/ledger/report.py", line 88, in format_totals',
      '    width = max(len(c) for c in cols)',
      'ValueError: max() arg is an empty sequence',
    ].join('\n');
    const hits = await recall(store, { minRelevance: 0, text: traceback, repo: REPO, k: 3 });
    assert.equal(hits[0].episodeId, 'report-format');
    assert.equal(hits[0].why.file, 'ledger/report.py');
    assert.ok(hits[0].why.terms.includes('report'), JSON.stringify(hits[0].why));
    assert.ok(hits[0].why.parts.code > 0);
  });

  it('brings repairs of the same file even when their words differ, and not through shared test files', async () => {
    const hits = await recall(store, { minRelevance: 0, text: 'balances() divides by zero for a new account', repo: REPO, k: 3 });
    const ids = hits.map((h) => h.episodeId);
    assert.equal(ids[0], 'zero-div');
    assert.ok(ids.includes('report-format'), 'another repair of ledger/report.py comes along');
    assert.ok(!ids.includes('csv-currency'), 'sharing only tests/test_report.py does not make it relevant');
  });

  it('splits identifiers, so CamelCase and snake_case names meet their parts', async () => {
    // the query's RowToTx meets the patch's row_to_tx, and a csv_importer module meets CsvImporter
    const camel = await recall(store, { minRelevance: 0, text: 'RowToTx loses data', repo: REPO, k: 1 });
    assert.equal(camel[0]?.episodeId, 'csv-currency');
    const snake = await recall(store, { minRelevance: 0, text: 'crash inside csv_importer', repo: REPO, k: 1 });
    assert.equal(snake[0]?.episodeId, 'csv-currency');
  });

  it('prefers the repository it is given, filling up with others', async () => {
    const hits = await recall(store, { minRelevance: 0, text: 'ZeroDivisionError balance crashes', repo: 'github.com/acme/web', k: 2 });
    assert.equal(hits[0].episodeId, 'other-repo');
    assert.equal(hits[1].repo, REPO);
  });

  it('never admits an episode created at or after `before`', async () => {
    const hits = await recall(store, {
      minRelevance: 0,
      text: 'report csv currency balance totals',
      repo: REPO,
      before: '2021-02-01T00:00:00Z',
      k: 10,
    });
    assert.ok(hits.length > 0);
    assert.ok(
      hits.every((h) => h.createdAt < '2021-02-01T00:00:00.000Z'),
      JSON.stringify(hits.map((h) => h.createdAt)),
    );
  });

  it('answers empty, huge and non-English queries without failing', async () => {
    assert.deepEqual(await recall(store, { minRelevance: 0, text: '' }), []);
    assert.deepEqual(await recall(store, { minRelevance: 0, text: ' \n\t ' }), []);
    const huge = `${'lorem ipsum dolor '.repeat(6000)} ledger/report.py balances`;
    assert.ok(huge.length > 100_000);
    assert.ok(Array.isArray(await recall(store, { minRelevance: 0, text: huge, k: 3 })));
    const ja = await recall(store, { minRelevance: 0, text: '残高レポートがクラッシュします ledger/report.py', k: 2 });
    assert.equal(ja[0]?.why.file, 'ledger/report.py');
    assert.deepEqual(await recall(store, { minRelevance: 0, text: 'Ошибка при импорте 😀', k: 2 }), []);
    assert.deepEqual(await recall(store, { minRelevance: 0, text: '!!! ??? --- ((()))', k: 2 }), [], 'punctuation only');
  });

  it('drops a second copy of the same repair, and shows a failed repair after a resolved one', async () => {
    const copy = { ...episodes[0], id: 'zero-div-copy', issue: { ...episodes[0].issue, title: `${episodes[0].issue.title} (2)` } };
    const failed = {
      ...episodes[1],
      id: 'report-format-failed',
      outcome: 'failed' as const,
      issue: { ...episodes[1].issue, title: 'Totals column misaligned again' },
    };
    await store.upsertEpisodes([copy, failed]);
    const hits = await recall(store, {
      minRelevance: 0,
      text: 'Balance report crashes for accounts without transactions; totals misaligned',
      repo: REPO,
      k: 5,
    });
    const ids = hits.map((h) => h.episodeId);
    assert.equal(ids.filter((id) => id.startsWith('zero-div')).length, 1, JSON.stringify(ids));
    assert.ok(ids.indexOf('report-format') < ids.indexOf('report-format-failed'), JSON.stringify(ids));
    assert.equal(hits.find((h) => h.episodeId === 'report-format-failed')?.outcome, 'failed');
  });

  it('returns nothing from an empty store', async () => {
    const empty = await ExperienceStore.open(`${tmp.path}/empty`);
    try {
      assert.deepEqual(await recall(empty, { text: 'anything at all about ledger/report.py', k: 5 }), []);
    } finally {
      empty.close();
    }
  });
});

describe('recall: insights', () => {
  const tmp = useTempDir();

  it('recalls active lessons of the repository and global ones, by relevance × importance', async () => {
    const store = await ExperienceStore.open(tmp.path);
    try {
      await store.upsertInsights([
        makeInsight({
          id: 'div',
          text: 'Guard divisions by the number of transactions: empty accounts are common.',
          scope: REPO,
          importance: 2,
        }),
        makeInsight({
          id: 'div-strong',
          text: 'Empty accounts: check every division by a count before averaging balances.',
          scope: REPO,
          importance: 9,
        }),
        makeInsight({
          id: 'global',
          text: 'Reproduce a crash with the smallest input first, for example an empty account.',
          scope: 'global',
          importance: 3,
        }),
        makeInsight({
          id: 'other-repo',
          text: 'Empty accounts break the balance widget division.',
          scope: 'github.com/acme/web',
          importance: 5,
        }),
        makeInsight({ id: 'proposed', text: 'Empty accounts divide by zero in balances.', scope: REPO, status: 'proposed', importance: 5 }),
        makeInsight({ id: 'spent', text: 'Empty accounts and division by zero in balances.', scope: REPO, importance: 0 }),
        makeInsight({ id: 'off-topic', text: 'Pin the CSV dialect when exporting invoices.', scope: REPO, importance: 20 }),
      ]);
      const hits = await recallInsights(store, { text: 'balance report divides by zero for empty accounts', repo: REPO, k: 5 });
      const ids = hits.map((h) => h.insight.id);
      assert.equal(ids[0], 'div-strong');
      assert.ok(ids.includes('div') && ids.includes('global'), JSON.stringify(ids));
      for (const banned of ['other-repo', 'proposed', 'spent', 'off-topic']) assert.ok(!ids.includes(banned), `${banned} is not recalled`);
      assert.ok(hits[0].why.relevance > 0 && hits[0].why.importance === 9);
      assert.deepEqual(await recallInsights(store, { text: '' }), []);
    } finally {
      store.close();
    }
  });
});
