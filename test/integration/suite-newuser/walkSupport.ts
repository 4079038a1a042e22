// Helpers of the new-user walk: screenshots in walk order, the demo's files and test task, a user's
// edit, and reading the real panel (its webview frame) and the workbench around it.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { ui } from '../control/client';
import { eventually, executeTaskToEnd } from '../support/dejafix';

export const ISSUE = 'CSV export fails with TypeError in csv_export.py when the issue date column is empty';
export const BUGGY = '        "days_to_pay": (invoice.due_on - invoice.issued_on).days,';
export const FIXED = '        "days_to_pay": (invoice.due_on - invoice.issued_on).days if invoice.issued_on and invoice.due_on else "",';
/** An element only the Dejafix panel has: it picks the panel's frame among the webviews. */
export const PANEL = '#prompt-text';
export const inPanel = { frame: 'webview', within: PANEL } as const;

let shots = 0;
/** The README's screenshots: the whole workbench, numbered in walk order. */
export async function shot(name: string): Promise<void> {
  const dir = process.env.DEJAFIX_SCREENSHOT_DIR;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  await new Promise((r) => setTimeout(r, 600)); // let the panel paint
  await ui.screenshot(join(dir, `walk-${String(++shots).padStart(2, '0')}-${name}.png`));
}

export const folder = () => vscode.workspace.workspaceFolders![0].uri;
export const csvExport = () => vscode.Uri.joinPath(folder(), 'invoice_service/export/csv_export.py');

export async function testTask(): Promise<vscode.Task> {
  const task = (await vscode.tasks.fetchTasks()).find((t) => t.name === 'test' && t.source === 'Workspace');
  assert.ok(task, 'the demo workspace has no "test" task (.vscode/tasks.json)');
  return task;
}

/** Replaces one line of the file in the editor and saves it, as a user's edit. */
export async function editLine(uri: vscode.Uri, from: string, to: string): Promise<void> {
  // After a change on disk (git checkout) the open document catches up a moment later.
  const doc = await eventually(`${uri.path} to contain the line`, async () => {
    const d = await vscode.workspace.openTextDocument(uri);
    return d.getText().includes(from) ? d : undefined;
  });
  const editor = await vscode.window.showTextDocument(doc);
  const at = doc.getText().indexOf(from);
  assert.ok(at >= 0, `${uri.path} does not contain ${from.trim()}`);
  await editor.edit((e) => e.replace(new vscode.Range(doc.positionAt(at), doc.positionAt(at + from.length)), to));
  assert.ok(await doc.save(), 'the edit was not saved');
}

export async function stepChecked(step: string): Promise<boolean> {
  return (await ui.count(`button.getting-started-step[data-step-id$="${step}"][aria-checked="true"]`, { timeoutMs: 1_000 })) === 1;
}

/** Evaluates an expression in the panel's webview frame. */
export function panelEval<T>(expression: string): Promise<T> {
  return ui.evaluate<T>(expression, inPanel);
}

/** The panel's element with keyboard focus: its data-key, else its tag (BODY when focus was dropped). */
export function panelFocus(): Promise<string | null> {
  return panelEval<string | null>(
    `(() => { const el = document.activeElement; return el ? (el.getAttribute('data-key') || el.tagName) : null; })()`,
  );
}

/** The composed prompt's text (the textarea's value, not its text content). */
export function promptText(): Promise<string> {
  return panelEval<string>(`document.querySelector('#prompt-text').value`);
}

/** A panel button's disabled state and tooltip, by its accessible label. */
export function buttonState(label: string): Promise<{ disabled: boolean; title: string | null } | null> {
  return panelEval(
    `(() => { const b = document.querySelector('button[aria-label=${JSON.stringify(label)}]');
      return b ? { disabled: b.disabled, title: b.getAttribute('title') } : null; })()`,
  );
}

/** Texts of the workbench's notifications that mention `text` (toasts and the notification centre). */
export function notifications(text: string): Promise<string[]> {
  return ui.evaluate<string[]>(
    `[...document.querySelectorAll('.notification-list-item')].map((n) => n.textContent || '').filter((t) => t.includes(${JSON.stringify(text)}))`,
  );
}

/** The side bar's width and the panel's own document widths (scrolling sideways when scroll > client). */
export async function widths(): Promise<{ sidebar: number; client: number; scroll: number }> {
  const sidebar = await ui.evaluate<number>(`document.querySelector('.part.sidebar').getBoundingClientRect().width`);
  const page = await panelEval<{ client: number; scroll: number }>(
    `({ client: document.documentElement.clientWidth, scroll: document.documentElement.scrollWidth })`,
  );
  return { sidebar, ...page };
}

/** Drags the sash on the side bar's right edge so the side bar is `width` px wide. */
export async function resizeSidebar(width: number): Promise<void> {
  const box = await ui.evaluate<{ left: number; right: number; top: number; height: number }>(
    `(() => { const r = document.querySelector('.part.sidebar').getBoundingClientRect(); return { left: r.left, right: r.right, top: r.top, height: r.height }; })()`,
  );
  const y = box.top + box.height / 2;
  await ui.drag({ x: box.right, y }, { x: box.left + width, y });
}

/** The links of the notification that mentions `text`, and whether each is fully on screen (not cut off). */
export function notificationLinks(text: string): Promise<Array<{ label: string; shown: boolean }>> {
  return ui.evaluate(`(() => {
    const item = [...document.querySelectorAll('.notification-list-item')].find((n) => (n.textContent || '').includes(${JSON.stringify(text)}));
    if (!item) return [];
    const box = item.querySelector('.notification-list-item-message').getBoundingClientRect();
    return [...item.querySelectorAll('.notification-list-item-message a')].map((a) => {
      const r = a.getBoundingClientRect();
      return { label: a.textContent, shown: r.width > 0 && r.left >= box.left - 1 && r.right <= box.right + 1 && r.bottom <= box.bottom + 1 };
    });
  })()`);
}

/** Help → Welcome, on its list of walkthroughs (a first start opens VS Code's own; "< Welcome" goes back). */
export async function openWelcomeList(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.openWalkthrough');
  if ((await ui.count('button.prev-button.button-link:visible', { timeoutMs: 2_000 })) > 0)
    await ui.click('button.prev-button.button-link:visible');
  const listed = 'button.getting-started-category:has-text("Get started with Dejafix")';
  try {
    await eventually(
      'the Dejafix walkthrough on the Welcome page',
      async () => (await ui.count(listed, { timeoutMs: 1_000 })) === 1,
      30_000,
    );
  } catch (e) {
    await shot('welcome-failed');
    throw e;
  }
}

/**
 * Scrolls the panel to `anchor`, then tells for each selector whether its element is fully on screen; asked again for
 * up to 10 s until all are (the panel's layout settles while recalled cards and the prompt above are still drawing).
 */
export async function onScreenWith(anchor: string, selectors: string[]): Promise<boolean[]> {
  let seen: boolean[] = [];
  await eventually(
    `${selectors.join(', ')} on screen with ${anchor}`,
    async () => (seen = await onScreenOnce(anchor, selectors)).every(Boolean),
    10_000,
  ).catch(() => undefined);
  return seen;
}

function onScreenOnce(anchor: string, selectors: string[]): Promise<boolean[]> {
  return panelEval(`(() => {
    document.querySelector(${JSON.stringify(anchor)}).scrollIntoView({ block: 'end' });
    return ${JSON.stringify(selectors)}.map((s) => {
      const el = document.querySelector(s);
      const r = el ? el.getBoundingClientRect() : null;
      // within a pixel: scrolling is by whole pixels, layout is not (a box ending at 808.08 in an 808 px view is on screen)
      return !!r && r.height > 0 && r.top > -1 && r.bottom < innerHeight + 1;
    });
  })()`);
}

/** The bug put back (git checkout), the test task fails; the fix typed in, the task passes. */
export async function breakRunFixRun(attempts: () => number): Promise<void> {
  execFileSync('git', ['checkout', '--', 'invoice_service/export/csv_export.py'], { cwd: folder().fsPath });
  const before = attempts();
  assert.equal(await executeTaskToEnd(await testTask()), 1);
  // The failing run is recorded (with its diff) before the fix is typed in.
  await eventually('the failing attempt', () => attempts() > before);
  await editLine(csvExport(), BUGGY, FIXED);
  assert.equal(await executeTaskToEnd(await testTask()), 0);
}
