import assert from 'node:assert/strict';
import { ExperienceStore } from '../../src/core/store';
import { recall } from '../../src/core/recall/recall';
import { useTempDir } from '../helpers/tmp';
import { makeEpisode } from '../helpers/records';

const REPO = 'github.com/acme/ledger';

const episodes = [
  makeEpisode({
    id: 'zero-div', repo: REPO, createdAt: '2021-01-01T00:00:00Z',
    issue: { title: 'Balance report crashes for accounts without transactions', body: 'ZeroDivisionError when computing the average balance' },
    files: ['ledger/report.py', 'tests/test_report.py'], symbols: ['balances'],
  }),
  makeEpisode({
    id: 'report-format', repo: REPO, createdAt: '2021-02-01T00:00:00Z',
    issue: { title: 'Totals column misaligned in the text output', body: 'The right margin is off by one.' },
    files: ['ledger/report.py'], symbols: ['format_totals'],
  }),
  makeEpisode({
    id: 'csv-currency', repo: REPO, createdAt: '2021-03-01T00:00:00Z',
    issue: { title: 'CSV import ignores the currency column', body: 'Every amount is treated as USD.' },
    files: ['ledger/importers/csv.py', 'tests/test_report.py'], symbols: ['CsvImporter', 'row_to_tx'],
  }),
  makeEpisode({
    id: 'other-repo', repo: 'github.com/acme/web', createdAt: '2021-01-15T00:00:00Z',
    issue: { title: 'Balance widget crashes on empty accounts', body: 'ZeroDivisionError in the dashboard' },
    files: ['web/widgets/balance.ts'], symbols: ['renderBalance'],
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
    const hits = await recall(store, { text: traceback, repo: REPO, k: 3 });
    assert.equal(hits[0].episodeId, 'report-format');
    assert.equal(hits[0].why.file, 'ledger/report.py');
    assert.ok(hits[0].why.terms.includes('report'), JSON.stringify(hits[0].why));
    assert.ok(hits[0].why.parts.code > 0);
  });

  it('brings repairs of the same file even when their words differ, and not through shared test files', async () => {
    const hits = await recall(store, { text: 'balances() divides by zero for a new account', repo: REPO, k: 3 });
    const ids = hits.map((h) => h.episodeId);
    assert.equal(ids[0], 'zero-div');
    assert.ok(ids.includes('report-format'), 'another repair of ledger/report.py comes along');
    assert.ok(!ids.includes('csv-currency'), 'sharing only tests/test_report.py does not make it relevant');
  });

  it('splits identifiers, so CamelCase and snake_case names meet their parts', async () => {
    // the query's RowToTx meets the patch's row_to_tx, and a csv_importer module meets CsvImporter
    const camel = await recall(store, { text: 'RowToTx loses data', repo: REPO, k: 1 });
    assert.equal(camel[0]?.episodeId, 'csv-currency');
    const snake = await recall(store, { text: 'crash inside csv_importer', repo: REPO, k: 1 });
    assert.equal(snake[0]?.episodeId, 'csv-currency');
  });

  it('prefers the repository it is given, filling up with others', async () => {
    const hits = await recall(store, { text: 'ZeroDivisionError balance crashes', repo: 'github.com/acme/web', k: 2 });
    assert.equal(hits[0].episodeId, 'other-repo');
    assert.equal(hits[1].repo, REPO);
  });

  it('never admits an episode created at or after `before`', async () => {
    const hits = await recall(store, { text: 'report csv currency balance totals', repo: REPO, before: '2021-02-01T00:00:00Z', k: 10 });
    assert.ok(hits.length > 0);
    assert.ok(hits.every((h) => h.createdAt < '2021-02-01T00:00:00.000Z'), JSON.stringify(hits.map((h) => h.createdAt)));
  });

  it('answers empty, huge and non-English queries without failing', async () => {
    assert.deepEqual(await recall(store, { text: '' }), []);
    assert.deepEqual(await recall(store, { text: ' \n\t ' }), []);
    const huge = `${'lorem ipsum dolor '.repeat(6000)} ledger/report.py balances`;
    assert.ok(huge.length > 100_000);
    assert.ok(Array.isArray(await recall(store, { text: huge, k: 3 })));
    const ja = await recall(store, { text: '残高レポートがクラッシュします ledger/report.py', k: 2 });
    assert.equal(ja[0]?.why.file, 'ledger/report.py');
    assert.deepEqual(await recall(store, { text: 'Ошибка при импорте 😀', k: 2 }), []);
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
