// A small page on 127.0.0.1 that stands in for the VS Code host: it serves the panel's real HTML
// (panelHtml, with its content security policy and nonce), the panel bundle built from
// src/webview/main.ts with the options scripts/build.mjs uses, the panel CSS, a theme, and the
// fake host script (fakeHost.ts). `?csp=off` serves the page without the policy, to show that the
// sanitising alone renders hostile content inert.
import { build } from 'esbuild';
import { createServer, type Server } from 'node:http';
import { mkdtemp, readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeNonce, panelHtml } from '../../../src/vscode/panel/html';
import { FAKE_HOST_JS } from './fakeHost';

const ROOT = join(__dirname, '../../..');

let bundle: Promise<string> | undefined;

/** Builds the panel bundle once per process (same options as scripts/build.mjs). */
export function buildBundle(): Promise<string> {
  bundle ??= (async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dejafix-webview-'));
    const outfile = join(dir, 'main.js');
    await build({
      entryPoints: [join(ROOT, 'src/webview/main.ts')],
      outfile,
      bundle: true,
      platform: 'browser',
      format: 'iife',
      target: 'es2022',
      minify: true,
      sourcemap: true,
      logLevel: 'warning',
    });
    return outfile;
  })();
  return bundle;
}

export interface Harness {
  url: string;
  close(): Promise<void>;
}

export async function startHarness(): Promise<Harness> {
  const script = await buildBundle();
  const files: Record<string, { path: string; type: string }> = {
    '/dist/webview/main.js': { path: script, type: 'text/javascript' },
    '/dist/webview/main.js.map': { path: `${script}.map`, type: 'application/json' },
    '/media/webview/panel.css': { path: join(ROOT, 'media/webview/panel.css'), type: 'text/css' },
    '/harness/theme.css': { path: join(__dirname, 'theme.css'), type: 'text/css' },
  };
  const server: Server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const origin = `http://${req.headers.host}`;
      if (url.pathname === '/') {
        const nonce = makeNonce();
        let html = panelHtml({
          cspSource: origin,
          nonce,
          scriptUri: `${origin}/dist/webview/main.js`,
          styleUri: `${origin}/media/webview/panel.css`,
        });
        html = html.replace('<link rel="stylesheet"', `<link rel="stylesheet" href="${origin}/harness/theme.css">\n<link rel="stylesheet"`);
        html = html.replace('<script nonce=', `<script nonce="${nonce}">${FAKE_HOST_JS}</script>\n<script nonce=`);
        if (url.searchParams.get('csp') === 'off') html = html.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>\n/, '');
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
        res.end(html);
        return;
      }
      const file = files[url.pathname];
      if (!file) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': file.type, 'cache-control': 'no-store' });
      res.end(await readFile(file.path));
    })().catch((e) => {
      res.writeHead(500).end(String(e));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
