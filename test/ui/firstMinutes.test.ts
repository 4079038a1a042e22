// The rough edges a new user hit in the panel (issue 18), each checked in real Chromium: no error
// on a fresh panel, no stale prompt after the session ends, the chat explains itself when it has no
// model, "looks fixed" stays until answered and the save is confirmed, "Not relevant" can be undone
// with focus and scroll kept, the panel fits a 250 px side bar, the header's timer runs.
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { ProviderInfo } from '../../src/shared/viewModel';
import { DEMO_PROMPT, demoState } from './fixtures/demoState';
import { openPanel, startSession, type Panel, type Session } from './harness/browser';

const NO_KEY: ProviderInfo[] = [
  { id: 'anthropic', label: 'Claude (Anthropic API)', available: false, detail: 'no API key: run "Dejafix: Set Anthropic API Key"' },
  { id: 'vscode-lm', label: 'VS Code language model', available: false, detail: 'none available (sign in to Copilot)' },
];

/** The computed title and disabled state of a button. */
async function why(page: Page, name: string | RegExp): Promise<{ disabled: boolean; title: string | null }> {
  const b = page.getByRole('button', { name });
  return { disabled: await b.isDisabled(), title: await b.getAttribute('title') };
}

async function composeOnce(panel: Panel, text = DEMO_PROMPT): Promise<void> {
  const req = await panel.waitForPosted('prompt.compose');
  await panel.send({ type: 'compose.result', requestId: req.requestId, stage: req.stage, text, tokens: 412 });
  await panel.page.getByRole('textbox', { name: 'Composed prompt' }).and(panel.page.locator(':not(:placeholder-shown)')).waitFor();
}

const activeId = (page: Page) =>
  page.evaluate(() => {
    const el = (
      globalThis as unknown as { document: { activeElement: { getAttribute(n: string): string | null; tagName: string } | null } }
    ).document.activeElement;
    return el ? (el.getAttribute('data-key') ?? el.tagName) : null;
  });

describe('panel: the first ten minutes (Chromium)', function () {
  let session: Session;
  let panel: Panel;
  before(async () => {
    session = await startSession();
  });
  after(async () => {
    await session?.close();
  });
  afterEach(async () => {
    await panel?.page.close();
  });

  for (const variant of ['no issue, memory empty', 'no issue, insights shown', 'no issue, no providers yet']) {
    it(`a fresh panel shows no error and composes nothing (${variant})`, async () => {
      panel = await openPanel(session);
      const state = demoState({
        issue: null,
        episodes: [],
        insights: variant === 'no issue, insights shown' ? demoState().insights : [],
        providers: variant === 'no issue, no providers yet' ? [] : demoState().providers,
      });
      await panel.send({ type: 'state', state });
      await panel.page.getByRole('heading', { name: 'No active issue' }).waitFor();
      // A late compose error (say, from before the session ended) is not shown either.
      await panel.send({
        type: 'compose.error',
        requestId: 'compose-old-1',
        stage: 'fix',
        message: 'Open an issue first (Dejafix: Open Issue…): prompts are composed for it.',
      });
      await panel.page.waitForTimeout(300);
      assert.equal((await panel.posted()).filter((m) => m.type === 'prompt.compose').length, 0, 'nothing to compose without an issue');
      assert.equal(await panel.page.locator('.notice:not([hidden])').count(), 0, 'no notice');
      assert.doesNotMatch(await panel.page.locator('body').innerText(), /Could not compose/);
      const send = await why(panel.page, 'Send the prompt to the chat');
      assert.deepEqual(send, { disabled: true, title: 'Open an issue first: the prompt is composed for it.' });
      assert.match(
        (await panel.page.getByRole('textbox', { name: 'Composed prompt' }).getAttribute('placeholder')) ?? '',
        /Open an issue first/,
      );
    });
  }

  it('after the session ends the prompt is cleared and Send says why it is disabled', async () => {
    panel = await openPanel(session);
    await panel.send({ type: 'state', state: demoState() });
    await composeOnce(panel);
    assert.equal((await why(panel.page, 'Send the prompt to the chat')).disabled, false);
    await panel.send({ type: 'state', state: demoState({ issue: null, episodes: [], sessionId: 'no-session' }) });
    await panel.page.getByRole('heading', { name: 'No active issue' }).waitFor();
    assert.equal(await panel.page.getByRole('textbox', { name: 'Composed prompt' }).inputValue(), '');
    assert.deepEqual(await why(panel.page, 'Send the prompt to the chat'), {
      disabled: true,
      title: 'Open an issue first: the prompt is composed for it.',
    });
    assert.equal(await panel.page.locator('#prompt-reason').innerText(), 'Open an issue first: the prompt is composed for it.');
    assert.equal((await why(panel.page, 'Open the prompt in Copilot Chat')).disabled, true);
    // A reload keeps it clean (the persisted UI state has no stale prompt).
    await panel.page.reload();
    await panel.page.getByRole('heading', { name: 'No active issue' }).waitFor();
    assert.equal(await panel.page.getByRole('textbox', { name: 'Composed prompt' }).inputValue(), '');
  });

  for (const [name, state] of [
    ['the session ended', () => demoState({ issue: null, episodes: [], sessionId: 'no-session' })],
    [
      'another issue opened',
      () => demoState({ sessionId: 'other-session', issue: { ...demoState().issue!, title: 'Another issue entirely' } }),
    ],
  ] as const) {
    it(`a reload at once after a change (${name}) restores the changed panel, not the one before`, async () => {
      panel = await openPanel(session);
      await panel.send({ type: 'state', state: demoState() });
      await panel.page.getByRole('heading', { name: demoState().issue!.title }).waitFor();
      const next = state();
      await panel.send({ type: 'state', state: next });
      const heading = next.issue ? next.issue.title : 'No active issue';
      await panel.page.getByRole('heading', { name: heading }).waitFor();
      await panel.page.reload(); // well within the panel's save delay
      await panel.page.getByRole('heading', { name: heading }).waitFor();
    });
  }

  for (const variant of ['with a prompt', 'after the session ended']) {
    it(`chat without a key explains itself inside the chat, with actions (${variant})`, async () => {
      panel = await openPanel(session);
      const { page } = panel;
      await panel.send({ type: 'state', state: demoState({ providers: NO_KEY }) });
      await composeOnce(panel);
      if (variant === 'after the session ended')
        await panel.send({ type: 'state', state: demoState({ providers: NO_KEY, issue: null, episodes: [], sessionId: 'no-session' }) });
      const help = page.locator('.messages .chat-help');
      await help.waitFor();
      assert.match(await help.innerText(), /no API key/);
      assert.match(await help.innerText(), /VS Code language model: none available \(sign in to Copilot\)/);
      await help.getByRole('button', { name: 'Set Anthropic API Key' }).click();
      await panel.waitForPosted('chat.setApiKey');
      await help.getByRole('button', { name: /Use a VS Code model/ }).click();
      await panel.waitForPosted('chat.setupVsCodeModel');
      assert.equal(
        await help.getByRole('button', { name: 'Copy the prompt to the clipboard' }).count(),
        variant === 'with a prompt' ? 1 : 0,
      );
      if (variant === 'with a prompt') {
        await help.getByRole('button', { name: 'Copy the prompt to the clipboard' }).click();
        assert.equal((await panel.waitForPosted('code.copy')).code, DEMO_PROMPT.trim());
      }
      const send = await why(page, 'Send message');
      assert.equal(send.disabled, true);
      assert.match(send.title ?? '', /No chat model is available/);
      // Ctrl+Enter says why nothing happened, next to the input.
      const input = page.getByRole('textbox', { name: 'Message' });
      await input.fill('Why does it crash?');
      await input.press('Control+Enter');
      assert.match(await page.locator('#chat-reason').innerText(), /No chat model is available/);
      assert.equal((await panel.posted()).filter((m) => m.type === 'chat.send').length, 0);
      // Keyboard: the help's first action is reachable with Tab from the stage selector onwards.
      await page.getByRole('combobox', { name: 'Prompt stage' }).focus();
      let reached = false;
      for (let i = 0; i < 15 && !reached; i++) {
        await page.keyboard.press('Tab');
        reached = (await activeId(page)) === 'chat:setKey';
      }
      assert.ok(reached, 'Set Anthropic API Key is reachable by keyboard');
    });
  }

  it('when a VS Code model is available the chat switches to it and shows no help', async () => {
    panel = await openPanel(session);
    const providers: ProviderInfo[] = [
      NO_KEY[0],
      { id: 'vscode-lm', label: 'VS Code language model', available: true, detail: 'copilot gpt-4.1' },
    ];
    await panel.send({ type: 'state', state: demoState({ providers }) });
    await panel.page.getByRole('button', { name: 'Send message' }).and(panel.page.locator(':enabled')).waitFor();
    assert.equal(await panel.page.getByRole('combobox', { name: 'Chat model provider' }).inputValue(), 'vscode-lm');
    assert.equal(await panel.page.locator('.chat-help').count(), 0);
  });

  it('"Looks fixed" stays in the panel until answered; the save is confirmed with a link', async () => {
    panel = await openPanel(session);
    const { page } = panel;
    await panel.send({ type: 'state', state: demoState({ offer: { title: 'Invoice CSV export crashes' } }) });
    const offer = page.getByRole('group', { name: 'Looks fixed' });
    await offer.waitFor();
    await page.waitForTimeout(1500);
    assert.equal(await offer.isVisible(), true, 'no timeout hides it');
    await offer.getByRole('button', { name: 'Keep Working' }).click();
    await panel.waitForPosted('session.keepWorking');
    await offer.getByRole('button', { name: 'Save as Resolved' }).click();
    await panel.waitForPosted('session.saveResolved');
    await panel.send({
      type: 'state',
      state: demoState({
        issue: null,
        episodes: [],
        saved: { episodeId: 'ep-abc', title: 'Invoice CSV export crashes', outcome: 'resolved', attempts: 3 },
      }),
    });
    await offer.waitFor({ state: 'detached' });
    const saved = page.locator('.saved');
    assert.equal(await saved.locator('p').innerText(), 'Saved “Invoice CSV export crashes” as resolved with 3 attempts.');
    await saved.getByRole('button', { name: /Open the saved patch/ }).click();
    assert.deepEqual(await panel.waitForPosted('episode.openPatch'), { type: 'episode.openPatch', episodeId: 'ep-abc' });
    await saved.getByRole('button', { name: 'Dismiss the saved message' }).click();
    await panel.waitForPosted('session.dismissSaved');
  });

  for (const index of [0, 1, 2]) {
    it(`"Not relevant" on card ${index + 1}: "1 hidden", focus on a neighbour, scroll kept, Undo brings it back`, async () => {
      panel = await openPanel(session, { height: 420 });
      const { page } = panel;
      const state = demoState();
      await panel.send({ type: 'state', state });
      const cards = page.locator('article.card');
      await cards.nth(2).waitFor();
      const target = state.episodes[index];
      await page.locator(`[data-key="ep:${target.id}:dismiss"]`).scrollIntoViewIfNeeded();
      const before = await page.evaluate(
        () => (globalThis as unknown as { document: { scrollingElement: { scrollTop: number } } }).document.scrollingElement.scrollTop,
      );
      await page.locator(`[data-key="ep:${target.id}:dismiss"]`).focus();
      await page.keyboard.press('Enter');
      assert.deepEqual(await panel.waitForPosted('episode.notRelevant'), { type: 'episode.notRelevant', episodeId: target.id });
      assert.equal(await page.locator('.hidden-note').innerText(), '1 hidden · Undo');
      const neighbour = state.episodes[index + 1] ?? state.episodes[index - 1];
      await page.waitForFunction(
        (key) =>
          (
            globalThis as unknown as { document: { activeElement: { getAttribute(n: string): string | null } | null } }
          ).document.activeElement?.getAttribute('data-key') === key,
        `ep:${neighbour.id}:dismiss`,
      );
      const after = await page.evaluate(
        () => (globalThis as unknown as { document: { scrollingElement: { scrollTop: number } } }).document.scrollingElement.scrollTop,
      );
      assert.ok(Math.abs(after - before) <= 1 || after < before, `scroll kept (${before} → ${after})`);
      // The host confirms (the card is gone from its state), then Undo.
      await panel.send({ type: 'state', state: { ...state, episodes: state.episodes.filter((e) => e.id !== target.id) } });
      await page.getByRole('button', { name: `Undo not relevant: ${target.title}` }).click();
      assert.deepEqual(await panel.waitForPosted('episode.undoNotRelevant'), { type: 'episode.undoNotRelevant', episodeId: target.id });
      await panel.send({ type: 'state', state });
      await page.locator(`[data-episode="${target.id}"]`).waitFor();
      assert.equal(await page.locator('.hidden-note').count(), 0);
      await page.waitForFunction(
        (key) =>
          (
            globalThis as unknown as { document: { activeElement: { getAttribute(n: string): string | null } | null } }
          ).document.activeElement?.getAttribute('data-key') === key,
        `ep:${target.id}:dismiss`,
      );
    });
  }

  it('two cards hidden: "2 hidden"; Undo brings back the last one first', async () => {
    panel = await openPanel(session);
    const { page } = panel;
    const state = demoState();
    await panel.send({ type: 'state', state });
    await page.locator(`[data-key="ep:${state.episodes[0].id}:dismiss"]`).click();
    await page.locator(`[data-key="ep:${state.episodes[2].id}:dismiss"]`).click();
    assert.equal(await page.locator('.hidden-note').innerText(), '2 hidden · Undo');
    await page.getByRole('button', { name: `Undo not relevant: ${state.episodes[2].title}` }).click();
    assert.equal((await panel.waitForPosted('episode.undoNotRelevant')).episodeId, state.episodes[2].id);
    assert.equal(await page.locator('.hidden-note').innerText(), '1 hidden · Undo');
  });

  for (const width of [250, 200, 175]) {
    it(`fits a ${width} px side bar without horizontal scrolling, long model labels included`, async () => {
      panel = await openPanel(session, { width });
      const long = 'unavailable: the configured model claude-3-opus-20240229-with-a-very-long-suffix is not available for this key';
      await panel.send({
        type: 'state',
        state: demoState({
          providers: [
            { id: 'anthropic', label: 'Claude (Anthropic API)', available: false, detail: long },
            { id: 'vscode-lm', label: 'VS Code language model', available: false, detail: long },
          ],
        }),
      });
      await composeOnce(panel);
      await panel.page
        .locator('article.card')
        .first()
        .getByRole('button', { name: /^Show attempts:/ })
        .click();
      const m = await panel.page.evaluate(() => {
        const d = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }).document
          .documentElement;
        return { scroll: d.scrollWidth, client: d.clientWidth };
      });
      assert.ok(m.scroll <= m.client, `page is ${m.scroll} px wide in a ${m.client} px panel`);
      const select = await panel.page.getByRole('combobox', { name: 'Chat model provider' }).boundingBox();
      assert.ok(select && select.x + select.width <= m.client, 'the model dropdown fits');
    });
  }

  it('the header timer keeps running', async () => {
    panel = await openPanel(session);
    const started = new Date(Date.now() - 3_000).toISOString();
    await panel.send({ type: 'state', state: demoState({ issue: { ...demoState().issue!, startedAt: started } }) });
    const elapsed = panel.page.locator('header.issue .elapsed');
    const first = await elapsed.innerText();
    await panel.page.waitForFunction(
      (t) =>
        (globalThis as unknown as { document: { querySelector(s: string): { textContent: string } | null } }).document.querySelector(
          'header.issue .elapsed',
        )?.textContent !== t,
      first,
      { timeout: 5_000 },
    );
    assert.match(await elapsed.innerText(), /^\d+ s in$/);
  });

  it('insights count the recalled lessons; proposals are counted apart', async () => {
    panel = await openPanel(session);
    await panel.send({ type: 'state', state: demoState() });
    const active = demoState().insights.filter((i) => i.status === 'active').length;
    const proposed = demoState().insights.length - active;
    assert.equal((await panel.page.locator('#insights-title').textContent())?.trim(), `Insights (${active}) + ${proposed} proposed`);
    assert.equal(await panel.page.locator('article.insight').count(), active + proposed, 'all are listed');
  });
});
