// One age wording for every surface, from one function (src/shared/age.ts): the panel's "12 months
// ago" and the composed prompt's "12 months old" — read from real composed prompts — agree on the
// number; and titles in toasts cut at a word with an ellipsis.
import assert from 'node:assert/strict';
import { composeFrom } from '../../src/core/compose';
import { ellipsize } from '../../src/core/util/text';
import { ageAgo, ageOld, ageWords } from '../../src/shared/age';
import { makeEpisode, makeInsight } from '../helpers/records';

const DAY = 86_400_000;
const NOW = Date.parse('2026-12-05T12:00:00Z');
const ago = (days: number) => new Date(NOW - days * DAY).toISOString();

describe('age wording', () => {
  const cases: [number, string][] = [
    [0, 'today'],
    [0.9, 'today'],
    [1, '1 day'],
    [13.9, '13 days'],
    [14, '2 weeks'],
    [59, '8 weeks'],
    [60, '1 month'],
    [395, '12 months'],
    [400, '13 months'],
    [729, '23 months'],
    [730, '1 year'],
    [3650, '9 years'],
  ];
  for (const [days, words] of cases) {
    it(`${days} days → "${words}", the same in the panel and the prompt`, async () => {
      assert.equal(ageWords(ago(days), NOW), words);
      const panel = ageAgo(ago(days), NOW);
      const old = words === 'today' ? 'from today' : `${words} old`;
      assert.equal(panel, words === 'today' ? 'today' : `${words} ago`);
      assert.equal(ageOld(ago(days), NOW), old);
      // The composed prompt says it for a demonstration and for a lesson of that age.
      const episode = makeEpisode({ id: 'aged', createdAt: ago(days), outcome: 'resolved' });
      const insight = makeInsight({ createdAt: ago(days), role: 'fix', status: 'active' });
      const p = await composeFrom(
        { episodes: [{ episode }], insights: [{ insight }] },
        { stage: 'fix', issue: { body: 'Totals are off by a cent' } },
        { now: new Date(NOW) },
      );
      const text = p.markdown;
      assert.ok(text.includes(`age="${old}"`), `demonstration age ${old}`);
      assert.ok(text.includes(`(fix; ${old}; importance`), `lesson age ${old}`);
    });
  }
  for (const bad of ['', 'yesterday', '2026-13-45', 'NaN']) {
    it(`a bad date (${JSON.stringify(bad)}) reads as unknown`, () => {
      assert.equal(ageAgo(bad, NOW), 'unknown time');
      assert.equal(ageOld(bad, NOW), 'unknown age');
    });
  }
  it('a date in the future says so', () => {
    assert.equal(ageAgo(ago(-3), NOW), 'dated in the future');
    assert.equal(ageOld(ago(-3), NOW), 'dated in the future');
  });
});

describe('ellipsize (toast and status titles)', () => {
  it('keeps a short title as is (whitespace folded)', () => {
    assert.equal(ellipsize('  CSV export\n fails  ', 60), 'CSV export fails');
  });
  const title = 'CSV export fails with TypeError when the issue date column is empty on draft invoices';
  for (const max of [20, 40, 60, 80]) {
    it(`cuts at a word boundary with … (max ${max})`, () => {
      const out = ellipsize(title, max);
      assert.ok(out.length <= max, out);
      assert.ok(out.endsWith('…'), out);
      const kept = out.slice(0, -1);
      assert.ok(title.startsWith(kept), out);
      assert.ok(title[kept.length] === ' ', `cut mid-word: ${out}`);
    });
  }
  it('a single long word is cut with … rather than overflowing', () => {
    const out = ellipsize('x'.repeat(500), 40);
    assert.equal(out.length, 40);
    assert.ok(out.endsWith('…'));
  });
});
