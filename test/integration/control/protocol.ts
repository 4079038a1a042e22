// Requests in-host tests send to the runner's UI-control endpoint (POST /ui, JSON).
import { z } from 'zod';

/** `workbench`: the main page; `webview`: the first frame other than the main one holding the selector. */
const frame = z.enum(['workbench', 'webview']).default('workbench');
/** With `frame: 'webview'`: a selector that picks the webview (so a count can be 0, a wait can start early). */
const within = z.string().min(1).max(2000).optional();
const timeoutMs = z.number().int().min(1).max(120_000).default(15_000);
const selector = z.string().min(1).max(2000);
const point = z.object({ x: z.number().min(0).max(10_000), y: z.number().min(0).max(10_000) });

export const uiRequestSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('click'), selector, frame, within, timeoutMs }),
  z.object({ action: z.literal('fill'), selector, value: z.string().max(100_000), frame, within, timeoutMs }),
  z.object({ action: z.literal('press'), key: z.string().min(1).max(100), selector: selector.optional(), frame, within, timeoutMs }),
  z.object({ action: z.literal('text'), selector, frame, within, timeoutMs }),
  z.object({ action: z.literal('count'), selector, frame, within, timeoutMs }),
  z.object({ action: z.literal('screenshot'), path: z.string().min(1).max(4096) }),
  z.object({ action: z.literal('select'), selector, value: z.string().max(1000), frame, within, timeoutMs }),
  // A JavaScript expression evaluated in the frame (a webview frame is found by `within`); its
  // JSON-serialisable value comes back as JSON text. For measurements: widths, focus, values.
  z.object({ action: z.literal('evaluate'), expression: z.string().min(1).max(20_000), frame, within, timeoutMs }),
  // A mouse drag on the page (a sash, to resize the side bar), in page pixels.
  z.object({ action: z.literal('drag'), from: point, to: point }),
]);

export type UiRequest = z.input<typeof uiRequestSchema>;

export type UiResponse = { ok: true; text?: string; count?: number } | { ok: false; error: string };
