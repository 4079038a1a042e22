// The runner side of UI control: a small HTTP endpoint on 127.0.0.1 that performs Playwright
// actions on the workbench page (or inside a webview frame) for tests running in the extension host.
import { createServer, type Server } from 'node:http';
import type { Frame, Page } from 'playwright-core';
import { uiRequestSchema, type UiResponse } from './protocol';

const MAX_BODY = 1_000_000;

/** Polls every frame but the main one for `selector` (webviews are nested iframes). */
async function webviewFrame(page: Page, selector: string, timeoutMs: number): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const f of page.frames()) {
      if (f === page.mainFrame()) continue;
      const found = await f.$(selector).catch(() => null);
      if (found) return f;
    }
    if (Date.now() > deadline) throw new Error(`no webview frame contains ${selector} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function perform(page: Page, body: unknown): Promise<UiResponse> {
  const req = uiRequestSchema.parse(body);
  if (req.action === 'screenshot') {
    await page.screenshot({ path: req.path });
    return { ok: true };
  }
  if (req.action === 'drag') {
    await page.mouse.move(req.from.x, req.from.y);
    await page.mouse.down();
    // In steps, so the sash sees a drag and not a jump.
    await page.mouse.move(req.to.x, req.to.y, { steps: 10 });
    await page.mouse.up();
    return { ok: true };
  }
  const target =
    req.frame === 'webview'
      ? await webviewFrame(page, req.within ?? ('selector' in req && req.selector ? req.selector : 'body'), req.timeoutMs)
      : page.mainFrame();
  const opts = { timeout: req.timeoutMs };
  switch (req.action) {
    case 'click':
      await target.locator(req.selector).first().click(opts);
      return { ok: true };
    case 'fill':
      await target.locator(req.selector).first().fill(req.value, opts);
      return { ok: true };
    case 'press':
      if (req.selector) await target.locator(req.selector).first().press(req.key, opts);
      else await page.keyboard.press(req.key);
      return { ok: true };
    case 'text':
      return { ok: true, text: (await target.locator(req.selector).first().textContent(opts)) ?? '' };
    case 'count':
      return { ok: true, count: await target.locator(req.selector).count() };
    case 'select':
      await target.locator(req.selector).first().selectOption(req.value, opts);
      return { ok: true };
    case 'evaluate':
      return { ok: true, text: JSON.stringify((await target.evaluate(req.expression)) ?? null) };
  }
}

export interface ControlServer {
  url: string;
  close(): Promise<void>;
}

export function startControlServer(getPage: () => Page | undefined): Promise<ControlServer> {
  const server: Server = createServer((req, res) => {
    const reply = (status: number, body: UiResponse) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.method !== 'POST' || req.url !== '/ui') return reply(404, { ok: false, error: 'POST /ui only' });
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) req.destroy();
      else chunks.push(c);
    });
    req.on('end', async () => {
      const page = getPage();
      if (!page) return reply(503, { ok: false, error: 'the browser page is not open yet' });
      try {
        reply(200, await perform(page, JSON.parse(Buffer.concat(chunks).toString('utf8'))));
      } catch (err) {
        reply(200, { ok: false, error: err instanceof Error ? err.message : String(err) });
      }
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const addr = server.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      resolve({
        url: `http://127.0.0.1:${port}`,
        close: () =>
          new Promise((r) => {
            server.closeAllConnections();
            server.close(() => r());
          }),
      });
    });
  });
}
