// The in-host side of UI control: tests in the extension host ask the outer runner to click, type or
// read in the workbench or a webview. See test/integration/README.md.
import { ENV_CONTROL } from '../results';
import type { UiRequest, UiResponse } from './protocol';

async function send(req: UiRequest): Promise<UiResponse & { ok: true }> {
  const base = process.env[ENV_CONTROL];
  if (!base) throw new Error(`${ENV_CONTROL} is not set: UI control works only under test/integration/run.ts (npm run test:integration)`);
  const res = await fetch(`${base}/ui`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(req),
  });
  const body = (await res.json()) as UiResponse;
  if (!body.ok) throw new Error(`UI ${req.action} failed: ${body.error}`);
  return body;
}

type Where = { frame?: 'workbench' | 'webview'; within?: string; timeoutMs?: number };

export const ui = {
  /** True when the runner serves UI control (not under @vscode/test-electron). */
  available: (): boolean => Boolean(process.env[ENV_CONTROL]),
  click: async (selector: string, where: Where = {}) => void (await send({ action: 'click', selector, ...where })),
  fill: async (selector: string, value: string, where: Where = {}) => void (await send({ action: 'fill', selector, value, ...where })),
  press: async (key: string, selector?: string, where: Where = {}) => void (await send({ action: 'press', key, selector, ...where })),
  text: async (selector: string, where: Where = {}) => (await send({ action: 'text', selector, ...where })).text ?? '',
  count: async (selector: string, where: Where = {}) => (await send({ action: 'count', selector, ...where })).count ?? 0,
  screenshot: async (path: string) => void (await send({ action: 'screenshot', path })),
  select: async (selector: string, value: string, where: Where = {}) => void (await send({ action: 'select', selector, value, ...where })),
  /** Evaluates a JavaScript expression in the workbench or in the webview frame that holds `selector`. */
  evaluate: async <T>(expression: string, where: Where = {}): Promise<T> =>
    JSON.parse((await send({ action: 'evaluate', expression, ...where })).text ?? 'null') as T,
  drag: async (from: { x: number; y: number }, to: { x: number; y: number }) => void (await send({ action: 'drag', from, to })),
};
