// A new user's first minutes in a real VS Code (code-server + Chromium), from the `npm start` demo, in
// the order of issue 18's Done-when: Welcome page, fresh panel, Open Issue…, a card expanded, Not relevant
// and Undo, the fix prompt, the failing task, the fix, "Looks fixed" (panel, status bar, notification),
// the save from the panel, a clean end, the chat without a key, Open in Copilot Chat, 250 px, then Keep
// Working and a save from the status bar. Screenshots go to DEJAFIX_SCREENSHOT_DIR when it is set.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { ExtensionPanelBackend } from '../../../src/vscode/panelBackend';
import { ui } from '../control/client';
import { dejafix, eventually, executeTaskToEnd, EXTENSION_ID } from '../support/dejafix';
import type { DejafixApi } from '../../../src/vscode/extension';
import {
  breakRunFixRun,
  BUGGY,
  buttonState,
  csvExport,
  editLine,
  FIXED,
  inPanel,
  ISSUE,
  notificationLinks,
  onScreenWith,
  openWelcomeList,
  notifications,
  panelEval,
  panelFocus,
  promptText,
  resizeSidebar,
  shot,
  stepChecked,
  testTask,
  widths,
} from './walkSupport';

const WALKTHROUGH = `${EXTENSION_ID}#dejafix.start`;
const SECOND_ISSUE = 'CSV export of drafts crashes again after the revert';
const NO_ISSUE = 'Open an issue first: the prompt is composed for it.';

describe("a new user's first minutes, from the npm start demo @ui", function () {
  this.timeout(240_000);
  let api: DejafixApi;

  before(async () => {
    api = await dejafix();
    // As `npm start` seeds it: the demo memory, dates moved to just before today.
    await vscode.commands.executeCommand('dejafix.seedDemo');
  });

  it('lists the walkthrough on the Welcome page, none of its event steps checked yet', async () => {
    await openWelcomeList();
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

  it('opens the panel fresh: no issue, no error, Send disabled with a reason', async () => {
    await vscode.commands.executeCommand('dejafix.showPanel');
    await eventually(
      'the fresh panel',
      async () => /No active issue/.test(await ui.text('h2.issue-title', { ...inPanel, timeoutMs: 2_000 })),
      30_000,
    );
    assert.equal(await ui.count('.notice[hidden]', inPanel), 1, 'a notice (an error?) on a fresh panel');
    assert.doesNotMatch(await ui.text('body', inPanel), /Could not compose|error/i);
    assert.deepEqual(await buttonState('Send the prompt to the chat'), { disabled: true, title: NO_ISSUE });
    await shot('panel-fresh');
  });

  it('Open Issue… through its input box recalls the related past repair first, with the lesson, none stale; a card expands', async () => {
    const opened = vscode.commands.executeCommand<boolean>('dejafix.openIssue');
    await ui.fill('.quick-input-widget input', ISSUE, { timeoutMs: 30_000 });
    await ui.press('Enter', '.quick-input-widget input');
    assert.equal(await opened, true);
    const session = api.app.sessions.active();
    assert.equal(session?.issue.title, ISSUE);
    assert.equal(session?.repo, 'github.com/acme/invoice-service');
    const first = await eventually(
      'the recalled cards',
      async () => {
        const t = await ui.text('ol.cards > li:first-child', { ...inPanel, timeoutMs: 2_000 });
        return /CSV export writes "None"/.test(t) ? t : undefined;
      },
      60_000,
    );
    assert.match(first, /resolved/i);
    assert.ok((await ui.count('[data-insight="demo-in-01"]', inPanel)) >= 1, 'the CSV lesson is not shown');
    const lessons = await ui.count('ul.insight-list article.insight', inPanel);
    assert.ok(lessons >= 1);
    assert.equal(
      await ui.count('ul.insight-list article.insight:not(.stale)', inPanel),
      lessons,
      'a lesson is marked stale on a fresh demo',
    );
    // Expand the first card: its attempts, the failing one then the passing one.
    assert.equal(await ui.count('ol.cards > li:first-child ol.attempts', inPanel), 0);
    await ui.click('[data-key="ep:demo-ep-01:toggle"]', inPanel);
    const attempts = await eventually('the expanded attempts', async () =>
      (await ui.count('ol.cards > li:first-child ol.attempts > li', inPanel)) >= 2
        ? ui.text('ol.cards > li:first-child ol.attempts', inPanel)
        : undefined,
    );
    assert.match(attempts, /failed/i);
    assert.match(attempts, /passed/i);
    await shot('issue-recalled');
  });

  it('Not relevant hides a card with "1 hidden · Undo", keeps focus in the list, and Undo brings it back', async () => {
    const session = api.app.sessions.active()!;
    const ids = await panelEval<string[]>(
      `[...document.querySelectorAll('ol.cards article.card')].map((c) => c.getAttribute('data-episode'))`,
    );
    assert.ok(ids.length >= 1, 'no cards to hide');
    // The last card (the first one is the repair this walk builds on).
    const target = ids.at(-1)!;
    assert.ok((await api.app.recaller.for(session)).hits.some((h) => h.episodeId === target));
    await ui.click(`[data-key="ep:${target}:dismiss"]`, inPanel);
    assert.equal(await ui.text('.hidden-note', { ...inPanel, timeoutMs: 10_000 }), '1 hidden · Undo');
    await eventually('the card gone', async () => (await ui.count(`[data-episode="${target}"]`, inPanel)) === 0);
    const focus = await panelFocus();
    assert.ok(focus && focus !== 'BODY', `focus dropped to ${focus}`);
    assert.match(focus, /^ep:/, `focus on ${focus}, not on a card control or Undo`);
    await eventually(
      'recall without the hidden card',
      async () => !(await api.app.recaller.for(session)).hits.some((h) => h.episodeId === target),
    );
    await shot('not-relevant');
    await ui.click('[data-key="ep:undo"]', inPanel);
    await eventually('the card back', async () => (await ui.count(`[data-episode="${target}"]`, inPanel)) === 1, 30_000);
    assert.equal(await ui.count('.hidden-note', inPanel), 0);
    await eventually('focus on the card brought back', async () => (await panelFocus()) === `ep:${target}:dismiss`);
    await eventually('recall with the card again', async () =>
      (await api.app.recaller.for(session)).hits.some((h) => h.episodeId === target),
    );
  });

  it('composes the fix prompt from the recalled repair and lesson', async () => {
    await ui.select('#stage', 'fix', inPanel);
    const text = await eventually(
      'the fix prompt',
      async () => {
        const t = await promptText();
        return t.includes(ISSUE) && /CSV export writes "None"/.test(t) ? t : undefined;
      },
      60_000,
    );
    assert.equal(await panelEval<string>(`document.querySelector('#stage').value`), 'fix');
    assert.ok(text.length > 200);
    await eventually('the token count', async () => /\d/.test(await ui.text('.prompt .tokens', inPanel)));
    const send = await buttonState('Send the prompt to the chat');
    assert.notEqual(send?.title, NO_ISSUE);
    await shot('fix-prompt');
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
    assert.match(attempt.outputTail, /Traceback \(most recent call last\)/);
    assert.match(attempt.outputTail, /TypeError: unsupported operand type\(s\) for -/);
    await shot('failing-run');
  });

  it('after the fix, "Looks fixed" in the panel, the status bar and a notification; Save as Resolved in the panel is confirmed and the notification goes', async () => {
    await editLine(csvExport(), BUGGY, FIXED);
    assert.equal(await executeTaskToEnd(await testTask()), 0);
    await eventually('the offer in the status bar', () => api.statusBar?.text.includes('Looks fixed'), 30_000);
    await eventually(
      'the offer in the panel',
      async () => (await ui.count('[data-key="offer:save"]', { ...inPanel, timeoutMs: 1_000 })) === 1,
      30_000,
    );
    const toast = await eventually('the offer as a notification', async () => (await notifications('Looks fixed'))[0], 30_000);
    assert.match(toast, /CSV export fails with TypeError/);
    // Its two answers are links a collapsed notification still shows in full.
    assert.deepEqual(await notificationLinks('Looks fixed'), [
      { label: 'Save as Resolved', shown: true },
      { label: 'Keep Working', shown: true },
    ]);
    await shot('looks-fixed');
    await ui.click('[data-key="offer:save"]', inPanel);
    const saved = await eventually(
      'the saved confirmation in the panel',
      async () => {
        const t = await ui.text('.saved', { ...inPanel, timeoutMs: 1_000 });
        return /CSV export fails with TypeError/.test(t) ? t : undefined;
      },
      30_000,
    );
    assert.match(saved, /resolved with 2 attempts/i);
    assert.equal(api.app.sessions.active(), undefined, 'the session is still open');
    // Answered in the panel: no stale "Looks fixed" anywhere; the save confirmed as a notification too.
    await eventually('the Looks fixed notification gone', async () => (await notifications('Looks fixed')).length === 0);
    await eventually('the offer gone from the status bar', () => !api.statusBar?.text.includes('Looks fixed'));
    assert.equal(await ui.count('[data-key="offer:save"]', inPanel), 0);
    assert.equal((await notifications('Dejafix saved')).length, 1, 'the save is not confirmed as a notification');
    const id = api.app.offer.lastSaved()?.episodeId;
    assert.ok(id);
    const ep = await (await api.app.memory.open()).getEpisode(id);
    assert.deepEqual(
      ep?.attempts.map((a) => a.outcome),
      ['failed', 'passed'],
    );
    assert.equal(ep?.outcome, 'resolved');
    assert.ok(ep?.finalPatch.includes(FIXED.trim()), 'the saved patch is not the fix');
    await shot('saved');
    // The confirmation's link opens what was saved.
    await ui.click('[data-key="saved:patch"]', inPanel);
    const diff = await eventually('the saved patch open', () => {
      const d = vscode.window.activeTextEditor?.document;
      return d?.uri.scheme === 'dejafix-patch' ? d : undefined;
    });
    assert.ok(diff.getText().includes(FIXED.trim()), 'the opened patch is not the saved fix');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('ends clean: no stale prompt, Send and Open in Copilot Chat disabled with a reason', async () => {
    await eventually('the panel without an issue', async () => /No active issue/.test(await ui.text('h2.issue-title', inPanel)));
    assert.equal(await promptText(), '');
    assert.deepEqual(await buttonState('Send the prompt to the chat'), { disabled: true, title: NO_ISSUE });
    assert.deepEqual(await buttonState('Open the prompt in Copilot Chat'), { disabled: true, title: NO_ISSUE });
    assert.equal(await ui.text('#prompt-reason', inPanel), NO_ISSUE);
    assert.equal(await ui.count('.notice:not([hidden])', inPanel), 0, 'a notice (an error?) after the save');
    assert.equal((await notifications('Looks fixed')).length, 0);
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

  it('chat without a key: the message is in the chat, next to its input, with Set Anthropic API Key, Use a VS Code model… and Copy prompt', async () => {
    assert.equal(await vscode.commands.executeCommand('dejafix.openIssue', SECOND_ISSUE), true);
    await vscode.commands.executeCommand('dejafix.showPanel');
    const prompt = await eventually(
      'a prompt for the second issue',
      async () => {
        const t = await promptText();
        return t.includes(SECOND_ISSUE) ? t : undefined;
      },
      60_000,
    );
    const help = await ui.text('section.chat .messages .chat-help', { ...inPanel, timeoutMs: 30_000 });
    assert.match(help, /The chat needs a model/);
    assert.match(help, /no API key/);
    // Next to the chat: with the message box scrolled into view, the help is on screen too.
    const seen = await onScreenWith('section.chat textarea', ['section.chat .chat-help', 'section.chat textarea']);
    assert.deepEqual(seen, [true, true]);
    const send = await buttonState('Send message');
    assert.equal(send?.disabled, true);
    assert.match(send?.title ?? '', /unavailable|No chat model/);
    // Ctrl+Enter says why nothing was sent, next to the input.
    await ui.fill('section.chat textarea', 'Why does the export crash?', inPanel);
    await ui.press('Control+Enter', 'section.chat textarea', inPanel);
    assert.match(await ui.text('#chat-reason', inPanel), /unavailable|No chat model/);
    await shot('chat-no-key');
    // Set Anthropic API Key asks for the key (Escape leaves it unset).
    await ui.click('[data-key="chat:setKey"]', inPanel);
    await eventually(
      'the key input box',
      async () => /Anthropic API key/.test(await ui.text('.quick-input-widget', { timeoutMs: 2_000 })),
      30_000,
    );
    await ui.press('Escape');
    assert.equal(await ui.count('[data-key="chat:setupLm"]', inPanel), 1, 'no Use a VS Code model… action');
    // Copy prompt puts the composed prompt on the clipboard.
    await vscode.env.clipboard.writeText('before');
    await ui.click('[data-key="chat:copyPrompt"]', inPanel);
    await eventually('the prompt on the clipboard', async () => (await vscode.env.clipboard.readText()) === prompt.trim());
  });

  it('Open in Copilot Chat without a chat copies the prompt and says so, on screen', async () => {
    const prompt = (await promptText()).trim();
    await vscode.env.clipboard.writeText('before');
    await ui.click('button[aria-label="Open the prompt in Copilot Chat"]', inPanel);
    const said = await eventually('the panel saying it copied', async () => {
      const t = await ui.text('.notice', { ...inPanel, timeoutMs: 1_000 });
      return /copied to the clipboard/.test(t) ? t : undefined;
    });
    assert.match(said, /Copilot Chat is not available/);
    assert.equal(await vscode.env.clipboard.readText(), prompt);
    const [onScreen] = await onScreenWith('section.prompt', ['.notice']);
    assert.equal(onScreen, true, 'the "copied" message is off-screen');
    await shot('copilot-copied');
  });

  it('fits a 250 px side bar without horizontal scrolling', async () => {
    await resizeSidebar(250);
    const w = await eventually('a 250 px side bar', async () => {
      const x = await widths();
      return Math.abs(x.sidebar - 250) <= 2 ? x : undefined;
    });
    assert.ok(w.scroll <= w.client, `the panel is ${w.scroll} px wide in ${w.client} px`);
    const select = await panelEval<number>(`document.querySelector('#provider').getBoundingClientRect().right`);
    assert.ok(select <= w.client, `the model dropdown ends at ${select} px in ${w.client} px`);
    await shot('narrow');
  });

  it('Keep Working in the notification takes the offer back everywhere; next time the status bar saves it', async () => {
    await breakRunFixRun(() => api.app.sessions.active()?.attempts.length ?? 0);
    const outcomes = () => (api.app.sessions.active()?.attempts ?? []).map((x) => x.outcome).join();
    await eventually('a failing then a passing attempt', () => outcomes() === 'failed,passed');
    await eventually('the offer as a notification', async () => (await notifications('Looks fixed')).length === 1, 30_000);
    await ui.click('.notification-list-item:has-text("Looks fixed") a:has-text("Keep Working")');
    await eventually('the notification gone', async () => (await notifications('Looks fixed')).length === 0);
    await eventually('the status bar back to the issue', () => !api.statusBar?.text.includes('Looks fixed'));
    assert.equal(await ui.count('[data-key="offer:save"]', inPanel), 0);
    assert.ok(api.app.sessions.active(), 'Keep Working ended the session');
    // Broken again, then fixed: offered again, and the status bar item saves it.
    await breakRunFixRun(() => api.app.sessions.active()?.attempts.length ?? 0);
    await eventually('the offer in the status bar', () => api.statusBar?.text.includes('Looks fixed'), 30_000);
    const before = api.app.offer.lastSaved()?.episodeId;
    await ui.click('.statusbar-item:has-text("Looks fixed")');
    await eventually(
      'the session saved from the status bar',
      () => api.app.sessions.active() === undefined && api.app.offer.lastSaved()?.episodeId !== before,
      30_000,
    );
    assert.match(api.app.offer.lastSaved()?.title ?? '', /crashes again after the revert/);
    assert.equal(api.app.offer.lastSaved()?.attempts, 4);
    await eventually('the status bar back to no session', () => !api.statusBar?.text.includes('Looks fixed'));
    await eventually('no Looks fixed notification', async () => (await notifications('Looks fixed')).length === 0);
  });
});
