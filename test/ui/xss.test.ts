// Hostile memory content and model output render inert: no script runs, no dialog opens, no
// dangerous element or attribute reaches the DOM, nothing is loaded, and the panel stays
// responsive. Checked with the real content security policy and without it (so the sanitising
// alone is shown to be enough, the policy being a second line).
import assert from 'node:assert/strict';
import type { EpisodeCard, PanelState } from '../../src/shared/viewModel';
import { demoState } from './fixtures/demoState';
import { pathologicalMarkdown, XSS_PAYLOADS, XSS_TEXT } from './fixtures/xssCorpus';
import { openPanel, startSession, usePanelPerTest, type Panel, type Session } from './harness/browser';

/** Elements the panel itself uses; anything else inside #app came from content. */
const SCAN = `(() => {
  const allowedTags = new Set(['MAIN','HEADER','SECTION','H1','H2','H3','H4','H5','H6','P','SPAN','A','OL','UL','LI','ARTICLE','DIV',
    'BUTTON','DETAILS','SUMMARY','PRE','CODE','SELECT','OPTION','TEXTAREA','LABEL','STRONG','EM','S','BLOCKQUOTE','HR','BR',
    'TABLE','THEAD','TBODY','TR','TH','TD']);
  const bad = [];
  for (const el of document.querySelectorAll('#app, #app *')) {
    if (!allowedTags.has(el.tagName)) bad.push('element ' + el.tagName);
    for (const a of el.attributes) {
      const n = a.name.toLowerCase();
      if (n.startsWith('on') || n === 'style' || n === 'srcdoc' || n === 'formaction' || n === 'src' || n.includes(':')) bad.push('attribute ' + n + ' on ' + el.tagName);
      if (n === 'href' && !/^(https?:|mailto:)/i.test(a.value)) bad.push('href ' + a.value.slice(0, 60));
    }
  }
  if (document.head.querySelectorAll('style, link[href*="attacker"], base, meta[http-equiv="refresh"]').length) bad.push('something was added to <head>');
  return { bad: bad.slice(0, 20), count: bad.length, pwned: window.__pwned ?? null, hidden: getComputedStyle(document.body).display === 'none' };
})()`;

interface Scan {
  bad: string[];
  count: number;
  pwned: string | null;
  hidden: boolean;
}

function hostileState(): PanelState {
  const at = new Date().toISOString();
  const base = demoState();
  const episodes: EpisodeCard[] = XSS_PAYLOADS.map((p, i) => ({
    id: i === 0 ? `"><img src=x onerror="window.__pwned='id'">` : `xss-${i}`,
    title: p,
    repo: p,
    why: p,
    outcome: 'failed',
    createdAt: at,
    score: 1,
    relevance: 0.5,
    hasFinalPatch: true,
    attempts: [
      { id: `xss-${i}-a`, command: p, exitCode: 1, outcome: 'failed', outputTail: XSS_TEXT, patch: p, patchTruncated: false, at, by: p },
    ],
  }));
  return {
    ...base,
    issue: {
      title: XSS_TEXT,
      url: `javascript:window.__pwned='issue-url'`,
      repo: XSS_PAYLOADS[1],
      startedAt: at,
      attempts: 1,
      lastOutcome: 'failed',
    },
    episodes,
    insights: XSS_PAYLOADS.map((p, i) => ({
      id: `xss-in-${i}`,
      text: p,
      role: 'fix',
      status: i % 2 ? 'proposed' : 'active',
      importance: 2,
      stale: i % 3 === 0,
      evidence: { episodes: [p], files: [p] },
      createdAt: at,
      updatedAt: at,
    })),
    providers: [{ id: 'anthropic', label: XSS_PAYLOADS[0], available: true, detail: XSS_PAYLOADS[1] }],
    conversation: [
      { role: 'user', content: XSS_TEXT, at },
      ...XSS_PAYLOADS.map((p) => ({ role: 'assistant' as const, content: p, at, provider: 'anthropic' as const })),
      { role: 'assistant', content: XSS_TEXT, at, provider: 'anthropic' },
    ],
  };
}

for (const csp of [true, false]) {
  describe(`side panel XSS corpus (Chromium, ${csp ? 'with' : 'without'} the content security policy)`, function () {
    let panel: Panel;

    usePanelPerTest({ panel: (p) => (panel = p), csp });

    async function assertInert(what: string): Promise<void> {
      const scan = await panel.page.evaluate<Scan>(SCAN);
      assert.equal(scan.pwned, null, `${what}: a payload ran (${scan.pwned})`);
      assert.deepEqual(scan.bad, [], `${what}: dangerous DOM (${scan.count} findings)`);
      assert.equal(scan.hidden, false, `${what}: injected CSS hid the panel`);
      assert.deepEqual(panel.dialogs, [], `${what}: a dialog opened`);
      assert.deepEqual(await panel.violations(), [], `${what}: content tried something the policy blocked`);
    }

    it('memory content (issue, cards, attempts, insights, ids) renders inert and literally', async () => {
      const { page } = panel;
      await panel.send({ type: 'state', state: hostileState() });
      await page
        .locator('article.card')
        .nth(XSS_PAYLOADS.length - 1)
        .waitFor();
      const show = page.getByRole('button', { name: /^Show attempts:/ });
      while (await show.count()) await show.first().click();
      const closed = page.locator('details:not([open]) > summary');
      while (await closed.count()) await closed.first().click();
      await assertInert('memory content');
      assert.ok(
        (await page.locator('header.issue h2').innerText()).includes(`<script>window.__pwned = 'script'</script>`),
        'text is shown, not interpreted',
      );
      assert.equal(await page.locator('header.issue h2 a').count(), 0, 'a javascript: issue URL is not linked');
      assert.equal(await page.locator('article.card .card-title').first().innerText(), XSS_PAYLOADS[0]);
      // Actions on the card with the hostile id still carry the id verbatim.
      await page
        .locator('article.card')
        .first()
        .getByRole('button', { name: /^Not relevant:/ })
        .click();
      assert.equal((await panel.waitForPosted('episode.notRelevant')).episodeId, hostileState().episodes[0].id);
      // The fenced payload is code: shown as text with its <script> visible.
      const fenced = page.locator('[data-insight="xss-in-28"] pre code');
      assert.match(await fenced.innerText(), /<script>window\.__pwned='fenced'<\/script>/);
      await assertInert('after interaction');
    });

    it('model output (conversation, streamed reply, notices, composed prompt) renders inert', async () => {
      const { page } = panel;
      await panel.send({ type: 'state', state: hostileState() });
      const compose = await panel.waitForPosted('prompt.compose');
      await panel.send({ type: 'compose.result', requestId: compose.requestId, stage: 'fix', text: XSS_TEXT, tokens: 9 });
      assert.equal(await page.getByRole('textbox', { name: 'Composed prompt' }).inputValue(), XSS_TEXT);
      await panel.send({ type: 'notice', level: 'error', message: XSS_TEXT });
      await page.getByRole('textbox', { name: 'Message' }).fill('go');
      await page.getByRole('button', { name: 'Send message' }).click();
      const send = await panel.waitForPosted('chat.send');
      await panel.send({
        type: 'chat.started',
        requestId: send.requestId,
        sessionId: send.sessionId,
        message: { role: 'user', content: 'go', at: new Date().toISOString() },
      });
      // Stream the corpus in small pieces, so tags arrive split across deltas.
      for (let i = 0; i < XSS_TEXT.length; i += 7)
        await panel.send({ type: 'chat.delta', requestId: send.requestId, text: XSS_TEXT.slice(i, i + 7) });
      await page.locator('article.msg.streaming', { hasText: 'textarea-breakout' }).waitFor();
      await assertInert('streaming reply');
      await panel.send({
        type: 'chat.done',
        requestId: send.requestId,
        message: { role: 'assistant', content: XSS_TEXT, at: new Date().toISOString(), provider: 'anthropic' },
      });
      await page.locator('article.msg.streaming').waitFor({ state: 'detached' });
      await assertInert('finished reply');
      for (const link of await page.locator('.md a').all()) assert.match((await link.getAttribute('href')) ?? '', /^https?:|^mailto:/);
    });
  });
}

describe('side panel with huge and deeply nested Markdown (Chromium)', function () {
  let session: Session;
  const figures: string[] = [];

  before(async () => {
    session = await startSession();
  });
  after(async () => {
    await session?.close();
    process.stdout.write(`      render times: ${figures.join(', ')}\n`);
  });

  for (const [name, text] of Object.entries(pathologicalMarkdown())) {
    it(`${name}: as an insight, a reply and a streamed reply, the panel stays responsive`, async () => {
      const panel = await openPanel(session);
      try {
        const { page } = panel;
        const at = new Date().toISOString();
        const started = Date.now();
        await panel.send({
          type: 'state',
          state: demoState({
            insights: [
              {
                id: 'big',
                text,
                role: 'fix',
                status: 'active',
                importance: 2,
                stale: false,
                evidence: { episodes: [], files: [] },
                createdAt: at,
                updatedAt: at,
              },
            ],
            conversation: [{ role: 'assistant', content: text, at, provider: 'anthropic' }],
          }),
        });
        // The page answers (a frozen renderer would time out here) and shows both renderings.
        await page.locator('[data-insight="big"] .md').waitFor();
        await page.locator('article.msg.assistant .md').waitFor();
        figures.push(`${name} ${Date.now() - started} ms`);
        await page.getByRole('textbox', { name: 'Message' }).fill('more');
        await page.getByRole('button', { name: 'Send message' }).click();
        const send = await panel.waitForPosted('chat.send');
        await panel.send({
          type: 'chat.started',
          requestId: send.requestId,
          sessionId: send.sessionId,
          message: { role: 'user', content: 'more', at },
        });
        const chunk = Math.ceil(text.length / 20);
        for (let i = 0; i < text.length; i += chunk)
          await panel.send({ type: 'chat.delta', requestId: send.requestId, text: text.slice(i, i + chunk) });
        await page.locator('article.msg.streaming .md').waitFor();
        await page.getByRole('button', { name: 'Stop the reply' }).click();
        await panel.waitForPosted('chat.stop');
        assert.equal(await page.evaluate('1 + 1'), 2);
        const plain = await page.locator('.md-plain').count();
        if (text.length > 60_000 || /deep/.test(name)) assert.ok(plain >= 2, `${name}: expected the plain-text fallback`);
        assert.deepEqual(panel.dialogs, []);
      } finally {
        await panel.page.close();
      }
    });
  }
});
