// Entry point of the panel bundle (dist/webview/main.js).
import type { ToWebview } from '../shared/toWebview';
import { App } from './app';
import { connectHost } from './host';

const KNOWN: ReadonlySet<string> = new Set<ToWebview['type']>([
  'state',
  'compose.result',
  'compose.error',
  'chat.started',
  'chat.delta',
  'chat.done',
  'chat.error',
  'notice',
  'health.open',
  'health.progress',
  'health.result',
  'health.error',
]);

function start(): void {
  const host = connectHost();
  const root = document.getElementById('app') ?? document.body;
  const report = (message: string) => host.post({ type: 'webview.error', message: message.slice(0, 2000) });
  window.addEventListener('error', (ev) => report(`${ev.message} (${ev.filename}:${ev.lineno})`));
  window.addEventListener('unhandledrejection', (ev) => report(`Unhandled rejection: ${String(ev.reason)}`));
  const app = new App(host, root);
  window.addEventListener('message', (ev: MessageEvent) => {
    const data: unknown = ev.data;
    if (typeof data !== 'object' || data === null || !KNOWN.has((data as { type?: string }).type ?? '')) return;
    try {
      app.receive(data as ToWebview);
    } catch (e) {
      report(`Handling "${(data as { type: string }).type}" failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    }
  });
  host.post({ type: 'ready' });
}

start();
