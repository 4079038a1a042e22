// Clipping a text to a limit AFTER redacting it. Clipped first, a secret cut at the limit would no
// longer match its rule and its kept part would be stored; so a margin beyond the limit is redacted
// with the kept part, and the clip happens on the redacted text.
import { redact } from './index';

/** Redacted beyond the limit, so a secret straddling the cut is recognised whole. */
export const CLIP_MARGIN = 16 * 1024;
/** Room for the `[… N characters omitted]` line. */
const MARKER_ROOM = 40;

/** The end of `text`, redacted, at most `max` characters, with a line saying how much was left out. */
export async function redactTail(text: string, max: number): Promise<string> {
  const window = text.length > max + CLIP_MARGIN ? text.slice(text.length - max - CLIP_MARGIN) : text;
  const r = (await redact(window)).text;
  if (window === text && r.length <= max) return r;
  const room = Math.max(0, max - MARKER_ROOM);
  const kept = r.length <= room ? r : r.slice(r.length - room);
  return `[… ${Math.max(0, text.length - kept.length)} characters omitted]\n${kept}`;
}

/** The start of `text`, redacted, at most `max` characters. */
export async function redactHead(text: string, max: number): Promise<string> {
  return (await redact(text.length > max + CLIP_MARGIN ? text.slice(0, max + CLIP_MARGIN) : text)).text.slice(0, max);
}
