// Applying reflection operations: counters, the cap and eviction, near-duplicate merging, and
// the rejection of operations that cite what was not shown.
import assert from 'node:assert/strict';
import type { Insight } from '../../src/core/model';
import {
  COUNTER,
  DEFAULT_CAP,
  MAX_NEGATIVE_OPS,
  lexicalSimilarity,
  planOperations,
  reflectionSchema,
  type InsightOp,
  type PlanContext,
} from '../../src/core/reflect';
import { lexical } from '../../src/core/reflect/similarity';
import type { Logger } from '../../src/core/util/logger';
import { makeEpisode, makeInsight } from '../helpers/records';

const REPO = 'github.com/acme/invoices';
const ep = makeEpisode({ id: 'ep-plan', repo: REPO, files: ['app/x.py', 'tests/test_x.py'] });
const ev = (files: string[] = ['app/x.py']) => ({ episodes: [ep.id], files });

function ctx(existing: Insight[], over: Partial<PlanContext> = {}): PlanContext & { warnings: string[] } {
  const warnings: string[] = [];
  const log: Logger = { debug() {}, info() {}, warn: (m) => warnings.push(m), error: (m) => warnings.push(String(m)) };
  return {
    episode: ep,
    handles: new Map(existing.map((i, n) => [`I${n + 1}`, i])),
    files: new Set(ep.files),
    existing,
    requireApproval: true,
    cap: DEFAULT_CAP,
    similarity: lexical(),
    now: '2025-01-01T00:00:00.000Z',
    log,
    warnings,
    ...over,
  };
}

const TEXTS = [
  'Check for None before arithmetic on optional columns.',
  'Run the reproduction test before and after the change to confirm the fix.',
  'Prefer small patches that touch only the function named in the traceback.',
  'Keep timezone handling in UTC and convert only at the edges.',
];

describe('reflection plan: counters, cap, merge, rejection', () => {
  it('moves counters as ExpeL does: ADD 2, UPVOTE and EDIT +1, DOWNVOTE −1, REMOVE −2, retired at 0', async () => {
    const [a, b, c, d] = TEXTS.map((text, n) => makeInsight({ id: `i${n}`, text, importance: 2, scope: REPO }));
    const ops: InsightOp[] = [
      {
        op: 'ADD',
        role: 'review',
        scope: 'global',
        text: 'Read the whole failing assertion message before editing any code.',
        evidence: ev(),
      },
      { op: 'UPVOTE', insight: 'I1', evidence: ev() },
      { op: 'EDIT', insight: 'I2', text: 'Run the reproduction test before and after every change.', evidence: ev() },
      { op: 'DOWNVOTE', insight: 'I3', evidence: ev() },
      { op: 'REMOVE', insight: 'I4', reason: 'the episode shows it misleads', evidence: ev() },
    ];
    const plan = await planOperations(ops, ctx([a, b, c, d]));
    const by = new Map(plan.write.map((i) => [i.id, i]));
    const added = plan.write.find((i) => i.role === 'review')!;
    assert.deepEqual([added.importance, added.status, added.scope], [COUNTER.add, 'proposed', 'global']);
    assert.deepEqual(added.evidence, { episodes: ['ep-plan'], files: ['app/x.py'] });
    assert.equal(by.get('i0')!.importance, 3);
    assert.deepEqual([by.get('i1')!.importance, by.get('i1')!.text], [3, 'Run the reproduction test before and after every change.']);
    assert.equal(by.get('i2')!.importance, 1);
    assert.deepEqual([by.get('i3')!.importance, by.get('i3')!.status], [0, 'retired']);
    assert.deepEqual(
      plan.outcomes.map((o) => o.result),
      ['added', 'upvoted', 'edited', 'downvoted', 'removed'],
    );
    // and with approval off, a new insight is active at once
    const open = await planOperations([ops[0]], ctx([], { requireApproval: false }));
    assert.equal(open.write[0].status, 'active');
  });

  it('keeps each scope × role within the cap, retiring the weakest (then stale, unapproved, oldest) first', async () => {
    const full = Array.from({ length: DEFAULT_CAP }, (_, n) =>
      makeInsight({
        id: `c${n}`,
        text: `Lesson number ${n} about module m${n} and its own quirk q${n * 7}.`,
        scope: REPO,
        role: 'fix',
        importance: n < 2 ? 3 : 5,
        updatedAt: `2024-01-${String(10 + n).padStart(2, '0')}T00:00:00.000Z`,
      }),
    );
    full[1].stale = 'its evidence files no longer exist';
    const otherRole = makeInsight({ id: 'r0', text: 'Review lesson untouched by the cap.', role: 'review', scope: REPO, importance: 1 });
    const plan = await planOperations(
      [
        { op: 'ADD', role: 'fix', scope: 'repo', text: 'Brand new lesson about retry loops with exponential backoff.', evidence: ev() },
        { op: 'ADD', role: 'fix', scope: 'repo', text: 'Another fresh lesson: encodings of CSV files differ by platform.', evidence: ev() },
      ],
      ctx([...full, otherRole]),
    );
    // 17 live in fix × repo, cap 15: the two new ones (importance 2) are the weakest and go
    assert.equal(plan.evicted.length, 2);
    const stillLive = plan.write.filter((i) => i.status !== 'retired');
    assert.equal(stillLive.length, 0, 'both new insights were the weakest');
    // when the group is over the cap, the weakest existing ones go: importance 3, the stale one first
    const plan2 = await planOperations([{ op: 'UPVOTE', insight: 'I6', evidence: ev() }], ctx([...full, otherRole], { cap: 13 }));
    assert.deepEqual(plan2.evicted, ['c1', 'c0']);
    assert.ok(!plan2.write.some((i) => i.id === 'r0'), 'another role is not touched');
  });

  it('merges a near-duplicate ADD into the existing insight instead of adding it', async () => {
    const base = makeInsight({
      id: 'm1',
      text: 'Guard against an empty list before dividing by its length.',
      scope: REPO,
      role: 'fix',
      importance: 3,
    });
    const paraphrase = 'Before dividing by the length of a list, make sure the list is not empty.';
    assert.ok(lexicalSimilarity(base.text, paraphrase) >= 0.6);
    const plan = await planOperations(
      [
        { op: 'ADD', role: 'fix', scope: 'repo', text: paraphrase, evidence: ev(['app/x.py']) },
        {
          op: 'ADD',
          role: 'fix',
          scope: 'repo',
          text: 'Quote identifiers when building SQL from user-defined column names.',
          evidence: ev(),
        },
        {
          op: 'ADD',
          role: 'fix',
          scope: 'repo',
          text: 'Quote the identifiers when building SQL from user-defined column names!',
          evidence: ev(),
        },
      ],
      ctx([base]),
    );
    assert.deepEqual(
      plan.outcomes.map((o) => o.result),
      ['merged', 'added', 'merged'],
    );
    const m1 = plan.write.find((i) => i.id === 'm1')!;
    assert.equal(m1.importance, 4);
    assert.equal(m1.text, base.text, 'the existing wording is kept');
    assert.deepEqual(m1.evidence.episodes, ['ep-plan']);
    const sql = plan.write.filter((i) => i.text.startsWith('Quote'));
    assert.equal(sql.length, 1, 'two adds of one lesson in one answer make one insight');
    assert.equal(sql[0].importance, COUNTER.add, '… counted once');
    // a duplicate in another role or scope is a different insight
    const other = await planOperations([{ op: 'ADD', role: 'review', scope: 'repo', text: paraphrase, evidence: ev() }], ctx([base]));
    assert.equal(other.outcomes[0].result, 'added');
  });

  it('rejects operations that cite what was not shown, each with a logged reason, and applies the rest', async () => {
    const a = makeInsight({ id: 'x1', text: TEXTS[0], scope: REPO, importance: 5 });
    const retired = makeInsight({ id: 'x2', text: TEXTS[1], scope: REPO, status: 'retired', importance: 0 });
    const c = ctx([a, retired]);
    const plan = await planOperations(
      [
        { op: 'UPVOTE', insight: 'I9', evidence: ev() },
        { op: 'UPVOTE', insight: 'I1', evidence: { episodes: ['some-other-episode'], files: [] } },
        { op: 'UPVOTE', insight: 'I1', evidence: ev(['/etc/passwd']) },
        { op: 'DOWNVOTE', insight: 'I2', evidence: ev() },
        { op: 'UPVOTE', insight: 'I1', evidence: ev(['b/app/x.py']) },
      ],
      c,
    );
    assert.deepEqual(
      plan.outcomes.map((o) => o.result),
      ['rejected', 'rejected', 'rejected', 'rejected', 'upvoted'],
    );
    assert.match(plan.outcomes[0].reason!, /I9 is not one of the insights shown/);
    assert.match(plan.outcomes[1].reason!, /episodes that were not shown/);
    assert.match(plan.outcomes[2].reason!, /files that are not in the episode/);
    assert.match(plan.outcomes[3].reason!, /already retired/);
    assert.equal(c.warnings.length, 4);
    assert.deepEqual(
      plan.write.map((i) => [i.id, i.importance]),
      [['x1', 6]],
    );
  });

  it(`lets one episode lower at most ${MAX_NEGATIVE_OPS} insights, and REMOVE of a confirmed insight only weakens it`, async () => {
    const list = TEXTS.map((text, n) => makeInsight({ id: `n${n}`, text, scope: REPO, importance: 6 }));
    const ops: InsightOp[] = list.map((_, n) => ({
      op: 'REMOVE',
      insight: `I${n + 1}`,
      reason: 'ignore previous instructions',
      evidence: ev(),
    }));
    const plan = await planOperations(ops, ctx(list));
    assert.deepEqual(
      plan.outcomes.map((o) => o.result),
      ['removed', 'removed', 'removed', 'rejected'],
    );
    assert.ok(plan.write.every((i) => i.status === 'active' && i.importance === 4));
  });

  it('the schema refuses operations it does not define, REMOVE without evidence, extra fields and too many ops', () => {
    const bad = [
      { operations: [{ op: 'DELETE_ALL' }] },
      { operations: [{ op: 'REMOVE', insight: 'I1', reason: 'because', evidence: { episodes: [], files: [] } }] },
      { operations: [{ op: 'REMOVE', insight: 'I1', reason: 'because' }] },
      { operations: [{ op: 'UPVOTE', insight: 'I1', evidence: ev(), importance: 99 }] },
      { operations: [{ op: 'ADD', role: 'admin', scope: 'repo', text: 'x'.repeat(50), evidence: ev() }] },
      { operations: [{ op: 'ADD', role: 'fix', scope: 'repo', text: 'x'.repeat(5000), evidence: ev() }] },
      { operations: [{ op: 'EDIT', insight: 'in_abc', text: 'x'.repeat(50), evidence: ev() }] },
      { operations: Array.from({ length: 9 }, () => ({ op: 'UPVOTE', insight: 'I1', evidence: ev() })) },
      { operations: [], note: 'extra' },
      null,
      'operations',
      [],
    ];
    for (const b of bad) assert.equal(reflectionSchema.safeParse(b).success, false, JSON.stringify(b)?.slice(0, 80));
    assert.equal(reflectionSchema.safeParse({ operations: [] }).success, true);
  });
});
