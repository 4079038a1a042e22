// Drives the harness page in Debian's headless Chromium through playwright-core.
import { chromium, type Browser, type Page } from 'playwright-core';
import type { FromWebview } from '../../../src/shared/fromWebview';
import type { ToWebview } from '../../../src/shared/toWebview';
import { startHarness, type Harness } from './server';

export const CHROMIUM = process.env.DEJAFIX_CHROMIUM ?? '/usr/bin/chromium';

export interface Session {
  browser: Browser;
  harness: Harness;
  close(): Promise<void>;
}

export async function startSession(): Promise<Session> {
  const harness = await startHarness();
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  return {
    browser,
    harness,
    close: async () => {
      await browser.close();
      await harness.close();
    },
  };
}

interface HarnessWindow {
  __posted: FromWebview[];
  __violations: string[];
  __dialogs: string[];
  __host: { send(m: ToWebview): Promise<void> };
}

export interface Panel {
  page: Page;
  /** Dialogs Playwright saw (alert/confirm/prompt); a hostile script might open one. */
  dialogs: string[];
  send(message: ToWebview): Promise<void>;
  posted(): Promise<FromWebview[]>;
  /** Waits until a message matching `match` was posted, and returns it. */
  waitForPosted<T extends FromWebview['type']>(
    type: T,
    match?: (m: Extract<FromWebview, { type: T }>) => boolean,
  ): Promise<Extract<FromWebview, { type: T }>>;
  clearPosted(): Promise<void>;
  violations(): Promise<string[]>;
}

export async function openPanel(session: Session, opts: { csp?: boolean; width?: number; height?: number } = {}): Promise<Panel> {
  const page = await session.browser.newPage({ viewport: { width: opts.width ?? 420, height: opts.height ?? 900 } });
  page.setDefaultTimeout(10_000);
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(`${d.type()}: ${d.message()}`);
    void d.dismiss();
  });
  await page.goto(`${session.harness.url}${opts.csp === false ? '?csp=off' : ''}`);
  await page.waitForFunction(() => (globalThis as unknown as HarnessWindow).__posted.some((m) => m.type === 'ready'));
  return panelOn(page, dialogs);
}

export function panelOn(page: Page, dialogs: string[]): Panel {
  const posted = () => page.evaluate(() => (globalThis as unknown as HarnessWindow).__posted);
  return {
    page,
    dialogs,
    send: (message) => page.evaluate((m) => (globalThis as unknown as HarnessWindow).__host.send(m), message),
    posted,
    async waitForPosted(type, match) {
      const deadline = Date.now() + 10_000;
      for (;;) {
        const found = (await posted()).find((m) => m.type === type && (!match || match(m as never)));
        if (found) return found as never;
        if (Date.now() > deadline)
          throw new Error(`no "${type}" message was posted; got ${JSON.stringify((await posted()).map((m) => m.type))}`);
        await page.waitForTimeout(25);
      }
    },
    clearPosted: () =>
      page.evaluate(() => {
        (globalThis as unknown as HarnessWindow).__posted.length = 0;
      }),
    violations: () => page.evaluate(() => (globalThis as unknown as HarnessWindow).__violations),
  };
}

/**
 * The mocha hooks most panel tests share: one browser for the file, a fresh panel per test
 * (optionally given a first state). The callbacks hand the session and panel to the test's own
 * variables.
 */
export function usePanelPerTest(o: {
  session?: (s: Session) => void;
  panel: (p: Panel) => void;
  csp?: boolean;
  state?: () => Parameters<Panel['send']>[0];
}): void {
  let session: Session | undefined;
  let panel: Panel | undefined;
  before(async () => {
    session = await startSession();
    o.session?.(session);
  });
  after(async () => {
    await session?.close();
  });
  beforeEach(async () => {
    panel = await openPanel(session!, o.csp === undefined ? {} : { csp: o.csp });
    o.panel(panel);
    if (o.state) await panel.send(o.state());
  });
  afterEach(async () => {
    await panel?.page.close();
  });
}
