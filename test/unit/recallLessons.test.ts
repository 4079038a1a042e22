import assert from 'node:assert/strict';
import { ExperienceStore } from '../../src/core/store';
import { diverse, recall, type Candidate } from '../../src/core/recall/recall';
import { lessonsOf } from '../../src/core/recall/lessons';
import { useTempDir } from '../helpers/tmp';
import { makeAttempt, makeEpisode } from '../helpers/records';
import { runCli } from '../helpers/cli';

const REPO = 'github.com/acme/ledger';

function cand(id: string, files: string[], title = id): Candidate {
  return {
    id,
    sourceId: null,
    outcome: 'resolved',
    title,
    repo: REPO,
    createdAt: '2024-01-01T00:00:00Z',
    files,
    symbols: [],
    text: 0,
    code: 0,
  };
}

describe('recall: diversity (MMR)', () => {
  it('lets a repair of another file past a near-tied repair of a file already shown', () => {
    const hits = [
      { c: cand('a', ['ledger/report.py']), score: 1 },
      { c: cand('b', ['ledger/report.py']), score: 0.99 },
      { c: cand('c', ['ledger/util.py']), score: 0.97 },
    ];
    assert.deepEqual(
      diverse(hits, 2).map((h) => h.c.id),
      ['a', 'c'],
    );
  });

  it('does not let diversity override a clear difference in relevance', () => {
    const hits = [
      { c: cand('a', ['ledger/report.py']), score: 1 },
      { c: cand('b', ['ledger/report.py']), score: 0.8 },
      { c: cand('c', ['ledger/util.py']), score: 0.5 },
    ];
    assert.deepEqual(
      diverse(hits, 2).map((h) => h.c.id),
      ['a', 'b'],
    );
  });

  it('ignores shared test files and drops the same repair recorded twice', () => {
    const hits = [
      { c: cand('a', ['ledger/report.py', 'tests/test_all.py'], 'Report crashes #12'), score: 1 },
      { c: cand('a2', ['tests/test_all.py', 'ledger/report.py'], 'Report crashes #13'), score: 0.999 },
      { c: cand('b', ['ledger/csv.py', 'tests/test_all.py']), score: 0.9 },
    ];
    assert.deepEqual(
      diverse(hits, 3).map((h) => h.c.id),
      ['a', 'b'],
    );
    assert.deepEqual(diverse([], 3), []);
  });
});

describe('recall: what did not work', () => {
  const tmp = useTempDir();
  let store: ExperienceStore;
  const fixed = makeEpisode({
    id: 'fixed',
    repo: REPO,
    createdAt: '2024-02-01T00:00:00Z',
    issue: { title: 'Average balance divides by zero', body: 'ZeroDivisionError in ledger/report.py for empty accounts' },
    files: ['ledger/report.py'],
  });
  const gaveUp = makeEpisode({
    id: 'gave-up',
    repo: REPO,
    outcome: 'failed',
    createdAt: '2024-03-01T00:00:00Z',
    issue: { title: 'Average balance wrong for closed accounts', body: 'ledger/report.py averages closed accounts too' },
    files: ['ledger/report.py'],
  });
  const patch = 'diff --git a/ledger/report.py b/ledger/report.py\n--- a/ledger/report.py\n+++ b/ledger/report.py\n@@ -1 +1 @@\n-a\n+b\n';
  beforeEach(async () => {
    store = await ExperienceStore.open(tmp.path);
    await store.upsertEpisodes([
      {
        ...fixed,
        attempts: [
          makeAttempt('fixed', {
            id: 'f1',
            at: '2024-02-01T00:01:00Z',
            patch,
            command: 'pytest tests/test_report.py',
            exitCode: 1,
            outcome: 'failed',
          }),
          makeAttempt('fixed', {
            id: 'f2',
            at: '2024-02-01T00:02:00Z',
            patch,
            command: 'pytest tests/test_report.py -k avg',
            exitCode: 2,
            outcome: 'failed',
          }),
          makeAttempt('fixed', { id: 'f3', at: '2024-02-01T00:03:00Z', patch, command: 'pytest', exitCode: 0, outcome: 'passed' }),
        ],
      },
      {
        ...gaveUp,
        attempts: [
          makeAttempt('gave-up', { id: 'g1', at: '2024-03-01T00:01:00Z', patch, command: 'pytest -q', exitCode: 1, outcome: 'failed' }),
        ],
      },
    ]);
  });
  afterEach(() => store.close());

  it('sorts each recalled repair into the attempt that worked and those that did not', async () => {
    const hits = await recall(store, { text: 'average balance ZeroDivisionError in report.py', repo: REPO, k: 5, minRelevance: 0 });
    const l = await lessonsOf(store, hits);
    assert.equal(l.get('fixed')?.worked?.command, 'pytest');
    assert.deepEqual(
      l.get('fixed')?.didNotWork.map((a) => [a.command, a.exitCode]),
      [
        ['pytest tests/test_report.py', 1],
        ['pytest tests/test_report.py -k avg', 2],
      ],
    );
    assert.deepEqual(l.get('fixed')?.didNotWork[0].files, ['ledger/report.py']);
    assert.equal(l.get('gave-up')?.worked, undefined);
    assert.deepEqual(
      l.get('gave-up')?.didNotWork.map((a) => a.command),
      ['pytest -q'],
    );
    assert.ok(
      hits.findIndex((h) => h.episodeId === 'fixed') < hits.findIndex((h) => h.episodeId === 'gave-up'),
      'the resolved demonstration comes first',
    );
  });

  it('shows them in the CLI, as text and as JSON', async () => {
    store.close();
    const text = await runCli([
      'recall',
      '--store',
      tmp.path,
      '--embedder',
      'none',
      '--repo',
      REPO,
      '--min-relevance',
      '0',
      'average balance ZeroDivisionError in report.py',
    ]);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /did not work: `pytest tests\/test_report.py` \(exit 1\) on ledger\/report.py/);
    assert.match(text.stdout, /worked: `pytest` \(exit 0\)/);
    const js = await runCli([
      'recall',
      '--store',
      tmp.path,
      '--embedder',
      'none',
      '--repo',
      REPO,
      '--min-relevance',
      '0',
      '--json',
      'average balance ZeroDivisionError in report.py',
    ]);
    const out = JSON.parse(js.stdout) as { results: { episodeId: string; didNotWork: { command: string }[] }[] };
    assert.equal(out.results.find((r) => r.episodeId === 'gave-up')?.didNotWork[0].command, 'pytest -q');
    store = await ExperienceStore.open(tmp.path);
  });
});
