// Every control of the panel is reachable with Tab, has an accessible name, and works from the
// keyboard; re-rendering keeps the focus where it was.
import assert from 'node:assert/strict';
import { demoState } from './fixtures/demoState';
import { openPanel, startSession, type Panel, type Session } from './harness/browser';

// In-page snippets (functions passed to page.evaluate cannot use this module's helpers).
const BLUR = '(document.activeElement && document.activeElement.blur(), 0)';
const ACTIVE_NAME = `(() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const label = el.getAttribute('aria-label') ?? (el.id ? document.querySelector('label[for="' + el.id + '"]')?.textContent : null) ?? el.textContent;
  return el.tagName.toLowerCase() + ':' + (label ?? '').trim();
})()`;
const ACTIVE_ATTR = (name: string) => `document.activeElement?.getAttribute(${JSON.stringify(name)}) ?? ''`;

describe('side panel keyboard and ARIA (Chromium)', function () {
  let session: Session;
  let panel: Panel;

  before(async () => {
    session = await startSession();
    panel = await openPanel(session);
    const at = new Date().toISOString();
    await panel.send({
      type: 'state',
      state: demoState({ conversation: [{ role: 'assistant', content: '```sh\nnpm test\n```', at, provider: 'anthropic' }] }),
    });
    const compose = await panel.waitForPosted('prompt.compose');
    await panel.send({ type: 'compose.result', requestId: compose.requestId, stage: 'fix', text: 'prompt', tokens: 1 });
  });
  after(async () => {
    await session?.close();
  });

  /** Tabs through the whole panel and returns the accessible name (or tag) of each stop. */
  async function tabStops(): Promise<string[]> {
    const { page } = panel;
    await page.evaluate(BLUR);
    const names: string[] = [];
    for (let i = 0; i < 200; i++) {
      await page.keyboard.press('Tab');
      const name = await page.evaluate<string | null>(ACTIVE_NAME);
      if (name === null || (names.length && name === names[0])) break;
      names.push(name);
    }
    return names;
  }

  it('Tab reaches every kind of control, each with a name', async () => {
    const stops = await tabStops();
    const expected = [
      /^a:Invoice CSV export crashes/,
      /^button:Show attempts: CSV export fails/,
      /^button:Open final patch: CSV export fails/,
      /^button:Not relevant: CSV export fails/,
      /^button:Approve insight: Reject patches/,
      /^button:Helpful: In CSV export rows/,
      /^button:Not helpful: In CSV export rows/,
      /^button:Edit insight: In CSV export rows/,
      /^button:Retire insight: In CSV export rows/,
      /^select:Prompt stage/,
      /^textarea:Composed prompt/,
      /^button:Send the prompt to the chat/,
      /^button:Open the prompt in Copilot Chat/,
      /^button:Recompose/,
      /^select:Chat model provider/,
      /^button:Copy code/,
      /^button:Insert code at cursor/,
      /^textarea:Message/,
    ];
    for (const re of expected)
      assert.ok(
        stops.some((s) => re.test(s)),
        `no tab stop matches ${re}; stops:\n${stops.join('\n')}`,
      );
    for (const s of stops) assert.doesNotMatch(s, /^[a-z]+:$/, `a control without a name: ${s}`);
  });

  it('Enter expands a card and the focus stays on its toggle; Space sends feedback', async () => {
    const { page } = panel;
    const toggle = page
      .locator('article.card')
      .first()
      .getByRole('button', { name: /attempts:/ });
    await toggle.focus();
    await page.keyboard.press('Enter');
    await page.locator('article.card').first().locator('.attempt').first().waitFor();
    const focused = await page.evaluate<string>(ACTIVE_ATTR('aria-label'));
    assert.match(focused ?? '', /^Hide attempts: CSV export fails/, 'the re-rendered toggle has the focus');
    assert.equal(await page.evaluate<string>(ACTIVE_ATTR('aria-expanded')), 'true');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    assert.match(await page.evaluate<string>(ACTIVE_ATTR('aria-label')), /^Not relevant: CSV export fails/);
    await page.keyboard.press('Space');
    assert.deepEqual(await panel.waitForPosted('episode.notRelevant'), { type: 'episode.notRelevant', episodeId: 'demo-ep-01' });
  });

  it('landmarks and live regions are labelled', async () => {
    const { page } = panel;
    assert.equal(await page.getByRole('region', { name: /^Recalled experience \(\d\)$/ }).count(), 1);
    assert.equal(await page.getByRole('region', { name: /^Insights/ }).count(), 1);
    assert.equal(await page.getByRole('region', { name: 'Prompt' }).count(), 1);
    assert.equal(await page.getByRole('region', { name: 'Chat' }).count(), 1);
    assert.equal(await page.getByRole('log', { name: 'Conversation' }).count(), 1);
    assert.equal(await page.locator('[role="status"][aria-live="polite"]').count(), 1);
  });
});
