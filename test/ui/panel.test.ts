// The side panel in real headless Chromium: the bundle served under its real content security
// policy by a harness page that stands in for the host (test/ui/harness).
import assert from 'node:assert/strict';
import { DEMO_PROMPT, demoState } from './fixtures/demoState';
import { usePanelPerTest, type Panel } from './harness/browser';

describe('side panel (Chromium)', function () {
  let panel: Panel;

  usePanelPerTest({ panel: (p) => (panel = p), state: () => ({ type: 'state', state: demoState() }) });

  it('renders the issue header, episode cards and insights from the state', async () => {
    const { page } = panel;
    await page.getByRole('heading', { name: 'Invoice CSV export crashes for invoices without a due date' }).waitFor();
    assert.equal(await page.locator('header.issue a').getAttribute('href'), 'https://github.com/acme/invoice-service/issues/231');
    assert.match(
      await page.locator('header.issue .meta').innerText(),
      /github\.com\/acme\/invoice-service · 14 min in · 2 attempts · last failed/,
    );
    const cards = page.locator('article.card');
    assert.equal(await cards.count(), 3);
    const first = cards.first();
    assert.match(await first.locator('.card-title').innerText(), /CSV export fails with TypeError/);
    assert.equal(await first.locator('.card-head .badge').innerText(), 'resolved');
    assert.match(await first.locator('.meta').innerText(), /12 days ago · high relevance \(0\.62\) · 2 attempts/);
    assert.match(await first.locator('.why').innerText(), /Why: touched invoice_service\/export\/csv_export\.py/);
    assert.equal(await cards.nth(2).locator('.card-head .badge').innerText(), 'failed');
    assert.equal(
      await cards
        .nth(2)
        .getByRole('button', { name: /Open final patch/ })
        .count(),
      0,
      'no final patch, no button',
    );
    assert.equal(await page.getByRole('heading', { name: 'Recalled experience (3)' }).count(), 1);

    const insights = page.locator('article.insight');
    assert.equal(await insights.count(), 3);
    assert.equal(await insights.nth(1).locator('.badge.stale').innerText(), 'stale');
    assert.equal(await insights.nth(2).locator('.badge.proposed').innerText(), 'proposed');
    assert.equal(await insights.first().locator('.md code').first().innerText(), 'None', 'insight Markdown is formatted');
    assert.match(await insights.first().locator('.evidence').innerText(), /2 episodes · files invoice_service\/export\/csv_export\.py/);
    assert.equal(
      await insights
        .nth(2)
        .getByRole('button', { name: /^Approve insight/ })
        .count(),
      1,
      'proposed insights can be approved',
    );
    assert.equal(
      await insights
        .first()
        .getByRole('button', { name: /^Approve insight/ })
        .count(),
      0,
      'active ones need no approval',
    );
  });

  it('expands a card to its attempts and asks the host to open patches', async () => {
    const { page } = panel;
    const card = page.locator('article.card').first();
    const toggle = card.getByRole('button', { name: /^Show attempts:/ });
    assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
    assert.equal(await card.locator('.attempt').count(), 0);
    await toggle.click();
    const hide = card.getByRole('button', { name: /^Hide attempts:/ });
    assert.equal(await hide.getAttribute('aria-expanded'), 'true');
    assert.equal(await card.locator(`#${await hide.getAttribute('aria-controls')}`).count(), 1, 'aria-controls points at the attempts');
    const attempts = card.locator('.attempt');
    assert.equal(await attempts.count(), 2);
    assert.equal(await attempts.first().locator('.command').innerText(), 'pytest tests/test_csv_export.py -x -q');
    assert.equal(await attempts.first().locator('.attempt-head .badge').innerText(), 'exit 1');
    assert.equal(await attempts.nth(1).locator('.attempt-head .badge').innerText(), 'exit 0');
    await attempts.first().locator('summary', { hasText: 'Output' }).click();
    assert.match(await attempts.first().locator('pre.output').innerText(), /AssertionError: assert '0' == ''/);

    await attempts
      .first()
      .getByRole('button', { name: /Open patch of attempt/ })
      .click();
    const open = await panel.waitForPosted('episode.openPatch');
    assert.deepEqual(open, { type: 'episode.openPatch', episodeId: 'demo-ep-01', attemptId: 'demo-ep-01-a1' });
    await card.getByRole('button', { name: /^Open final patch/ }).click();
    await panel.waitForPosted('episode.openPatch', (m) => m.attemptId === undefined && m.episodeId === 'demo-ep-01');

    await hide.click();
    assert.equal(await card.locator('.attempt').count(), 0, 'collapses again');
  });

  it('"Not relevant" hides the card at once and tells the host', async () => {
    const { page } = panel;
    await page
      .locator('article.card')
      .nth(1)
      .getByRole('button', { name: /^Not relevant:/ })
      .click();
    const m = await panel.waitForPosted('episode.notRelevant');
    assert.deepEqual(m, { type: 'episode.notRelevant', episodeId: 'demo-ep-07' });
    assert.equal(await page.locator('article.card').count(), 2);
    assert.equal(await page.locator('[data-episode="demo-ep-07"]').count(), 0);
    assert.equal(await page.getByRole('heading', { name: 'Recalled experience (2)' }).count(), 1);
  });

  it('insight actions send their payloads; edit sends the new text', async () => {
    const { page } = panel;
    const proposed = page.locator('[data-insight="demo-in-05"]');
    await proposed.getByRole('button', { name: /^Approve insight/ }).click();
    await proposed.getByRole('button', { name: /^Helpful/ }).click();
    await proposed.getByRole('button', { name: /^Not helpful/ }).click();
    await proposed.getByRole('button', { name: /^Retire insight/ }).click();
    const actions = (await panel.posted()).filter((m) => m.type === 'insight.action');
    assert.deepEqual(
      actions,
      ['approve', 'helpful', 'not-helpful', 'retire'].map((action) => ({ type: 'insight.action', insightId: 'demo-in-05', action })),
    );

    const active = page.locator('[data-insight="demo-in-01"]');
    await active.getByRole('button', { name: /^Edit insight/ }).click();
    const area = active.getByRole('textbox', { name: 'Insight text' });
    // The panel moves focus once the editor is in the page (a task after the click's re-render): wait for it.
    await page.waitForFunction(
      () => {
        const doc = (globalThis as unknown as { document: { activeElement: { getAttribute(n: string): string | null } | null } }).document;
        return doc.activeElement?.getAttribute('aria-label') === 'Insight text';
      },
      undefined,
      { timeout: 10_000 },
    );
    assert.equal(
      await area.evaluate((el) => el === (globalThis as unknown as { document: { activeElement: unknown } }).document.activeElement),
      true,
      'focus moves into the editor',
    );
    await area.fill('A missing date is an empty cell in CSV exports.');
    await active.getByRole('button', { name: 'Save insight' }).click();
    const edit = await panel.waitForPosted('insight.edit');
    assert.deepEqual(edit, { type: 'insight.edit', insightId: 'demo-in-01', text: 'A missing date is an empty cell in CSV exports.' });
    assert.equal(await active.getByRole('textbox').count(), 0, 'editor closes');
  });

  it('composes the prompt on load and again when the stage changes; edits are marked and sent', async () => {
    const { page } = panel;
    const first = await panel.waitForPosted('prompt.compose');
    assert.equal(first.stage, 'fix', 'the default stage');
    assert.match(await page.locator('.tokens').innerText(), /composing/);
    await panel.send({ type: 'compose.result', requestId: first.requestId, stage: 'fix', text: DEMO_PROMPT, tokens: 412 });
    assert.equal(await page.getByRole('textbox', { name: 'Composed prompt' }).inputValue(), DEMO_PROMPT);
    assert.equal(await page.locator('.tokens').innerText(), '412 tokens');

    await panel.clearPosted();
    await page.getByRole('combobox', { name: 'Prompt stage' }).selectOption('reproduce');
    const second = await panel.waitForPosted('prompt.compose');
    assert.equal(second.stage, 'reproduce');
    assert.notEqual(second.requestId, first.requestId);
    // A late answer to an older request is ignored.
    await panel.send({ type: 'compose.result', requestId: first.requestId, stage: 'fix', text: 'stale', tokens: 1 });
    await panel.send({
      type: 'compose.result',
      requestId: second.requestId,
      stage: 'reproduce',
      text: 'Write a failing test first.',
      tokens: 6,
    });
    const box = page.getByRole('textbox', { name: 'Composed prompt' });
    assert.equal(await box.inputValue(), 'Write a failing test first.');

    await box.fill('Write a failing test first, with TZ=UTC.');
    assert.match(await page.locator('.tokens').innerText(), /^≈10 tokens \(edited\)$/);
    await page.getByRole('button', { name: 'Open the prompt in Copilot Chat' }).click();
    assert.deepEqual(await panel.waitForPosted('prompt.openInCopilot'), {
      type: 'prompt.openInCopilot',
      prompt: 'Write a failing test first, with TZ=UTC.',
    });
    await page.getByRole('button', { name: 'Send the prompt to the chat' }).click();
    const send = await panel.waitForPosted('chat.send');
    assert.equal(send.text, 'Write a failing test first, with TZ=UTC.');
    assert.equal(send.sessionId, 'session-231');
    assert.equal(send.provider, 'anthropic');

    await panel.clearPosted();
    await panel.send({ type: 'compose.error', requestId: 'nope', stage: 'fix', message: 'ignored' });
    await page.getByRole('button', { name: /Recompose/ }).click();
    const third = await panel.waitForPosted('prompt.compose');
    await panel.send({ type: 'compose.error', requestId: third.requestId, stage: 'reproduce', message: 'The store is not available.' });
    await page.getByRole('status').filter({ hasText: 'Could not compose the prompt: The store is not available.' }).waitFor();
  });
});
