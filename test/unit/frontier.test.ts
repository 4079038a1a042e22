// bench/frontier.ts: the rule that chooses the default threshold (on the older part only) and the
// gate + relative-cut policy, checked against brute force on many random query sets.
import assert from 'node:assert/strict';
import { abstention, type Judged } from '../../bench/abstention';
import { chooseDefault, frontier, gated, threshold } from '../../bench/frontier';

/** A seeded generator, so a failure can be replayed. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function randomQueries(r: () => number, n: number): Judged[] {
  return Array.from({ length: n }, () => {
    const relevantCount = r() < 0.35 ? 1 + Math.floor(r() * 3) : 0;
    const hits = Array.from({ length: Math.floor(r() * 11) }, () => {
      const relevant = relevantCount > 0 && r() < 0.3;
      return { relevance: Math.round((relevant ? r() * 0.8 : r() * r() * 0.5) * 1000) / 1000, relevant };
    }).sort((a, b) => b.relevance - a.relevance);
    return { relevantCount, hits };
  });
}

describe('bench frontier: default rule and policies', () => {
  it('chooses the lowest 0.05-grid threshold meeting noise ≤ 1 and precision ≥ 35%, on 60 random sets', () => {
    for (let seed = 1; seed <= 60; seed++) {
      const qs = randomQueries(rng(seed), 40 + seed);
      let expected: number | undefined;
      for (const t of [0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5]) {
        const a = abstention(qs, t);
        if (a.noise <= 1 && a.precision >= 0.35) {
          expected = t;
          break;
        }
      }
      assert.equal(chooseDefault(qs), expected, `seed ${seed}`);
    }
  });

  it('a threshold policy is the abstention filter; a gate shows nothing below it and a relative cut keeps the best', () => {
    const r = rng(7);
    for (let i = 0; i < 200; i++) {
      const [q] = randomQueries(r, 1);
      const t = Math.round(r() * 50) / 100;
      assert.deepEqual(
        threshold(t).keep(q),
        q.hits.filter((h) => h.relevance >= t),
      );
      const best = Math.max(0, ...q.hits.slice(0, 5).map((h) => h.relevance));
      const g = Math.round(r() * 50) / 100;
      const share = [0, 0.3, 0.5][i % 3];
      const kept = gated(g, share).keep(q);
      if (best < g) assert.deepEqual(kept, []);
      else {
        assert.ok(kept.every((h) => h.relevance >= share * best));
        if (q.hits.length) assert.equal(kept[0], q.hits[0], 'the best hit always survives an open gate');
      }
      assert.deepEqual(gated(0, 0).keep(q), q.hits, 'an open gate without a cut keeps everything');
    }
  });

  it('prints every threshold row and says whether any policy meets all three targets', () => {
    const r = rng(99);
    const lines = frontier(randomQueries(r, 120), randomQueries(r, 80));
    assert.equal(lines.filter((l) => l.startsWith('| threshold ')).length >= 51, true);
    assert.ok(lines.some((l) => /^Default rule \(older part only\)/.test(l)));
    assert.ok(lines.some((l) => /policies meeting all three targets in-sample: \d+\./.test(l)));
    assert.ok(lines.some((l) => /AUC\): older \d\.\d{3}, newer \d\.\d{3}\./.test(l)));
  });
});
