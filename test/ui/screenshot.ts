// Renders the panel bundle with the demo content in headless Chromium and saves a PNG for the
// README (media/screenshots/panel.png by default). The real-VS-Code suite retakes it in the editor.
//   npx tsx test/ui/screenshot.ts [out.png]
import { mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { DEMO_PROMPT, demoState } from './fixtures/demoState';
import { openPanel, startSession } from './harness/browser';

const REPLY = `The crash is the same shape as the draft-invoice repair: \`due_on\` can be \`None\`, and
\`_row_for\` subtracts it unconditionally. The lesson from that repair applies — **leave the cell
empty**, don't write \`0\`:

\`\`\`python
def _days_between(start: date | None, end: date | None) -> int | str:
    if start is None or end is None:
        return ""
    return (end - start).days
\`\`\`

Then add a test with \`due_on=None\` next to \`test_export_leaves_date_cells_empty_for_drafts\`.`;

export async function takeScreenshot(out: string): Promise<void> {
  const session = await startSession();
  try {
    const panel = await openPanel(session, { width: 440, height: 1500 });
    const at = new Date().toISOString();
    await panel.send({
      type: 'state',
      state: demoState({
        conversation: [
          { role: 'user', content: DEMO_PROMPT, at },
          { role: 'assistant', content: REPLY, at, provider: 'anthropic' },
        ],
      }),
    });
    const compose = await panel.waitForPosted('prompt.compose');
    await panel.send({ type: 'compose.result', requestId: compose.requestId, stage: 'fix', text: DEMO_PROMPT, tokens: 412 });
    await panel.page
      .locator('article.card')
      .first()
      .getByRole('button', { name: /^Show attempts:/ })
      .click();
    await mkdir(dirname(out), { recursive: true });
    await panel.page.screenshot({ path: out, fullPage: true });
  } finally {
    await session.close();
  }
}

if (require.main === module) {
  const out = resolve(process.argv[2] ?? join(__dirname, '../../media/screenshots/panel.png'));
  takeScreenshot(out).then(
    () => process.stdout.write(`Saved ${out}\n`),
    (e) => {
      process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
