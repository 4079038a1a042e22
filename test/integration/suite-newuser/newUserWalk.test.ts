// A new user's first minutes in a real VS Code (code-server + Chromium), from the demo as `npm start`
// sets it up: the walkthrough on the Welcome page, a fresh panel without errors, the demo issue with
// the related past repair recalled first, the failing test task recorded with its traceback, the fix,
// "Looks fixed" in the panel and the status bar, the save confirmed, the walkthrough's steps checked.
// Then offer → status bar → save once more, and the fix prompt never names Dejafix's own diff
// documents as the open file. Screenshots of each step go to DEJAFIX_SCREENSHOT_DIR when it is set.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { ExtensionPanelBackend } from '../../../src/vscode/panelBackend';
import { ui } from '../control/client';
import { dejafix, eventually, executeTaskToEnd, EXTENSION_ID } from '../support/dejafix';
import type { DejafixApi } from '../../../src/vscode/extension';

const ISSUE = 'CSV export fails with TypeError in csv_export.py when the issue date column is empty';
const BUGGY = '        "days_to_pay": (invoice.due_on - invoice.issued_on).days,';
const FIXED = '        "days_to_pay": (invoice.due_on - invoice.issued_on).days if invoice.issued_on and invoice.due_on else "",';
const WALKTHROUGH = `${EXTENSION_ID}#dejafix.start`;

let shots = 0;
/** The README's screenshots: the whole workbench, numbered in walk order. */
async function shot(name: string): Promise<void> {
  const dir = process.env.DEJAFIX_SCREENSHOT_DIR;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  await new Promise((r) => setTimeout(r, 600)); // let the panel paint
  await ui.screenshot(join(dir, `walk-${String(++shots).padStart(2, '0')}-${name}.png`));
}

const folder = () => vscode.workspace.workspaceFolders![0].uri;
const csvExport = () => vscode.Uri.joinPath(folder(), 'invoice_service/export/csv_export.py');

async function testTask(): Promise<vscode.Task> {
  const task = (await vscode.tasks.fetchTasks()).find((t) => t.name === 'test' && t.source === 'Workspace');
  assert.ok(task, 'the demo workspace has no "test" task (.vscode/tasks.json)');
  return task;
}

/** Replaces one line of the file in the editor and saves it, as a user's edit. */
async function editLine(uri: vscode.Uri, from: string, to: string): Promise<void> {
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

async function stepChecked(step: string): Promise<boolean> {
  return (await ui.count(`button.getting-started-step[data-step-id$="${step}"][aria-checked="true"]`, { timeoutMs: 1_000 })) === 1;
}

describe("a new user's first minutes, from the npm start demo @ui", function () {
  this.timeout(240_000);
  let api: DejafixApi;

  before(async () => {
    api = await dejafix();
    // As `npm start` seeds it: the demo memory, dates moved to just before today.
    await vscode.commands.executeCommand('dejafix.seedDemo');
  });

  it('lists the walkthrough on the Welcome page, none of its event steps checked yet', async () => {
    // Help → Welcome: on a first start it opens VS Code's own setup walkthrough; "< Welcome" goes to the list.
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
    await shot('welcome');
    await vscode.commands.executeCommand('workbench.action.openWalkthrough', WALKTHROUGH, false);
    await eventually(
      'the walkthrough steps',
      async () => (await ui.count('button.getting-started-step[data-step-id$="issue"]', { timeoutMs: 1_000 })) === 1,
      30_000,
    );
    for (const step of ['issue', 'recall', 'save', 'agent'])
      assert.equal(await stepChecked(step), false, `step ${step} is checked before anything happened`);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('opens the panel fresh: no issue, no error', async () => {
    await vscode.commands.executeCommand('dejafix.showPanel');
    await eventually(
      'the fresh panel',
      async () => /No active issue/.test(await ui.text('h2.issue-title', { frame: 'webview', timeoutMs: 2_000 })),
      30_000,
    );
    assert.equal(await ui.count('.notice[hidden]', { frame: 'webview' }), 1, 'a notice (an error?) on a fresh panel');
    await shot('panel-fresh');
  });

  it('opens the demo issue and recalls the related past repair in the same code first, with the lesson, none stale', async () => {
    assert.equal(await vscode.commands.executeCommand('dejafix.openIssue', ISSUE), true);
    const session = api.app.sessions.active();
    assert.equal(session?.repo, 'github.com/acme/invoice-service');
    const first = await eventually(
      'the recalled cards',
      async () => {
        const t = await ui.text('ol.cards > li:first-child', { frame: 'webview', timeoutMs: 2_000 });
        return /CSV export writes "None"/.test(t) ? t : undefined;
      },
      60_000,
    );
    assert.match(first, /resolved/i);
    assert.ok((await ui.count('[data-insight="demo-in-01"]', { frame: 'webview' })) >= 1, 'the CSV lesson is not shown');
    const lessons = await ui.count('ul.insight-list article.insight', { frame: 'webview' });
    assert.ok(lessons >= 1);
    assert.equal(
      await ui.count('ul.insight-list article.insight:not(.stale)', { frame: 'webview' }),
      lessons,
      'a lesson is marked stale on a fresh demo',
    );
    await ui.click('[data-key="ep:demo-ep-01:toggle"]', { frame: 'webview' });
    await shot('issue-recalled');
  });

  it("the fix prompt never names Dejafix's own diff documents as the open file, and names a real one", async () => {
    const backend = new ExtensionPanelBackend(api.app);
    await vscode.commands.executeCommand('dejafix.openPatch', 'demo-ep-01');
    await eventually('the patch diff in front', () => vscode.window.activeTextEditor?.document.uri.scheme === 'dejafix-patch');
    const onDiff = await backend.compose('fix');
    assert.doesNotMatch(onDiff.text, /Open file/, 'the diff document was named as the open file');
    await vscode.window.showTextDocument(csvExport());
    const onFile = await backend.compose('fix');
    assert.match(onFile.text, /Open file:? `invoice_service\/export\/csv_export\.py`/);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('records the failing test task as an attempt with the traceback', async () => {
    assert.equal(await executeTaskToEnd(await testTask()), 1);
    const attempt = await eventually('the failing attempt', () => api.app.sessions.active()?.attempts.at(-1));
    assert.equal(attempt.outcome, 'failed');
    assert.match(attempt.outputTail, /TypeError: unsupported operand type\(s\) for -/);
    await shot('failing-run');
  });

  it('after the fix, offers "Looks fixed" in the panel and the status bar; Save as Resolved is confirmed', async () => {
    await editLine(csvExport(), BUGGY, FIXED);
    assert.equal(await executeTaskToEnd(await testTask()), 0);
    await eventually('the offer in the status bar', () => api.statusBar?.text.includes('Looks fixed'), 30_000);
    await eventually(
      'the offer in the panel',
      async () => (await ui.count('[data-key="offer:save"]', { frame: 'webview', timeoutMs: 1_000 })) === 1,
      30_000,
    );
    await shot('looks-fixed');
    await ui.click('[data-key="offer:save"]', { frame: 'webview' });
    const saved = await eventually(
      'the saved confirmation in the panel',
      async () => {
        const t = await ui.text('.saved', { frame: 'webview', timeoutMs: 1_000 });
        return /CSV export fails with TypeError/.test(t) ? t : undefined;
      },
      30_000,
    );
    assert.match(saved, /resolved/i);
    assert.equal(api.app.sessions.active(), undefined, 'the session is still open');
    const id = api.app.offer.lastSaved()?.episodeId;
    assert.ok(id);
    const ep = await (await api.app.memory.open()).getEpisode(id);
    assert.deepEqual(
      ep?.attempts.map((a) => a.outcome),
      ['failed', 'passed'],
    );
    assert.equal(ep?.outcome, 'resolved');
    assert.ok(ep?.finalPatch.includes(FIXED.trim()), 'the saved patch is not the fix');
    await eventually(
      'no stale prompt: Send disabled with a reason',
      async () => (await ui.count('button[title]:disabled', { frame: 'webview', timeoutMs: 1_000 })) >= 1,
    );
    await shot('saved');
  });

  it('checks the walkthrough steps for the issue, the recall and the save (not the agent one)', async () => {
    for (const e of ['issueOpened', 'recalled', 'saved'] as const) assert.ok(api.app.walkthrough.has(e), `${e} not reached`);
    assert.equal(api.app.walkthrough.has('agentConnected'), false);
    await vscode.commands.executeCommand('workbench.action.openWalkthrough', WALKTHROUGH, false);
    for (const step of ['issue', 'recall', 'save']) await eventually(`step ${step} checked`, () => stepChecked(step), 30_000);
    assert.equal(await stepChecked('agent'), false);
    await shot('walkthrough');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('offer → status bar → save: a click on the status bar item saves the repair', async () => {
    execFileSync('git', ['checkout', '--', 'invoice_service/export/csv_export.py'], { cwd: folder().fsPath });
    assert.equal(await vscode.commands.executeCommand('dejafix.openIssue', 'CSV export of drafts crashes again after the revert'), true);
    assert.equal(await executeTaskToEnd(await testTask()), 1);
    await eventually('the failing attempt', () => api.app.sessions.active()?.attempts.length === 1);
    await editLine(csvExport(), BUGGY, FIXED);
    assert.equal(await executeTaskToEnd(await testTask()), 0);
    await eventually('the offer in the status bar', () => api.statusBar?.text.includes('Looks fixed'), 30_000);
    const before = api.app.offer.lastSaved()?.episodeId;
    await ui.click('.statusbar-item:has-text("Looks fixed")');
    await eventually(
      'the session saved from the status bar',
      () => api.app.sessions.active() === undefined && api.app.offer.lastSaved()?.episodeId !== before,
      30_000,
    );
    assert.match(api.app.offer.lastSaved()?.title ?? '', /crashes again after the revert/);
    await eventually('the status bar back to no session', () => !api.statusBar?.text.includes('Looks fixed'));
  });
});
