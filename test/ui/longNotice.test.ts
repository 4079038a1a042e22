// A notice (an error from the model, a stack, a hostile message) is sticky at the top of the panel: however long it is,
// it stays a few lines high and scrolls inside, so it never covers the chat box and its buttons, and its whole text
// is still there to read and copy.
import assert from 'node:assert/strict';
import { demoState } from './fixtures/demoState';
import { openPanel, startSession, type Panel, type Session } from './harness/browser';

const LONG_LINE = 'Error: ' + 'the upstream model refused the request because '.repeat(60);
const MANY_LINES = Array.from({ length: 200 }, (_, i) => `    at frame${i} (/srv/app/lib/module${i}.js:${i + 1}:7)`).join('\n');
const NO_SPACES = 'x'.repeat(20_000);
const HUGE = 'overloaded_error '.repeat(30_000); // ~500 KB

describe('a long notice never covers the panel (Chromium)', function () {
  let session: Session;
  let panel: Panel;
  before(async () => {
    session = await startSession();
  });
  after(async () => {
    await session?.close();
  });

  for (const [name, message] of [
    ['one long line', LONG_LINE],
    ['a 200-line stack', MANY_LINES],
    ['20 000 characters with no space', NO_SPACES],
    ['half a megabyte', HUGE],
  ] as const) {
    for (const height of [480, 900]) {
      it(`${name}, panel ${height} px high: the notice stays small, Send and Dismiss work, the text is whole`, async () => {
        panel = await openPanel(session, { width: 320, height });
        try {
          const { page } = panel;
          await panel.send({ type: 'state', state: demoState() });
          await panel.send({ type: 'notice', level: 'error', message });
          const notice = page.locator('.notice:not([hidden])');
          const box = await notice.boundingBox();
          assert.ok(box, 'the notice is shown');
          assert.ok(box.height <= height * 0.25, `notice is ${box.height} px high in a ${height} px panel`);
          assert.ok(box.width <= 320, `notice is ${box.width} px wide in a 320 px panel`);
          assert.equal(await page.locator('.notice-text').textContent(), message, 'the whole message is kept');
          await page.getByRole('textbox', { name: 'Message' }).fill('go');
          await page.getByRole('button', { name: 'Send message' }).click({ timeout: 5_000 });
          assert.equal((await panel.waitForPosted('chat.send')).text, 'go');
          await page.getByRole('button', { name: 'Dismiss message' }).click({ timeout: 5_000 });
          assert.equal(await notice.count(), 0, 'dismissed');
        } finally {
          await panel.page.close();
        }
      });
    }
  }
});
