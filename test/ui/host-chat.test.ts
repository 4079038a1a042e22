// The chat on the host side: streaming, Stop, errors, one reply at a time, stale sessions, and
// the reply surviving a hidden panel; plus the page's content security policy and the view mapping.
import assert from 'node:assert/strict';
import type { ToWebview } from '../../src/shared/toWebview';
import { contentSecurityPolicy, makeNonce, panelHtml } from '../../src/vscode/panel/html';
import { attemptView, insightView, OUTPUT_TAIL_CHARS, PATCH_CHARS } from '../../src/vscode/panel/toView';
import { FakeBackend, hostSetup } from './fakeBackend';

const setup = hostSetup;

const send = (text: string, requestId = 'chat-1', sessionId = 'session-231') =>
  ({ type: 'chat.send', requestId, sessionId, provider: 'anthropic', text }) as const;

/** A chat that streams one delta, then waits until released or aborted. */
function gated(backend: FakeBackend) {
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  backend.chatScript = async (_req, signal, onDelta) => {
    onDelta('partial ');
    await new Promise<void>((resolve, reject) => {
      signal.addEventListener('abort', () => reject(new Error('aborted by signal')));
      void released.then(resolve);
    });
    onDelta('rest');
  };
  return () => release();
}

describe('panel host: chat', () => {
  it('streams deltas in order and saves the user message, then the reply', async () => {
    const { backend, controller, sent } = setup();
    await controller.receive(send('Why?'));
    assert.deepEqual(
      sent.map((m) => m.type),
      ['chat.started', 'chat.delta', 'chat.delta', 'chat.done'],
    );
    assert.deepEqual(
      sent.filter((m) => m.type === 'chat.delta').map((m) => (m as { text: string }).text),
      ['Hello', ', world'],
    );
    const saved = backend.conversations.get('session-231')!;
    assert.deepEqual(
      saved.map((m) => [m.role, m.content]),
      [
        ['user', 'Why?'],
        ['assistant', 'Hello, world'],
      ],
    );
    assert.equal(saved[1].provider, 'anthropic');
    assert.deepEqual(backend.calls, ['save session-231 1', 'chat anthropic 1', 'save session-231 2']);
    await controller.receive(send('And?', 'chat-2'));
    assert.equal(backend.calls.at(-2), 'chat anthropic 3', 'the history goes with the next message');
  });

  it('Stop aborts the reply; what arrived is saved marked stopped', async () => {
    const { backend, controller, sent } = setup();
    gated(backend);
    const running = controller.receive(send('Go'));
    await new Promise((r) => setImmediate(r));
    await controller.receive({ type: 'chat.stop', requestId: 'chat-other' });
    assert.equal(controller.chat.active?.requestId, 'chat-1', 'a stop for another request changes nothing');
    await controller.receive({ type: 'chat.stop', requestId: 'chat-1' });
    await running;
    const done = sent.find((m) => m.type === 'chat.done');
    assert.deepEqual(done, {
      type: 'chat.done',
      requestId: 'chat-1',
      message: { role: 'assistant', content: 'partial ', at: '2026-11-20T10:00:00.000Z', provider: 'anthropic', stopped: true },
    });
    assert.equal(backend.conversations.get('session-231')!.at(-1)!.stopped, true);
    assert.equal(controller.chat.active, null);
  });

  it('one reply at a time: a second send while streaming gets chat.error', async () => {
    const { backend, controller, sent } = setup();
    const release = gated(backend);
    const running = controller.receive(send('first'));
    await new Promise((r) => setImmediate(r));
    await controller.receive(send('second', 'chat-2'));
    assert.deepEqual(sent.at(-1), {
      type: 'chat.error',
      requestId: 'chat-2',
      message: 'A reply is still streaming: stop it or wait for it to finish.',
    });
    release();
    await running;
    assert.equal(backend.calls.filter((c) => c.startsWith('chat ')).length, 1);
  });

  it('a provider error is reported with its message, logged, and the partial reply kept', async () => {
    const { backend, log, controller, sent } = setup();
    backend.chatScript = async (_r, _s, onDelta) => {
      onDelta('Start with');
      throw new Error('No Anthropic API key: run "Dejafix: Set Anthropic API Key".');
    };
    await controller.receive(send('x'));
    assert.deepEqual(sent.at(-1), {
      type: 'chat.error',
      requestId: 'chat-1',
      message: 'No Anthropic API key: run "Dejafix: Set Anthropic API Key".',
    });
    assert.match(log.lines.join('\n'), /warn panel: Chat with anthropic failed: No Anthropic API key/);
    assert.deepEqual(backend.conversations.get('session-231')!.at(-1), {
      role: 'assistant',
      content: 'Start with',
      at: '2026-11-20T10:00:00.000Z',
      provider: 'anthropic',
      stopped: true,
    });
  });

  it('a message for another session refreshes the panel instead of chatting', async () => {
    const { backend, controller, sent } = setup();
    await controller.receive(send('hi', 'chat-1', 'session-old'));
    assert.deepEqual(
      sent.map((m) => m.type),
      ['notice', 'state'],
    );
    assert.equal(
      backend.calls.some((c) => c.startsWith('chat ')),
      false,
    );
  });

  it('keeps streaming while the panel is hidden; the reloaded panel gets the reply so far', async () => {
    const { backend, controller } = setup();
    const release = gated(backend);
    const running = controller.receive(send('Go'));
    await new Promise((r) => setImmediate(r));
    controller.detach();
    const again: ToWebview[] = [];
    controller.attach((m) => again.push(m));
    await controller.receive({ type: 'ready' });
    const state = again.find((m) => m.type === 'state');
    assert.deepEqual(state?.type === 'state' && state.state.pending, { requestId: 'chat-1', provider: 'anthropic', text: 'partial ' });
    assert.equal(state?.type === 'state' && state.state.conversation.length, 1, 'the user message is already saved');
    release();
    await running;
    assert.deepEqual(
      again.filter((m) => m.type === 'chat.delta').map((m) => (m as { text: string }).text),
      ['rest'],
    );
    assert.equal(backend.conversations.get('session-231')!.at(-1)!.content, 'partial rest');
  });

  it('New conversation during a reply stops it and leaves the conversation empty', async () => {
    const { backend, controller } = setup();
    gated(backend);
    const running = controller.receive(send('Go'));
    await new Promise((r) => setImmediate(r));
    await controller.receive({ type: 'chat.clear', sessionId: 'session-231' });
    await running;
    assert.deepEqual(backend.conversations.get('session-231'), []);
  });

  it('dispose stops a running reply', async () => {
    const { backend, controller } = setup();
    gated(backend);
    const running = controller.receive(send('Go'));
    await new Promise((r) => setImmediate(r));
    controller.dispose();
    await running;
    assert.equal(controller.chat.active, null);
  });
});

describe('panel host: page and view mapping', () => {
  it('the policy allows nothing by default, scripts only with the nonce, styles only from the bundle origin', () => {
    const csp = contentSecurityPolicy('https://abc.vscode-cdn.net', 'N0NCE');
    assert.match(csp, /^default-src 'none'; /);
    assert.match(csp, /script-src 'nonce-N0NCE'(;|$)/);
    assert.match(csp, /style-src https:\/\/abc\.vscode-cdn\.net(;|$)/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|\*/);
  });

  it('nonces are fresh, 144-bit random values; the page has exactly one script, with the nonce', () => {
    const nonces = new Set(Array.from({ length: 1000 }, makeNonce));
    assert.equal(nonces.size, 1000);
    for (const n of nonces) assert.equal(Buffer.from(n, 'base64').length, 18);
    const html = panelHtml({
      cspSource: 'vscode-webview://x',
      nonce: 'abc+/=',
      scriptUri: 'https://x/main.js?a="b"',
      styleUri: 'https://x/panel.css',
    });
    assert.equal(html.match(/<script/g)?.length, 1);
    assert.match(html, /<script nonce="abc\+\/=" src="https:\/\/x\/main\.js\?a=&quot;b&quot;"><\/script>/);
    assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none';/);
  });

  it('shortens long output and patches, and marks old insights stale', () => {
    const a = attemptView({
      id: 'a',
      episodeId: 'e',
      patch: 'p'.repeat(PATCH_CHARS + 5),
      command: 'npm test',
      exitCode: 1,
      outputTail: `${'o'.repeat(OUTPUT_TAIL_CHARS)}END`,
      at: '2026-01-01T00:00:00Z',
      by: 'human',
      outcome: 'failed',
    });
    assert.equal(a.patch.length, PATCH_CHARS);
    assert.equal(a.patchTruncated, true);
    assert.ok(a.outputTail.endsWith('END') && a.outputTail.length === OUTPUT_TAIL_CHARS + 1);
    const base = {
      id: 'i',
      text: 't',
      role: 'fix' as const,
      scope: 'global',
      importance: 2,
      evidence: { episodes: [], files: [] },
      createdAt: '2026-01-01T00:00:00Z',
      updatedAt: '2026-01-01T00:00:00Z',
    };
    const now = new Date('2026-11-20T00:00:00Z');
    assert.equal(insightView({ ...base, status: 'active' }, now)?.stale, true);
    assert.equal(insightView({ ...base, status: 'active', lastUsedAt: '2026-11-01T00:00:00Z' }, now)?.stale, false);
    assert.equal(insightView({ ...base, status: 'retired' }, now), null);
  });
});
