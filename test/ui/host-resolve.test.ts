// The host side of the panel's new-user fixes in plain Node: Open in Copilot Chat says when it
// copied instead, the "looks fixed" answers and the saved confirmation reach the backend, Undo of
// "not relevant" reaches it, and the state carries the offer and the last save.
import assert from 'node:assert/strict';
import type { ToWebview } from '../../src/shared/toWebview';
import { PanelController } from '../../src/vscode/panel/controller';
import { FakeBackend, RecordingLogger } from './fakeBackend';

function setup() {
  const backend = new FakeBackend();
  const controller = new PanelController(backend, new RecordingLogger(), () => '2026-11-20T10:00:00.000Z');
  const sent: ToWebview[] = [];
  controller.attach((m) => sent.push(m));
  return { backend, controller, sent };
}

const states = (sent: ToWebview[]) => sent.flatMap((m) => (m.type === 'state' ? [m.state] : []));

describe('panel host: first-minutes fixes', () => {
  it('Open in Copilot Chat: opened says nothing, copied says so', async () => {
    const { backend, controller, sent } = setup();
    await controller.receive({ type: 'prompt.openInCopilot', prompt: 'Fix the CSV export' });
    assert.equal(sent.filter((m) => m.type === 'notice').length, 0);
    backend.copilot = 'copied';
    await controller.receive({ type: 'prompt.openInCopilot', prompt: 'Fix the CSV export' });
    const notice = sent.find((m) => m.type === 'notice');
    assert.ok(notice && notice.type === 'notice');
    assert.match(notice.message, /copied to the clipboard/);
    assert.deepEqual(backend.calls, ['copilot 18', 'copilot 18']);
  });

  it('the state carries the offer until answered, then the saved episode', async () => {
    const { backend, controller, sent } = setup();
    backend.state = { ...backend.state, offer: { title: 'Invoice CSV export crashes' } };
    await controller.receive({ type: 'ready' });
    assert.deepEqual(states(sent).at(-1)?.offer, { title: 'Invoice CSV export crashes' });
    await controller.receive({ type: 'session.keepWorking' });
    assert.equal(states(sent).at(-1)?.offer, null);
    backend.state = { ...backend.state, offer: { title: 'Invoice CSV export crashes' } };
    await controller.receive({ type: 'session.saveResolved' });
    const last = states(sent).at(-1)!;
    assert.equal(last.offer, null);
    assert.equal(last.issue, null);
    assert.deepEqual(last.saved, {
      episodeId: 'ep-saved',
      title: 'Invoice CSV export crashes for invoices without a due date',
      outcome: 'resolved',
      attempts: 3,
    });
    // The confirmation's link opens the saved episode's patch, though no card shows it.
    await controller.receive({ type: 'episode.openPatch', episodeId: 'ep-saved' });
    assert.ok(backend.calls.includes('openPatch ep-saved -'));
    await controller.receive({ type: 'session.dismissSaved' });
    assert.equal(states(sent).at(-1)?.saved, null);
    assert.deepEqual(
      backend.calls.filter((c) => !c.startsWith('openPatch')),
      ['keepWorking', 'saveResolved', 'dismissSaved'],
    );
  });

  it('undo "not relevant" and the chat actions reach the backend; hostile payloads do not', async () => {
    const { backend, controller } = setup();
    await controller.receive({ type: 'ready' });
    await controller.receive({ type: 'episode.notRelevant', episodeId: 'demo-ep-01' });
    await controller.receive({ type: 'episode.undoNotRelevant', episodeId: 'demo-ep-01' });
    await controller.receive({ type: 'chat.setApiKey' });
    await controller.receive({ type: 'chat.setupVsCodeModel' });
    for (const bad of [
      { type: 'episode.undoNotRelevant' },
      { type: 'episode.undoNotRelevant', episodeId: '' },
      { type: 'chat.setApiKey', key: 'sk-ant-x' },
      { type: 'session.saveResolved', outcome: 'abandoned' },
    ]) {
      await controller.receive(bad);
    }
    assert.deepEqual(backend.calls, ['feedback demo-ep-01 not-relevant', 'undo demo-ep-01', 'setAnthropicKey', 'setupVsCodeModel']);
  });
});
