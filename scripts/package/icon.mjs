#!/usr/bin/env node
// Draws the marketplace icon (media/icon.png, 128×128) and the activity-bar icon (media/activity.svg).
// The PNG is the SVG below rendered by headless Chromium (playwright-core; `npm run setup` installs it).
// Usage: node scripts/package/icon.mjs
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';

const repoRoot = resolve(import.meta.dirname, '../..');

// A circular "history" arrow (a past repair coming back) around a check mark (the fix that passed).
const HISTORY = 'M 64 32 A 32 32 0 1 1 32 64';
const ARROW_HEAD = 'M 20 74 L 32 61 L 44 74';
const CHECK = 'M 50 64 L 60 74 L 79 53';

const ICON = `<svg xmlns="http://www.w3.org/2000/svg" width="128" height="128" viewBox="0 0 128 128">
  <defs>
    <linearGradient id="bg" x1="0" y1="0" x2="1" y2="1">
      <stop offset="0" stop-color="#4338ca"/>
      <stop offset="1" stop-color="#0f766e"/>
    </linearGradient>
  </defs>
  <rect x="4" y="4" width="120" height="120" rx="26" fill="url(#bg)"/>
  <g fill="none" stroke="#ffffff" stroke-linecap="round" stroke-linejoin="round">
    <path d="${HISTORY}" stroke-width="9"/>
    <path d="${ARROW_HEAD}" stroke-width="9"/>
    <path d="${CHECK}" stroke="#a7f3d0" stroke-width="10"/>
  </g>
</svg>`;

// The same drawing for the activity bar: 24×24, one colour (VS Code uses it as a mask).
const ACTIVITY = `<svg xmlns="http://www.w3.org/2000/svg" width="24" height="24" viewBox="0 0 128 128">
  <g fill="none" stroke="currentColor" stroke-linecap="round" stroke-linejoin="round" stroke-width="11">
    <path d="${HISTORY}"/>
    <path d="${ARROW_HEAD}"/>
    <path d="${CHECK}"/>
  </g>
</svg>
`;

const env = JSON.parse(readFileSync(join(repoRoot, '.cache/env.json'), 'utf8'));
const browser = await chromium.launch({ executablePath: env.chromium, args: ['--no-sandbox', '--disable-gpu'] });
try {
  const page = await browser.newPage({ viewport: { width: 128, height: 128 }, deviceScaleFactor: 1 });
  await page.setContent(`<html><body style="margin:0;background:transparent">${ICON}</body></html>`);
  writeFileSync(join(repoRoot, 'media/icon.png'), await page.locator('svg').screenshot({ omitBackground: true }));
} finally {
  await browser.close();
}
writeFileSync(join(repoRoot, 'media/activity.svg'), ACTIVITY);
console.log('wrote media/icon.png (128×128) and media/activity.svg');
