import { createReadStream } from 'node:fs';

/** One line of a JSONL file: its 1-based number and either its text or why it could not be read. */
export type Line = { line: number; text: string; error?: undefined } | { line: number; error: string; text?: undefined };

/** A line longer than this is refused rather than read into memory. */
export const MAX_LINE_BYTES = 64 * 1024 * 1024;

/**
 * Reads a file line by line as strict UTF-8: a line with invalid bytes is reported as an error
 * (with its number) instead of being silently changed. Blank lines are skipped; CRLF and a
 * leading BOM are accepted.
 */
export async function* readLines(path: string): AsyncGenerator<Line> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let parts: Buffer[] = [];
  let size = 0;
  let tooLong = false;
  let n = 0;
  function* finish(): Generator<Line> {
    n++;
    const buf = Buffer.concat(parts, size);
    parts = [];
    size = 0;
    if (tooLong) {
      tooLong = false;
      yield { line: n, error: `line is longer than ${MAX_LINE_BYTES / 1024 / 1024} MB` };
      return;
    }
    let text: string;
    try {
      text = decoder.decode(buf);
    } catch {
      yield { line: n, error: `invalid UTF-8 at byte ${firstInvalidByte(buf)}` };
      return;
    }
    if (n === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    if (text.endsWith('\r')) text = text.slice(0, -1);
    if (text.trim()) yield { line: n, text };
  }
  for await (const chunk of createReadStream(path, { highWaterMark: 1024 * 1024 }) as AsyncIterable<Buffer>) {
    let start = 0;
    for (let nl = chunk.indexOf(10, start); nl !== -1; nl = chunk.indexOf(10, start)) {
      push(chunk.subarray(start, nl));
      yield* finish();
      start = nl + 1;
    }
    push(chunk.subarray(start));
  }
  if (size > 0 || tooLong) yield* finish();

  function push(b: Buffer): void {
    if (tooLong || b.length === 0) return;
    if (size + b.length > MAX_LINE_BYTES) {
      tooLong = true;
      parts = [];
      size = 0;
      return;
    }
    parts.push(b);
    size += b.length;
  }
}

function firstInvalidByte(buf: Buffer): number {
  const d = new TextDecoder('utf-8', { fatal: true });
  let lo = 0;
  let hi = buf.length;
  // Binary search for the shortest prefix that fails to decode (ignoring a truncated tail).
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    try {
      d.decode(buf.subarray(0, mid + 1), { stream: true });
      lo = mid + 1;
    } catch {
      hi = mid;
    }
  }
  return lo;
}
