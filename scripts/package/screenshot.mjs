#!/usr/bin/env node
// Drives the `npm start` demo like a newcomer (Chromium + playwright-core) and saves the README's
// screenshot: the failing test in the terminal, then "Dejafix: Open Issue…" from the Command Palette,
// and the Dejafix panel with the recalled repairs: the related past repair in the same code first (the
// demo memory does not hold the demo bug itself) and no lesson marked stale.
// Usage: npm start (in another terminal), then node scripts/package/screenshot.mjs [url] [out.png]
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { chromium } from 'playwright-core';

const repoRoot = resolve(import.meta.dirname, '../..');
const url = process.argv[2] ?? 'http://127.0.0.1:8080/';
const out = resolve(process.argv[3] ?? join(repoRoot, 'media/screenshots/workbench.png'));
const ISSUE = 'CSV export fails with TypeError in csv_export.py when the issue date column is empty';

const env = JSON.parse(readFileSync(join(repoRoot, '.cache/env.json'), 'utf8'));
const browser = await chromium.launch({ executablePath: env.chromium, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
try {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await page.goto(url);
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  await page.locator('.statusbar').waitFor();
  await page.waitForTimeout(4000); // extensions activate after startup

  /** Runs a command from the Command Palette, as a user would. */
  const palette = async (command) => {
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor();
    await input.fill(`>${command}`);
    await page.locator('.quick-input-list .monaco-list-row', { hasText: command }).first().waitFor();
    await page.keyboard.press('Enter');
  };

  // The file with the bug, at the failing line.
  await page.keyboard.press('Control+P');
  await page.locator('.quick-input-widget input').fill('csv_export.py');
  await page.locator('.quick-input-list .monaco-list-row', { hasText: 'csv_export.py' }).first().waitFor();
  await page.keyboard.press('Enter');
  await page.waitForTimeout(1000);
  await palette('Go to Line/Column');
  await page.keyboard.type('34');
  await page.keyboard.press('Enter');

  await palette('Dejafix: Open Issue');
  const issueBox = page.locator('.quick-input-widget input');
  await issueBox.waitFor();
  await issueBox.fill(ISSUE);
  await page.keyboard.press('Enter');
  await page.waitForTimeout(2000);

  // The failing test, from the demo's "test" task: recorded as the session's first attempt.
  await palette('Tasks: Run Test Task');
  await page.locator('.terminal-wrapper').first().waitFor({ timeout: 30_000 });
  await page.waitForTimeout(4000);

  // A wider side bar, so the recalled repairs read well.
  const sidebar = await page.locator('.part.sidebar').boundingBox();
  if (sidebar) {
    await page.mouse.move(sidebar.x + sidebar.width - 1, sidebar.y + 300);
    await page.mouse.down();
    await page.mouse.move(sidebar.x + sidebar.width + 160, sidebar.y + 300, { steps: 8 });
    await page.mouse.up();
  }

  // The panel's webview is nested iframes: find the frame that shows the recalled cards.
  const deadline = Date.now() + 60_000;
  let shown;
  while (!shown && Date.now() < deadline) {
    for (const f of page.frames()) {
      const text = await f
        .locator('ol.cards')
        .first()
        .textContent({ timeout: 200 })
        .catch(() => null);
      if (text && /CSV export writes "None"/i.test(text)) shown = f;
    }
    if (!shown) await page.waitForTimeout(500);
  }
  if (!shown) {
    await page.screenshot({ path: `${out}.failed.png` });
    throw new Error(`the Dejafix panel did not show the recalled CSV export repair within 60 s (what it showed: ${out}.failed.png)`);
  }
  const first = await shown.locator('ol.cards > li').first().textContent();
  if (!/CSV export writes "None"/.test(first ?? ''))
    throw new Error(`the first recalled repair is not the related CSV export repair: ${first?.slice(0, 120)}`);
  const stale = await shown.locator('.badge.stale').count();
  if (stale) throw new Error(`${stale} lesson(s) are marked stale on a fresh demo`);
  // Show the attempts of the best match: what failed first, then what passed.
  await shown.click('[data-key="ep:demo-ep-01:toggle"]');
  await page.mouse.move(900, 300); // no hover tooltips in the picture
  await page.waitForTimeout(1500);
  mkdirSync(dirname(out), { recursive: true });
  await page.screenshot({ path: out });
  console.log(`wrote ${out}`);
} finally {
  await browser.close();
}
