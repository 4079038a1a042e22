// The panel's chat in Chromium: streaming rendered as it arrives, Stop, errors, code block actions,
// and what survives a reload of the panel.
import assert from 'node:assert/strict';
import { demoState } from './fixtures/demoState';
import { panelOn, usePanelPerTest, type Panel } from './harness/browser';

describe('side panel chat (Chromium)', function () {
  let panel: Panel;

  usePanelPerTest({ panel: (p) => (panel = p), state: () => ({ type: 'state', state: demoState() }) });

  async function sendFromInput(text: string) {
    await panel.page.getByRole('textbox', { name: 'Message' }).fill(text);
    await panel.page.getByRole('button', { name: 'Send message' }).click();
    return panel.waitForPosted('chat.send', (m) => m.text === text);
  }

  it('streams a reply incrementally; Stop sends chat.stop and the reply ends marked stopped', async () => {
    const { page } = panel;
    const send = await sendFromInput('Why does the export crash?');
    assert.deepEqual(
      { ...send, requestId: 'x' },
      { type: 'chat.send', requestId: 'x', sessionId: 'session-231', provider: 'anthropic', text: 'Why does the export crash?' },
    );
    const stop = page.getByRole('button', { name: 'Stop the reply' });
    assert.equal(await stop.isEnabled(), true, 'Stop works before the first token');
    assert.equal(await page.getByRole('button', { name: 'Send message' }).isEnabled(), false, 'one reply at a time');

    const at = new Date().toISOString();
    await panel.send({
      type: 'chat.started',
      requestId: send.requestId,
      sessionId: 'session-231',
      message: { role: 'user', content: send.text, at },
    });
    assert.equal(await page.getByRole('textbox', { name: 'Message' }).inputValue(), '', 'the sent draft is cleared');
    const reply = page.locator('article.msg.streaming .body');
    await panel.send({ type: 'chat.delta', requestId: send.requestId, text: 'The crash is in ' });
    await page.locator('article.msg.streaming .body', { hasText: 'The crash is in' }).waitFor();
    assert.equal((await reply.innerText()).trim(), 'The crash is in', 'the first piece is shown before the reply ends');
    await panel.send({ type: 'chat.delta', requestId: send.requestId, text: '`_row_for`: **due_on** is None.' });
    await page.locator('article.msg.streaming .body strong', { hasText: 'due_on' }).waitFor();
    assert.match(await reply.innerText(), /The crash is in _row_for: due_on is None\./);
    assert.equal(await reply.locator('code').innerText(), '_row_for', 'Markdown is formatted while streaming');
    // Deltas of other requests are not mixed in.
    await panel.send({ type: 'chat.delta', requestId: 'chat-other', text: 'INTRUDER' });

    await stop.click();
    assert.deepEqual(await panel.waitForPosted('chat.stop'), { type: 'chat.stop', requestId: send.requestId });
    await panel.send({
      type: 'chat.done',
      requestId: send.requestId,
      message: { role: 'assistant', content: 'The crash is in `_row_for`: **due_on** is None.', at, provider: 'anthropic', stopped: true },
    });
    await page.locator('article.msg.streaming').waitFor({ state: 'detached' });
    const last = page.locator('article.msg.assistant').last();
    assert.equal(await last.locator('.badge.stopped').innerText(), 'stopped');
    assert.doesNotMatch(await page.locator('.messages').innerText(), /INTRUDER/);
    assert.equal(await stop.isEnabled(), false);
    assert.equal(await page.getByRole('button', { name: 'Send message' }).isEnabled(), true);
  });

  it('Ctrl+Enter sends; an error keeps the partial reply and says what went wrong', async () => {
    const { page } = panel;
    const input = page.getByRole('textbox', { name: 'Message' });
    await input.fill('Suggest a test');
    await input.press('Control+Enter');
    const send = await panel.waitForPosted('chat.send');
    await panel.send({
      type: 'chat.started',
      requestId: send.requestId,
      sessionId: 'session-231',
      message: { role: 'user', content: send.text, at: new Date().toISOString() },
    });
    await panel.send({ type: 'chat.delta', requestId: send.requestId, text: 'Start with a draft invoice' });
    await panel.send({ type: 'chat.error', requestId: send.requestId, message: 'Anthropic API: 529 overloaded. Try again in a minute.' });
    // Said inside the conversation, where the reply would have been (not at the top of the panel).
    await page.locator('.messages').getByRole('alert').filter({ hasText: '529 overloaded' }).waitFor();
    assert.match(await page.locator('article.msg.assistant').last().innerText(), /Start with a draft invoice/);
    assert.equal(await page.locator('article.msg.assistant .badge.stopped').count(), 1);
  });

  it('code blocks in replies offer Copy and Insert at cursor with the code', async () => {
    const { page } = panel;
    const code = 'def _days_between(a, b):\n    return "" if a is None or b is None else (b - a).days';
    await panel.send({
      type: 'state',
      state: demoState({
        conversation: [
          { role: 'assistant', content: `Try:\n\n\`\`\`python\n${code}\n\`\`\`\n`, at: new Date().toISOString(), provider: 'anthropic' },
        ],
      }),
    });
    await page.getByRole('button', { name: 'Copy code' }).click();
    assert.deepEqual(await panel.waitForPosted('code.copy'), { type: 'code.copy', code });
    await page.getByRole('button', { name: 'Insert code at cursor' }).click();
    assert.deepEqual(await panel.waitForPosted('code.insert'), { type: 'code.insert', code });
  });

  it('unavailable providers cannot be chosen; New conversation clears the session', async () => {
    const { page } = panel;
    await panel.send({
      type: 'state',
      state: demoState({
        providers: [
          { id: 'anthropic', label: 'Claude (Anthropic API)', available: false, detail: 'no API key set' },
          { id: 'vscode-lm', label: 'VS Code LM', available: true },
        ],
        conversation: [{ role: 'user', content: 'hello', at: new Date().toISOString() }],
      }),
    });
    const select = page.getByRole('combobox', { name: 'Chat model provider' });
    assert.equal(await select.inputValue(), 'vscode-lm', 'falls back to an available provider');
    assert.equal(await select.locator('option[value="anthropic"]').isDisabled(), true);
    const send = await sendFromInput('hi');
    assert.equal(send.provider, 'vscode-lm');
    await panel.send({
      type: 'chat.done',
      requestId: send.requestId,
      message: { role: 'assistant', content: '', at: new Date().toISOString(), stopped: true },
    });
    await page.getByRole('button', { name: 'Start a new conversation' }).click();
    assert.deepEqual(await panel.waitForPosted('chat.clear'), { type: 'chat.clear', sessionId: 'session-231' });
  });

  it('after a reload the panel restores its UI state and picks up the reply still streaming', async () => {
    const { page } = panel;
    await page
      .locator('article.card')
      .first()
      .getByRole('button', { name: /^Show attempts:/ })
      .click();
    await page.getByRole('textbox', { name: 'Message' }).fill('unsent draft');
    const compose = await panel.waitForPosted('prompt.compose');
    await panel.send({ type: 'compose.result', requestId: compose.requestId, stage: 'fix', text: 'composed', tokens: 2 });
    await page.getByRole('textbox', { name: 'Composed prompt' }).fill('composed and edited');
    // The panel saves its state shortly after the last change.
    await page.waitForFunction(() =>
      (globalThis as unknown as { sessionStorage: Storage }).sessionStorage.getItem('vscode-state')?.includes('composed and edited'),
    );
    await page.reload();
    const again = panelOn(page, panel.dialogs);
    await again.waitForPosted('ready');
    // Before the host answers, the panel already shows what it had.
    assert.equal(await page.locator('article.card').count(), 3);
    assert.equal(await page.locator('article.card').first().locator('.attempt').count(), 2, 'the expanded card stays expanded');
    assert.equal(await page.getByRole('textbox', { name: 'Message' }).inputValue(), 'unsent draft');
    assert.equal(await page.getByRole('textbox', { name: 'Composed prompt' }).inputValue(), 'composed and edited');
    assert.match(await page.locator('.tokens').innerText(), /edited/);

    const at = new Date().toISOString();
    await again.send({
      type: 'state',
      state: demoState({
        conversation: [{ role: 'user', content: 'Why?', at }],
        pending: { requestId: 'chat-live-1', provider: 'anthropic', text: 'Because the ' },
      }),
    });
    await page.locator('article.msg.streaming').waitFor();
    await again.send({ type: 'chat.delta', requestId: 'chat-live-1', text: 'due date is None.' });
    await page.locator('article.msg.streaming', { hasText: 'Because the due date is None.' }).waitFor();
    assert.equal(
      (await again.posted()).filter((m) => m.type === 'prompt.compose').length,
      0,
      'an edited prompt of the same session is not recomposed',
    );
    await page.getByRole('button', { name: 'Stop the reply' }).click();
    assert.deepEqual(await again.waitForPosted('chat.stop'), { type: 'chat.stop', requestId: 'chat-live-1' });
  });
});
