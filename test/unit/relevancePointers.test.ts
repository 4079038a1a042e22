// File-level relevance evidence: the files an issue points at without writing their repository
// path (traceback into site-packages, module name, import line, bare file name), and recall's
// evidence about a hit's file gathered over every candidate that touched it.
import assert from 'node:assert/strict';
import { pointersIn, pointsAt } from '../../src/core/recall/pointers';
import { recall } from '../../src/core/recall/recall';
import { ExperienceStore } from '../../src/core/store';
import { makeEpisode } from '../helpers/records';
import { useTempDir } from '../helpers/tmp';

const none = new Map<string, number>();

describe('relevance: what an issue points at', () => {
  it('a traceback into an installed copy points at the repository file', () => {
    const p = pointersIn('Traceback:\n  File "/home/u/.venv/lib/python3.9/site-packages/django/db/models/query.py", line 12, in get');
    assert.equal(pointsAt(p, 'django/db/models/query.py', none), 1);
    assert.equal(pointsAt(p, 'django/db/models/sql/query.py', none), 0);
  });

  it('a module name or an import line points at its file, also with the package prefix left out', () => {
    const p = pointersIn('Calling django.db.models.query.QuerySet.union fails.\nfrom sympy.core.mul import Mul\n');
    assert.equal(pointsAt(p, 'django/db/models/query.py', none), 1);
    assert.equal(pointsAt(p, 'sympy/core/mul.py', none), 1);
    assert.equal(pointsAt(p, 'sympy/core/__init__.py', none), 1, 'sympy.core is the package sympy/core');
    assert.equal(pointsAt(pointersIn('see models.query.QuerySet'), 'django/db/models/query.py', none), 1);
    assert.equal(pointsAt(p, 'django/db/models/sql/query.py', none), 0);
  });

  it('a bare file name shared by n files points at each of them by 1/n; an issue without a path points nowhere', () => {
    const p = pointersIn('The bug is in base.py');
    assert.equal(pointsAt(p, 'sklearn/mixture/base.py', new Map([['base.py', 4]])), 0.25);
    assert.equal(pointsAt(p, 'sklearn/mixture/gaussian.py', new Map([['base.py', 4]])), 0);
    assert.equal(pointsAt(pointersIn('Nothing here points at code.'), 'sklearn/mixture/base.py', none), 0);
  });
});

describe('relevance: what an issue points at, for hostile text', () => {
  // Issue text is anyone's (a GitHub issue): no input may make the pointer scan quadratic or unbounded.
  const hostile: [string, string][] = [
    ['16,000 word characters', 'a'.repeat(16_000)],
    ['8,000 path segments', 'a/'.repeat(8_000)],
    ['one 8,000-part dotted name', 'a.'.repeat(8_000)],
    ['16,000 newlines', '\n'.repeat(16_000)],
    ['blank lines with spaces', ' \n'.repeat(8_000)],
    ['thousands of imports', 'from a.b import c, d, e\n'.repeat(700)],
    ['thousands of module names', Array.from({ length: 3_000 }, (_, i) => `pkg${i}.mod${i}`).join(' ')],
    ['thousands of paths', Array.from({ length: 3_000 }, (_, i) => `src/m${i}/f${i}.py`).join(' ')],
  ];
  for (const [what, text] of hostile)
    it(`${what}: at most 500 paths and 500 module files, and a real pointer after it still counts`, () => {
      const p = pointersIn(text);
      assert.ok(p.paths.length <= 500 && p.modules.size <= 502, `${p.paths.length} paths, ${p.modules.size} modules`);
      assert.ok(
        [...p.modules].every((m) => m.split('/').length <= 9),
        'at most 8 module parts (+ __init__.py)',
      );
      const after = pointersIn(`${text.slice(0, 2_000)}\n  File "/x/site-packages/django/db/models/query.py", line 1`);
      assert.equal(pointsAt(after, 'django/db/models/query.py', none), 1);
    });
});

describe("relevance: evidence about the hit's file", function () {
  this.timeout(60_000);
  const tmp = useTempDir();

  it('a traceback into a file an earlier repair touched makes that repair relevant, and ranks its file first', async () => {
    const store = await ExperienceStore.open(tmp.path);
    try {
      const at = (d: number) => new Date(Date.now() - d * 86_400_000).toISOString();
      await store.upsertEpisodes([
        makeEpisode({
          id: 'loader',
          repo: 'r',
          createdAt: at(20),
          issue: { title: 'Config loader drops empty sections', body: 'Sections without keys vanish.' },
          files: ['pkg/config/loader.py'],
          symbols: ['load_sections'],
        }),
        makeEpisode({
          id: 'cli',
          repo: 'r',
          createdAt: at(30),
          issue: { title: 'CLI prints the wrong version', body: 'The version flag shows 0.0.0.' },
          files: ['pkg/cli.py'],
          symbols: ['print_version'],
        }),
      ]);
      const text =
        'Crash on start\n\nTraceback (most recent call last):\n  File "/usr/lib/python3/site-packages/pkg/config/loader.py", line 40, in read\nKeyError: x';
      const hits = await recall(store, { text, repo: 'r', k: 5, minRelevance: 0 });
      const loader = hits.find((h) => h.episodeId === 'loader');
      assert.ok(loader, JSON.stringify(hits.map((h) => h.episodeId)));
      assert.equal(loader.why.evidence.pointed, 1);
      assert.equal(loader.why.evidence.fileRank, 1);
      const cli = hits.find((h) => h.episodeId === 'cli');
      if (cli) {
        assert.equal(cli.why.evidence.pointed, 0);
        assert.ok(cli.relevance < loader.relevance);
      }
    } finally {
      store.close();
    }
  });
});
