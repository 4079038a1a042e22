// Feedback and utility in the store, by replaying synthetic repair sessions against a real store:
// what is credited at a session's end (used + resolved → helped, not relevant → harmed, ignored →
// nothing), idempotence, undo before and after crediting, decay with age, the bounds of the ranking
// prior (one click never buries a good repair; a thousand never lift a stranger past MAX_LIFT),
// "not relevant" hiding a memory for that query only, insight votes, and no query text stored.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  creditSession,
  hiddenFor,
  logRecall,
  queryHash,
  recordFeedback,
  undoFeedback,
  utilityFor,
  utilityStats,
} from '../../src/core/feedback/feedback';
import { decay, HALF_LIFE_DAYS, MAX_LIFT, PRIOR_WEIGHT, utilityOf, utilityWords, type Credit } from '../../src/core/feedback/utility';
import { recall } from '../../src/core/recall/recall';
import { ExperienceStore } from '../../src/core/store';
import { makeEpisode, makeInsight } from '../helpers/records';
import { useTempDir } from '../helpers/tmp';

const REPO = 'github.com/acme/shop';
const DAY = 86_400_000;
const ago = (days: number) => new Date(Date.now() - days * DAY).toISOString();

/** A small deterministic PRNG (mulberry32), so the random replays are the same every run. */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('utility prior: bounds and decay (pure)', () => {
  it('stays within [1/MAX_LIFT, MAX_LIFT] for any history, and is 1 without one', () => {
    assert.equal(utilityOf([]).factor, 1);
    const r = rng(17);
    const kinds = ['helped', 'harmed', 'used'] as const;
    for (let trial = 0; trial < 300; trial++) {
      const n = 1 + Math.floor(r() * 200);
      const credits: Credit[] = Array.from({ length: n }, () => ({ kind: kinds[Math.floor(r() * 3)], at: ago(r() * 1000) }));
      const u = utilityOf(credits);
      assert.ok(u.u > -1 && u.u < 1, `u ${u.u}`);
      assert.ok(u.factor <= MAX_LIFT && u.factor >= 1 / MAX_LIFT, `factor ${u.factor}`);
      assert.equal(u.times, n);
    }
    const allHelped = utilityOf(Array.from({ length: 1000 }, () => ({ kind: 'helped' as const, at: ago(0) })));
    assert.ok(allHelped.factor < MAX_LIFT && allHelped.factor > MAX_LIFT * 0.99);
  });

  it('one "not relevant" lowers a memory a little, not to the floor', () => {
    const one = utilityOf([{ kind: 'harmed', at: ago(0) }]);
    assert.ok(Math.abs(one.u - -1 / (1 + PRIOR_WEIGHT)) < 1e-3);
    assert.ok(one.factor > 0.9 && one.factor < 1, `${one.factor}`);
  });

  it('decays by half every HALF_LIFE_DAYS, so an old verdict weighs less than a new one', () => {
    assert.ok(Math.abs(decay(ago(HALF_LIFE_DAYS), Date.now()) - 0.5) < 1e-3);
    assert.ok(Math.abs(decay(ago(2 * HALF_LIFE_DAYS), Date.now()) - 0.25) < 1e-3);
    assert.equal(decay('not a time', Date.now()), 0);
    const oldHarm = utilityOf([{ kind: 'harmed', at: ago(3 * 365) }]);
    const newHarm = utilityOf([{ kind: 'harmed', at: ago(1) }]);
    assert.ok(oldHarm.factor > newHarm.factor && oldHarm.factor > 0.99);
    // Recent help outweighs old harm of the same count.
    assert.ok(
      utilityOf([
        { kind: 'harmed', at: ago(700) },
        { kind: 'helped', at: ago(2) },
      ]).u > 0,
    );
  });

  it('says "helped n of m times"', () => {
    assert.equal(utilityWords({ helpedCount: 3, times: 4 }), 'helped 3 of 4 times');
    assert.equal(utilityWords({ helpedCount: 0, times: 1 }), 'helped 0 of 1 time');
    assert.equal(utilityWords({ helpedCount: 0, times: 0 }), undefined);
  });
});

describe('feedback in the store: replayed sessions', function () {
  this.timeout(120_000);
  const tmp = useTempDir();
  let store: ExperienceStore;
  const cart = makeEpisode({
    id: 'cart',
    repo: REPO,
    createdAt: ago(20),
    issue: { title: 'Cart total ignores the discount in cart_totals.py', body: 'apply_discount is skipped' },
    files: ['shop/cart/cart_totals.py'],
    symbols: ['apply_discount'],
  });
  const tax = makeEpisode({
    id: 'tax',
    repo: REPO,
    createdAt: ago(25),
    issue: { title: 'Cart total rounds the tax in cart_tax.py', body: 'float rounding of the total' },
    files: ['shop/cart/cart_tax.py'],
    symbols: ['tax_total'],
  });
  const mail = makeEpisode({
    id: 'mail',
    repo: REPO,
    createdAt: ago(30),
    issue: { title: 'Order mail shows the cart total twice', body: 'template bug' },
    files: ['shop/mail/order.py'],
    symbols: ['render_order'],
  });
  const lesson = makeInsight({ id: 'lesson-cart', text: 'Cart totals: apply discounts before tax.', scope: REPO, status: 'active' });
  const QUERY = 'Cart total is wrong when a discount and tax apply';

  beforeEach(async () => {
    store = await ExperienceStore.open(tmp.path);
    await store.upsertEpisodes([cart, tax, mail]);
    await store.upsertInsights([lesson]);
  });
  afterEach(() => store.close());

  /** One session: recall shown, the given events, then the outcome. */
  async function replay(
    sessionId: string,
    events: [string, 'not-relevant' | 'helpful' | 'opened' | 'copied' | 'inserted' | 'prompted'][],
    outcome: 'resolved' | 'failed' | 'abandoned',
    shown = ['cart', 'tax', 'mail'],
    query = QUERY,
  ) {
    await logRecall(store, { sessionId, query, episodes: shown, insights: ['lesson-cart'], source: 'panel' });
    for (const [subject, kind] of events)
      await recordFeedback(store, { subject, kind, sessionId, query, subjectKind: subject.startsWith('lesson') ? 'insight' : 'episode' });
    return creditSession(store, { sessionId, outcome });
  }

  it('credits used + resolved as helped, not relevant as harmed, used + failed as used, ignored as nothing; idempotent', async () => {
    const r1 = await replay(
      's1',
      [
        ['cart', 'opened'],
        ['tax', 'not-relevant'],
      ],
      'resolved',
    );
    assert.deepEqual(r1, { helped: ['cart'], harmed: ['tax'], used: [] });
    const r2 = await replay('s2', [['cart', 'copied']], 'failed');
    assert.deepEqual(r2, { helped: [], harmed: [], used: ['cart'] });
    const r3 = await replay('s3', [], 'resolved');
    assert.deepEqual(r3, { helped: [], harmed: [], used: [] }, 'shown and ignored: nothing');
    await creditSession(store, { sessionId: 's1', outcome: 'resolved' });
    await creditSession(store, { sessionId: 's1', outcome: 'resolved' });
    const u = await utilityFor(store, ['cart', 'tax', 'mail']);
    assert.equal(u.get('cart')?.helpedCount, 1);
    assert.equal(u.get('cart')?.times, 2);
    assert.equal(u.get('tax')?.times, 1);
    assert.ok((u.get('tax')?.factor ?? 1) < 1);
    assert.equal(u.has('mail'), false);
    const stats = await utilityStats(store);
    assert.deepEqual([stats.sessionsCredited, stats.helped, stats.harmed, stats.used, stats.recalls], [3, 1, 1, 1, 3]);
    assert.equal(stats.memories[0].id, 'cart');
  });

  it('undo before the end leaves nothing; undo after the end takes the credit back', async () => {
    await logRecall(store, { sessionId: 's4', query: QUERY, episodes: ['cart', 'tax'], source: 'panel' });
    await recordFeedback(store, { subject: 'tax', kind: 'not-relevant', sessionId: 's4', query: QUERY });
    assert.equal(await undoFeedback(store, { subject: 'tax', kind: 'not-relevant', sessionId: 's4', query: QUERY }), true);
    assert.equal(
      await undoFeedback(store, { subject: 'tax', kind: 'not-relevant', sessionId: 's4', query: QUERY }),
      false,
      'nothing left to undo',
    );
    assert.deepEqual(await creditSession(store, { sessionId: 's4', outcome: 'resolved' }), { helped: [], harmed: [], used: [] });
    await recordFeedback(store, { subject: 'tax', kind: 'not-relevant', sessionId: 's4', query: QUERY });
    assert.equal((await utilityFor(store, ['tax'])).get('tax')?.times, 1, 'feedback after the end re-credits the session');
    await undoFeedback(store, { subject: 'tax', kind: 'not-relevant', sessionId: 's4', query: QUERY });
    assert.equal((await utilityFor(store, ['tax'])).has('tax'), false);
  });

  it('"not relevant" hides the memory for that query only (still k results), and lowers it elsewhere by a bounded amount; undo restores', async () => {
    const before = await recall(store, { text: QUERY, repo: REPO, k: 2, minRelevance: 0 });
    assert.equal(before.length, 2);
    const top = before[0].episodeId;
    await recordFeedback(store, { subject: top, kind: 'not-relevant', query: QUERY });
    assert.deepEqual([...(await hiddenFor(store, `  ${QUERY.toUpperCase()} `))], [top], 'the same query, whatever its case and spacing');
    const after = await recall(store, { text: QUERY, repo: REPO, k: 2, minRelevance: 0 });
    assert.equal(after.length, 2, 'one more was asked for');
    assert.ok(!after.some((h) => h.episodeId === top));
    const other = 'Cart total is wrong with a discount code';
    const plain = await recall(store, { text: other, repo: REPO, k: 3, minRelevance: 0 });
    const hit = plain.find((h) => h.episodeId === top);
    assert.ok(hit, 'another query still finds it');
    assert.deepEqual(hit.track, { helped: 0, times: 1 });
    assert.equal(await undoFeedback(store, { subject: top, kind: 'not-relevant', query: QUERY }), true);
    assert.deepEqual(
      (await recall(store, { text: QUERY, repo: REPO, k: 2, minRelevance: 0 })).map((h) => h.episodeId),
      before.map((h) => h.episodeId),
    );
  });

  it('lifts and lowers ranking scores by at most MAX_LIFT, however many sessions agree', async () => {
    const first = await recall(store, { text: QUERY, repo: REPO, k: 3, minRelevance: 0 });
    const base = new Map(first.map((h) => [h.episodeId, h.score]));
    const r = rng(5);
    for (let i = 0; i < 12; i++) {
      const good = r() < 0.9;
      // Other issues' sessions (the same issue would hide "cart" outright).
      await replay(
        `many-${i}`,
        [
          ['mail', 'opened'],
          ['cart', 'not-relevant'],
        ],
        good ? 'resolved' : 'failed',
        undefined,
        `Another cart issue number ${i}`,
      );
    }
    const hits = await recall(store, { text: QUERY, repo: REPO, k: 3, minRelevance: 0 });
    for (const h of hits) {
      const ratio = h.score / base.get(h.episodeId)!;
      assert.ok(ratio <= MAX_LIFT + 1e-3 && ratio >= 1 / MAX_LIFT - 1e-3, `${h.episodeId} moved by ${ratio}`);
    }
    assert.ok(hits.find((h) => h.episodeId === 'mail')!.score > base.get('mail')!);
    assert.ok(hits.find((h) => h.episodeId === 'cart')!.score < base.get('cart')!);
    for (const h of hits)
      assert.equal(h.relevance, first.find((f) => f.episodeId === h.episodeId)!.relevance, 'relevance is not changed by utility');
    assert.deepEqual(hits.find((h) => h.episodeId === 'cart')!.track, { helped: 0, times: 12 });
  });

  it('insights get outcome-driven votes in their counters, once per session, undone with the feedback', async () => {
    await replay('si', [['lesson-cart', 'prompted']], 'resolved');
    await creditSession(store, { sessionId: 'si', outcome: 'resolved' });
    assert.deepEqual((await store.getInsight('lesson-cart'))?.feedback, { helpful: 1, unhelpful: 0 });
    await undoFeedback(store, { subject: 'lesson-cart', kind: 'prompted', sessionId: 'si', query: QUERY, subjectKind: 'insight' });
    assert.deepEqual((await store.getInsight('lesson-cart'))?.feedback, { helpful: 0, unhelpful: 0 });
    await replay('sj', [['lesson-cart', 'not-relevant']], 'failed');
    assert.deepEqual((await store.getInsight('lesson-cart'))?.feedback, { helpful: 0, unhelpful: 1 });
  });

  it('stores the query only as a hash, and rejects feedback with neither session nor query', async () => {
    const secretish = 'Cart total QUERYWORDX9 is wrong';
    await logRecall(store, { sessionId: 'sq', query: secretish, episodes: ['cart'], source: 'hook' });
    await recordFeedback(store, { subject: 'cart', kind: 'helpful', query: secretish });
    store.close();
    const files: string[] = [];
    const walk = (d: string) =>
      readdirSync(d).forEach((n) => (statSync(join(d, n)).isDirectory() ? walk(join(d, n)) : files.push(join(d, n))));
    walk(join(tmp.path));
    assert.ok(files.some((f) => f.includes('feedback.lance')) && files.some((f) => f.includes('recall_log.lance')));
    assert.ok(!files.some((f) => readFileSync(f).includes('QUERYWORDX9')), 'the query text is on disk');
    assert.equal(queryHash(secretish).length, 16);
    store = await ExperienceStore.open(tmp.path);
    await assert.rejects(recordFeedback(store, { subject: 'cart', kind: 'helpful' }), /needs a session or the query/);
  });
});
