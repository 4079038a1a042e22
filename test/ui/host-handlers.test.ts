// The panel's host side in plain Node (no VS Code): every message from the webview is validated
// before a handler sees it, hostile or malformed ones are rejected with a logged reason (never
// thrown), and each handler does its one job against a fake PanelBackend.
import assert from 'node:assert/strict';
import { hostSetup, sentOf } from './fakeBackend';
import { episodes as demoEpisodes } from './fixtures/demoState';

const setup = hostSetup;

const of = sentOf;

describe('panel host: message validation', () => {
  const big = (n: number) => 'x'.repeat(n);
  const deep: Record<string, unknown> = {};
  let cursor = deep;
  for (let i = 0; i < 10_000; i++) cursor = (cursor.a = {}) as Record<string, unknown>;
  const hostile: [string, unknown, RegExp][] = [
    ['null', null, /expected an object, got null/],
    ['a number', 42, /expected an object, got number/],
    ['a string', 'ready', /expected an object, got string/],
    ['an array', [{ type: 'ready' }], /got an array/],
    ['undefined', undefined, /got undefined/],
    ['no type', { episodeId: 'x' }, /no string "type"/],
    ['a non-string type', { type: 7 }, /no string "type"/],
    ['an unknown type', { type: 'store.dropTables' }, /unknown message type "store.dropTables"/],
    ['an inherited name as type', { type: '__proto__' }, /unknown message type/],
    ['constructor as type', { type: 'constructor' }, /unknown message type/],
    ['toString as type', { type: 'toString' }, /unknown message type/],
    ['a huge type', { type: big(1_000_000) }, /unknown message type "x{10,}…"/],
    ['an extra key', { type: 'ready', admin: true }, /invalid "ready" message.*admin/],
    ['a huge extra key', { type: 'ready', [big(100_000)]: 1 }, /invalid "ready" message/],
    ['a polluting key', JSON.parse('{"type":"ready","__proto__":{"polluted":true}}'), /invalid "ready" message/],
    ['a missing field', { type: 'episode.notRelevant' }, /episodeId/],
    ['an empty id', { type: 'episode.notRelevant', episodeId: '' }, /episodeId/],
    ['an oversized id', { type: 'episode.notRelevant', episodeId: big(201) }, /episodeId: Too big/],
    ['a wrong field type', { type: 'episode.openPatch', episodeId: 'demo-ep-01', attemptId: 5 }, /attemptId/],
    ['an unknown insight action', { type: 'insight.action', insightId: 'demo-in-01', action: 'delete-all' }, /action/],
    ['a blank insight edit', { type: 'insight.edit', insightId: 'demo-in-01', text: ' \n\t ' }, /text: must not be empty/],
    ['an oversized insight edit', { type: 'insight.edit', insightId: 'demo-in-01', text: big(2_001) }, /text: Too big/],
    ['an unknown stage', { type: 'prompt.compose', requestId: 'r1', stage: 'deploy' }, /stage/],
    ['a request id with markup', { type: 'prompt.compose', requestId: '<img src=x>', stage: 'fix' }, /requestId/],
    ['an unknown provider', { type: 'chat.send', requestId: 'r', sessionId: 'session-231', provider: 'openai', text: 'hi' }, /provider/],
    [
      'an oversized chat message',
      { type: 'chat.send', requestId: 'r', sessionId: 'session-231', provider: 'anthropic', text: big(200_001) },
      /text: Too big/,
    ],
    ['a deeply nested field', { type: 'code.copy', code: deep }, /code/],
    ['oversized code', { type: 'code.insert', code: big(500_001) }, /code: Too big/],
    ['an oversized error report', { type: 'webview.error', message: big(2_001) }, /message: Too big/],
  ];

  for (const [name, raw, reason] of hostile) {
    it(`rejects ${name} with a logged reason, without calling the backend`, async () => {
      const { backend, log, controller, sent } = setup();
      await controller.receive(raw);
      assert.equal(log.lines.length, 1, log.lines.join('\n'));
      assert.match(log.lines[0], /^warn panel: message rejected: /);
      assert.match(log.lines[0], reason);
      assert.ok(log.lines[0].length < 800, `the log line is bounded (${log.lines[0].length} chars)`);
      assert.deepEqual(backend.calls, []);
      assert.deepEqual(sent, []);
    });
  }

  it('does not let a polluting key reach Object.prototype', async () => {
    const { controller } = setup();
    await controller.receive(JSON.parse('{"type":"chat.stop","requestId":"r","__proto__":{"polluted":true}}'));
    assert.equal(({} as { polluted?: boolean }).polluted, undefined);
  });

  it('logs control characters in a panel error report flattened to one line', async () => {
    const { log, controller } = setup();
    await controller.receive({ type: 'webview.error', message: 'boom\nwarn Fake log line\u001b[31m' });
    assert.deepEqual(log.lines, ['warn panel: the webview reported an error: boom warn Fake log line [31m']);
  });
});

describe('panel host: handlers', () => {
  it('ready sends the whole state; a part that fails is logged and left empty', async () => {
    const { backend, log, controller, sent } = setup();
    backend.failing.add('recalled');
    await controller.receive({ type: 'ready' });
    const [state] = of(sent, 'state');
    assert.equal(state.state.issue?.title, 'Invoice CSV export crashes for invoices without a due date');
    assert.deepEqual(state.state.episodes, []);
    assert.equal(state.state.insights.length, 3);
    assert.equal(state.state.sessionId, 'session-231');
    assert.match(log.lines.join('\n'), /loading recalled episodes failed: recalled is broken/);
  });

  it('"not relevant" and "open patch" reach the backend only for episodes the panel shows', async () => {
    const { backend, log, controller, sent } = setup();
    await controller.receive({ type: 'episode.notRelevant', episodeId: 'demo-ep-07' });
    assert.deepEqual(backend.calls, [], 'nothing shown yet');
    await controller.receive({ type: 'ready' });
    await controller.receive({ type: 'episode.notRelevant', episodeId: 'demo-ep-07' });
    await controller.receive({ type: 'episode.notRelevant', episodeId: 'not-shown' });
    await controller.receive({ type: 'episode.openPatch', episodeId: 'demo-ep-01', attemptId: 'demo-ep-01-a2' });
    await controller.receive({ type: 'episode.openPatch', episodeId: 'demo-ep-01' });
    await controller.receive({ type: 'episode.openPatch', episodeId: 'demo-ep-01', attemptId: 'demo-ep-07-a1' });
    assert.deepEqual(backend.calls, ['feedback demo-ep-07 not-relevant', 'openPatch demo-ep-01 demo-ep-01-a2', 'openPatch demo-ep-01 -']);
    const states = of(sent, 'state');
    assert.equal(states.length, 2, 'feedback refreshes the panel');
    assert.deepEqual(
      states[1].state.episodes.map((e) => e.id),
      ['demo-ep-01', 'demo-ep-02'],
    );
    assert.equal(log.lines.filter((l) => /does not show|unknown attempt/.test(l)).length, 3);
  });

  it('"show weaker matches" recalls again without the threshold and refreshes; without an issue it is ignored', async () => {
    const { backend, log, controller, sent } = setup();
    backend.state = { ...backend.state, episodes: [], threshold: { minRelevance: 0.15, weaker: false } };
    backend.weakerEpisodes = [{ ...demoEpisodes[2], relevance: 0.04 }];
    await controller.receive({ type: 'ready' });
    assert.deepEqual(of(sent, 'state')[0].state.threshold, { minRelevance: 0.15, weaker: false });
    await controller.receive({ type: 'recall.showWeaker' });
    assert.deepEqual(backend.calls, ['showWeaker']);
    const after = of(sent, 'state')[1].state;
    assert.deepEqual(after.threshold, { minRelevance: 0.15, weaker: true });
    assert.deepEqual(
      after.episodes.map((e) => [e.id, e.relevance]),
      [['demo-ep-02', 0.04]],
    );
    backend.state = { ...backend.state, issue: null, threshold: null };
    await controller.receive({ type: 'ready' });
    await controller.receive({ type: 'recall.showWeaker' });
    assert.deepEqual(backend.calls, ['showWeaker'], 'no issue, no second recall');
    assert.match(log.lines.join('\n'), /"show weaker matches" without an open issue; ignored/);
    await controller.receive({ type: 'recall.showWeaker', episodeId: 'x' });
    assert.match(log.lines.at(-1) ?? '', /invalid "recall.showWeaker" message/);
  });

  it('Share with Team / to Repository reach the backend only for shown cards and insights, with a known target', async () => {
    const { backend, log, controller } = setup();
    await controller.receive({ type: 'episode.share', episodeId: 'demo-ep-01', to: 'team' });
    assert.deepEqual(backend.calls, [], 'nothing shown yet');
    await controller.receive({ type: 'ready' });
    await controller.receive({ type: 'episode.share', episodeId: 'demo-ep-01', to: 'team' });
    await controller.receive({ type: 'episode.share', episodeId: 'demo-ep-02', to: 'repo' });
    await controller.receive({ type: 'insight.share', insightId: 'demo-in-05', to: 'team' });
    await controller.receive({ type: 'episode.share', episodeId: 'not-shown', to: 'team' });
    await controller.receive({ type: 'insight.share', insightId: 'not-shown', to: 'repo' });
    await controller.receive({ type: 'episode.share', episodeId: 'demo-ep-01', to: 's3://elsewhere' });
    await controller.receive({ type: 'insight.share', insightId: 'demo-in-05' });
    assert.deepEqual(backend.calls, ['share demo-ep-01 team', 'share demo-ep-02 repo', 'share demo-in-05 team']);
    assert.equal(log.lines.filter((l) => /share requested for an? (episode|insight) it does not show/.test(l)).length, 3);
    assert.equal(log.lines.filter((l) => /invalid "(episode|insight)\.share" message/.test(l)).length, 2);
  });

  it('insight actions and edits reach the backend (trimmed) and refresh', async () => {
    const { backend, controller, sent } = setup();
    await controller.receive({ type: 'ready' });
    for (const action of ['approve', 'retire', 'helpful', 'not-helpful'] as const)
      await controller.receive({ type: 'insight.action', insightId: 'demo-in-05', action });
    await controller.receive({ type: 'insight.edit', insightId: 'demo-in-01', text: '  Leave the cell empty.  ' });
    await controller.receive({ type: 'insight.action', insightId: 'unknown', action: 'retire' });
    assert.deepEqual(backend.calls, [
      'insight demo-in-05 "approve"',
      'insight demo-in-05 "retire"',
      'insight demo-in-05 "helpful"',
      'insight demo-in-05 "not-helpful"',
      'insight demo-in-01 {"edit":"Leave the cell empty."}',
    ]);
    assert.equal(of(sent, 'state').length, 6);
  });

  it('compose answers with the prompt, or with an error the panel can show', async () => {
    const { backend, log, controller, sent } = setup();
    await controller.receive({ type: 'prompt.compose', requestId: 'c-1', stage: 'review' });
    backend.failing.add('compose');
    await controller.receive({ type: 'prompt.compose', requestId: 'c-2', stage: 'fix' });
    assert.deepEqual(sent, [
      { type: 'compose.result', requestId: 'c-1', stage: 'review', text: 'prompt for review', tokens: 3 },
      { type: 'compose.error', requestId: 'c-2', stage: 'fix', message: 'compose is broken' },
    ]);
    assert.match(log.lines.join('\n'), /Composing the fix prompt failed: compose is broken/);
  });

  it('a failing backend call is logged and shown as a notice; receive never throws', async () => {
    const { backend, log, controller, sent } = setup();
    backend.failing.add('openInCopilotChat');
    await controller.receive({ type: 'prompt.openInCopilot', prompt: 'p' });
    assert.deepEqual(sent, [{ type: 'notice', level: 'error', message: 'openInCopilotChat is broken' }]);
    assert.match(log.lines.join('\n'), /^error panel: "prompt.openInCopilot" failed: openInCopilotChat is broken$/m);
  });

  it('code copy and insert pass the code through', async () => {
    const { backend, controller, sent } = setup();
    await controller.receive({ type: 'code.copy', code: 'npm test' });
    await controller.receive({ type: 'code.insert', code: 'return ""' });
    assert.deepEqual(backend.calls, ['copy npm test', 'insert return ""']);
    assert.equal(of(sent, 'notice')[0].message, 'Copied to the clipboard.');
  });
});
