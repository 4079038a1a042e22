// The leave-future-out protocol in src/core/eval, which bench:recall and `dejafix eval` share,
// against the obvious every-pair definition, on all of SWE-bench Lite and on fresh random memories
// (ties in time, test files, several repositories, non-queries).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { abstention } from '../../src/core/eval/metrics';
import { withHistory, type EvalCase } from '../../src/core/eval/protocol';
import { isTestPath } from '../../src/core/model/patch';
import { goldFiles, loadInstances, queries } from '../../bench/protocol';

type C = EvalCase & { files: string[]; query: boolean };

function everyPair(cases: C[]): { id: string; relevant: string[]; history: number }[] {
  const nonTest = (c: C) => c.files.filter((f) => !isTestPath(f));
  return [...cases]
    .sort((a, b) => Date.parse(a.at) - Date.parse(b.at))
    .flatMap((c) => {
      const past = cases.filter((d) => d.repo === c.repo && Date.parse(d.at) < Date.parse(c.at));
      if (!c.query || past.length === 0) return [];
      return [
        {
          id: c.id,
          relevant: past
            .filter((d) => nonTest(d).some((f) => nonTest(c).includes(f)))
            .map((d) => d.id)
            .sort(),
          history: past.length,
        },
      ];
    });
}

const got = (cases: C[]) =>
  withHistory(cases, (c) => c.query).map((q) => ({ id: q.case.id, relevant: [...q.relevant].sort(), history: q.history }));

describe('eval protocol (shared by bench:recall and dejafix eval)', () => {
  it('matches the every-pair definition on all of SWE-bench Lite, and the bench keeps its queries', () => {
    const instances = loadInstances(join(__dirname, '../../../shared/bench/swebench-lite.jsonl'));
    const cases = instances.map((i) => ({ id: i.instance_id, repo: i.repo, at: i.created_at, files: goldFiles(i.patch), query: true }));
    const expected = everyPair(cases);
    assert.deepEqual(got(cases), expected);
    assert.ok(expected.length > 250 && expected.filter((q) => q.relevant.length).length > 50);
    // bench:recall's ranking queries: those with something relevant, same order, same sets.
    assert.deepEqual(
      queries(instances).map((q) => [q.q.instance_id, [...q.relevant].sort()]),
      expected.filter((q) => q.relevant.length).map((q) => [q.id, q.relevant]),
    );
  });

  it('matches it on 40 random memories with ties in time, test files and non-queries', () => {
    let seed = 7;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    const paths = ['src/a.py', 'src/b.py', 'lib/c.ts', 'tests/test_a.py', 'src/a.test.ts', 'pkg/x_test.go', 'testing/util.py', 'src/d.py'];
    for (let m = 0; m < 40; m++) {
      const cases: C[] = Array.from({ length: 5 + rnd(30) }, (_, i) => ({
        id: `e${m}-${i}`,
        repo: `r${rnd(3)}`,
        at: new Date(Date.UTC(2024, 0, 1 + rnd(20), rnd(2))).toISOString(),
        files: Array.from({ length: rnd(4) }, () => paths[rnd(paths.length)]),
        query: rnd(4) > 0,
      }));
      assert.deepEqual(got(cases), everyPair(cases), `memory ${m}`);
    }
  });

  it('abstention metrics: noise, precision and Recall@5 over the top 5 above the threshold', () => {
    const a = abstention(
      [
        {
          relevantCount: 2,
          hits: [
            { relevance: 0.9, relevant: true },
            { relevance: 0.1, relevant: true },
            { relevance: 0.5, relevant: false },
          ],
        },
        {
          relevantCount: 0,
          hits: [
            { relevance: 0.3, relevant: false },
            { relevance: 0.05, relevant: false },
          ],
        },
        { relevantCount: 1, hits: Array.from({ length: 7 }, (_, i) => ({ relevance: 0.9, relevant: i === 5 })) },
      ],
      0.2,
    );
    // shown: 2 + 1 + 5 = 8, relevant among them 1; recall (1/2 + 0/1) / 2; noise 1 result on 1 query.
    assert.deepEqual(a, { noise: 1, precision: 1 / 8, recall5: 0.25, noiseQueries: 1, relevantQueries: 2, shown: 8, relevantShown: 1 });
  });
});
