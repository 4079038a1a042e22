// "No confident match" in real headless Chromium: with nothing above the relevance threshold the
// panel says so plainly and offers "Show weaker matches" (keyboard-reachable, posts
// `recall.showWeaker`); the host's answer shows the weaker cards with a note and focus lands on the
// first of them. Cards the user hid are not mistaken for "nothing reached the threshold".
import assert from 'node:assert/strict';
import { demoState, episodes } from './fixtures/demoState';
import { usePanelPerTest, type Panel } from './harness/browser';

const ACTIVE_KEY = "document.activeElement?.getAttribute('data-key') ?? document.activeElement?.tagName ?? ''";

describe('side panel: no confident match (Chromium)', function () {
  let panel: Panel;
  usePanelPerTest({ panel: (p) => (panel = p) });

  for (const min of [0.15, 0.3, 0.05]) {
    it(`says no past repair reached ${min.toFixed(2)} and shows weaker matches from the keyboard`, async () => {
      const { page } = panel;
      await panel.send({ type: 'state', state: demoState({ episodes: [], threshold: { minRelevance: min, weaker: false } }) });
      const text = page.locator('.no-match p');
      await text.waitFor();
      assert.match(await text.innerText(), new RegExp(`No confident match: no past repair reached relevance ${min.toFixed(2)}`));
      assert.equal(await page.locator('article.card').count(), 0);
      assert.equal(await page.getByText('No similar past repairs found.').count(), 0, 'an abstention is not "nothing found"');
      const show = page.getByRole('button', { name: 'Show weaker matches' });
      assert.equal(await show.getAttribute('aria-describedby'), 'no-confident-match');
      // Reach it with Tab alone, press Enter.
      await page.evaluate('(document.activeElement && document.activeElement.blur(), 0)');
      let reached = false;
      for (let i = 0; i < 60 && !reached; i++) {
        await page.keyboard.press('Tab');
        reached = (await page.evaluate<string>(ACTIVE_KEY)) === 'recall:weaker';
      }
      assert.ok(reached, '"Show weaker matches" is not reachable with Tab');
      await page.keyboard.press('Enter');
      assert.deepEqual(await panel.waitForPosted('recall.showWeaker'), { type: 'recall.showWeaker' });
      const weak = episodes.map((e) => ({ ...e, relevance: Math.min(e.relevance, min / 2) }));
      await panel.send({ type: 'state', state: demoState({ episodes: weak, threshold: { minRelevance: min, weaker: true } }) });
      await page.locator('article.card').first().waitFor();
      assert.equal(await page.locator('article.card').count(), weak.length);
      assert.match(
        await page.locator('.weaker-note').innerText(),
        new RegExp(`Showing weaker matches too \\(below relevance ${min.toFixed(2)}\\)`),
      );
      assert.match(await page.locator('article.card .meta').first().innerText(), /low relevance \(0\.\d\d\)/);
      assert.equal(await page.locator('.no-match').count(), 0);
      await page.waitForFunction(`document.activeElement?.getAttribute('data-key') === 'ep:${weak[0].id}:toggle'`);
    });
  }

  it('weaker matches asked for but none at all: says nothing was found, focus on that line', async () => {
    const { page } = panel;
    await panel.send({ type: 'state', state: demoState({ episodes: [], threshold: { minRelevance: 0.15, weaker: false } }) });
    await page.getByRole('button', { name: 'Show weaker matches' }).click();
    await panel.waitForPosted('recall.showWeaker');
    await panel.send({ type: 'state', state: demoState({ episodes: [], threshold: { minRelevance: 0.15, weaker: true } }) });
    await page.getByText('No similar past repairs found.').waitFor();
    assert.equal(await page.getByRole('button', { name: 'Show weaker matches' }).count(), 0);
    await page.waitForFunction(`document.activeElement?.getAttribute('data-key') === 'recall:none'`);
  });

  it('threshold 0 (the user asked for every match) and an empty memory: no offer, just "none found"', async () => {
    const { page } = panel;
    await panel.send({ type: 'state', state: demoState({ episodes: [], threshold: { minRelevance: 0, weaker: false } }) });
    await page.getByText('No similar past repairs found.').waitFor();
    assert.equal(await page.getByRole('button', { name: 'Show weaker matches' }).count(), 0);
  });

  it('hiding every card with "Not relevant" is not an abstention: Undo, no offer', async () => {
    const { page } = panel;
    const one = [episodes[0]];
    await panel.send({ type: 'state', state: demoState({ episodes: one }) });
    await page.getByRole('button', { name: `Not relevant: ${one[0].title}` }).click();
    await panel.waitForPosted('episode.notRelevant');
    await page.getByRole('button', { name: /^Undo not relevant/ }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Show weaker matches' }).count(), 0);
  });

  it('without an open issue there is no threshold talk', async () => {
    const { page } = panel;
    await panel.send({ type: 'state', state: demoState({ issue: null, episodes: [], threshold: null }) });
    await page.getByText('Open an issue to recall past repairs.').waitFor();
    assert.equal(await page.locator('.no-match, .weaker-note').count(), 0);
  });
});
