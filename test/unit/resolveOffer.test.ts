// The "Looks fixed" offer's state machine: it stays until answered anywhere, a failing run or a
// session change takes it back, the promise a notification waits on settles with how it ended (so
// no stale toast remains), the saved confirmation lives until the next session, and an issue title
// cannot smuggle a command link into the notification's text.
import assert from 'node:assert/strict';
import { KEEP_WORKING_COMMAND, offerMessage, ResolveOffer, SAVE_COMMAND, type OfferEnd } from '../../src/vscode/resolveOffer';
import { makeAttempt, makeEpisode } from '../helpers/records';

/** Settles to the end, or 'open' while the promise is still pending. */
async function state(p: Promise<OfferEnd> | undefined): Promise<OfferEnd | 'open' | 'none'> {
  if (!p) return 'none';
  return Promise.race([p, new Promise<'open'>((r) => setImmediate(() => r('open')))]);
}

function setup() {
  const offer = new ResolveOffer();
  let changes = 0;
  const sub = offer.onDidChange(() => changes++);
  return { offer, changes: () => changes, sub };
}

describe('ResolveOffer (Looks fixed)', () => {
  it('stays open, for its own session only, until answered; the waiting notification then closes', async () => {
    const { offer, changes } = setup();
    const ended = offer.make('s1', 'CSV export crashes');
    assert.deepEqual(offer.current('s1'), { title: 'CSV export crashes' });
    assert.equal(offer.current('s2'), null);
    assert.equal(offer.current(undefined), null);
    assert.equal(await state(ended), 'open');
    // A passing run again (or anything but an answer) leaves it open.
    offer.runRecorded('s1', true);
    offer.sessionChanged('s1');
    assert.equal(await state(ended), 'open');
    assert.equal(changes(), 1);
    offer.withdraw();
    assert.equal(await state(ended), 'declined');
    assert.equal(offer.current('s1'), null);
    assert.equal(changes(), 2);
  });

  const ends: Array<[string, (o: ResolveOffer) => void, OfferEnd]> = [
    ['saved from the panel / status bar / notification', (o) => o.recordSaved(makeEpisode({ id: 'ep-1' })), 'saved'],
    ['Keep Working', (o) => o.withdraw(), 'declined'],
    ['a later run fails', (o) => o.runRecorded('s1', false), 'failed-again'],
    ['the session ends', (o) => o.sessionChanged(undefined), 'session-ended'],
    ['another session opens', (o) => o.sessionChanged('s2'), 'session-ended'],
    ['the extension is disposed', (o) => o.dispose(), 'session-ended'],
  ];
  for (const [name, act, expected] of ends) {
    it(`ends as ${expected} when ${name}`, async () => {
      const { offer } = setup();
      const ended = offer.make('s1', 'Totals wrong for empty carts');
      act(offer);
      assert.equal(await state(ended), expected);
      assert.equal(offer.current('s1'), null);
    });
  }

  it("a failing run of another session does not take this one's offer back", async () => {
    const { offer } = setup();
    const ended = offer.make('s1', 'x');
    offer.runRecorded('s2', false);
    assert.equal(await state(ended), 'open');
  });

  it('a second offer for the same open session shows nothing new; a new session replaces the old offer', async () => {
    const { offer } = setup();
    const first = offer.make('s1', 'first');
    assert.equal(offer.make('s1', 'first again'), undefined);
    assert.equal(await state(first), 'open');
    const second = offer.make('s2', 'second');
    assert.equal(await state(first), 'session-ended');
    assert.equal(await state(second), 'open');
    assert.deepEqual(offer.current('s2'), { title: 'second' });
    // Offered again after Keep Working and a new fail → pass.
    offer.withdraw();
    const third = offer.make('s2', 'second');
    assert.equal(await state(third), 'open');
  });

  it('answering twice (panel then a stale click) changes nothing the second time', async () => {
    const { offer, changes } = setup();
    void offer.make('s1', 'x');
    offer.withdraw();
    const n = changes();
    offer.withdraw();
    offer.runRecorded('s1', false);
    offer.sessionChanged(undefined);
    assert.equal(changes(), n);
  });

  it('remembers the save until the next session starts or it is dismissed', () => {
    const { offer } = setup();
    void offer.make('s1', 'CSV export crashes');
    const ep = makeEpisode({ id: 'ep-9', outcome: 'resolved' });
    ep.attempts = [makeAttempt('ep-9', { outcome: 'failed' }), makeAttempt('ep-9', { outcome: 'passed' })];
    offer.recordSaved(ep);
    assert.deepEqual(offer.lastSaved(), { episodeId: 'ep-9', title: ep.issue.title, outcome: 'resolved', attempts: 2 });
    offer.sessionChanged(undefined); // the session closed by the save: the confirmation stays
    assert.equal(offer.lastSaved()?.episodeId, 'ep-9');
    offer.sessionChanged('s2');
    assert.equal(offer.lastSaved(), null);
    offer.recordSaved(ep);
    offer.dismissSaved();
    assert.equal(offer.lastSaved(), null);
  });

  it('listeners can be removed', () => {
    const { offer, changes, sub } = setup();
    sub.dispose();
    void offer.make('s1', 'x');
    assert.equal(changes(), 0);
  });

  const titles = [
    'CSV export fails with TypeError in csv_export.py when the issue date column is empty',
    'short',
    'evil [Run](command:workbench.action.terminal.sendSequence?%7B%22text%22%3A%22rm%22%7D) title',
    '](command:dejafix.forgetEpisode) (nested [brackets]) and ((parens))',
    `${'x'.repeat(5_000)}`,
    'line\nbreaks\tand   spaces',
  ];
  for (const [i, title] of titles.entries()) {
    it(`the notification text has exactly the two answers as links, the title cut with an ellipsis (${i + 1})`, () => {
      const m = offerMessage(title);
      const links = [...m.matchAll(/\]\(command:([^)]*)\)/g)].map((x) => x[1]);
      assert.deepEqual(links, [SAVE_COMMAND, KEEP_WORKING_COMMAND]);
      const quoted = /“([^”]*)”/.exec(m)?.[1] ?? '';
      assert.ok(quoted.length <= 60, `quoted title of ${quoted.length} characters`);
      assert.doesNotMatch(quoted, /[[\]()\n\t]/);
      const plain = title
        .replace(/[[\]()]/g, ' ')
        .replace(/\s+/g, ' ')
        .trim();
      if (plain.length > 60) assert.match(quoted, /…$/);
      else assert.equal(quoted, plain);
    });
  }
});
