// The harness's UI control (see ../README.md): the runner clicks inside a webview for a test in the
// extension host. The side panel round trip builds on this path. Tests tagged @ui run only under run.ts.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { ui } from '../control/client';

const HTML = `<!DOCTYPE html><html><head>
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'nonce-itnonce';">
</head><body>
<button id="dejafix-it-ping">Ping</button><span id="dejafix-it-reply"></span>
<script nonce="itnonce">
  const vscode = acquireVsCodeApi();
  document.getElementById('dejafix-it-ping').addEventListener('click', () => vscode.postMessage({ type: 'ping' }));
  window.addEventListener('message', (e) => { document.getElementById('dejafix-it-reply').textContent = e.data.text; });
</script></body></html>`;

describe('UI control from the extension host @ui', () => {
  it('sees the workbench', async () => {
    assert.equal(await ui.count('.monaco-workbench'), 1);
  });

  it('clicks a button inside a webview and reads the reply the host sent back', async () => {
    const panel = vscode.window.createWebviewPanel('dejafixItProbe', 'Dejafix test probe', vscode.ViewColumn.One, { enableScripts: true });
    try {
      const pinged = new Promise<unknown>((resolve) => panel.webview.onDidReceiveMessage(resolve));
      panel.webview.html = HTML;
      await ui.click('#dejafix-it-ping', { frame: 'webview', timeoutMs: 30_000 });
      assert.deepEqual(await pinged, { type: 'ping' });
      await panel.webview.postMessage({ text: 'pong from the host' });
      let reply = '';
      for (let i = 0; i < 50 && reply !== 'pong from the host'; i++) {
        reply = await ui.text('#dejafix-it-reply', { frame: 'webview' });
        if (reply !== 'pong from the host') await new Promise((r) => setTimeout(r, 100));
      }
      assert.equal(reply, 'pong from the host');
    } finally {
      panel.dispose();
    }
  });

  it('reports a clear error for a selector that matches nothing', async () => {
    await assert.rejects(
      ui.click('#no-such-element-anywhere', { frame: 'webview', timeoutMs: 500 }),
      /no webview frame contains #no-such-element-anywhere/,
    );
  });
});
