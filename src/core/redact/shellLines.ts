/**
 * A shell command continued over several lines (`\` at the end of a line; PowerShell's `` ` `` and cmd's `^`
 * after a blank): `curl -X POST \` / `  -u admin:… \` / `  https://…`. The command-line rules read one
 * line at a time, so a flag on a continuation line lost its tool. The logical line is given as the same
 * characters with each continuation mark and its line break turned into blanks, so offsets into it are
 * offsets into the text. At most 64 lines and 8 K characters (a shell line), found with bounded scans.
 */

const MAX_LINES = 64;
const MAX_CHARS = 8192;

/** Where the continuation mark before the line break at `nl` starts, or -1 when that line does not continue. */
function continuation(text: string, nl: number): number {
  const e = nl > 0 && text[nl - 1] === '\r' ? nl - 1 : nl;
  const c = text[e - 1];
  if (c === '\\') return text[e - 2] === '\\' ? -1 : e - 1; // `\\` is an escaped backslash
  return (c === '`' || c === '^') && (text[e - 2] === ' ' || text[e - 2] === '\t') ? e - 1 : -1;
}

export interface LogicalLine {
  start: number;
  /** The line break (or the text's end) that ends the last line. */
  end: number;
  line: string;
}

/** The logical line that holds the line starting at `start`. */
export function logicalLine(text: string, start: number): LogicalLine {
  const marks: [number, number][] = []; // continuation mark .. line break, inclusive
  let s = start;
  for (let k = 0; k < MAX_LINES && s > 0; k++) {
    const mark = continuation(text, s - 1);
    const prev = mark < 0 ? -1 : text.lastIndexOf('\n', s - 2) + 1;
    if (mark < 0 || start - prev > MAX_CHARS) break;
    marks.push([mark, s - 1]);
    s = prev;
  }
  let e = text.indexOf('\n', start);
  if (e < 0) e = text.length;
  for (let k = 0; k < MAX_LINES && e < text.length && e - s < MAX_CHARS; k++) {
    const mark = continuation(text, e);
    if (mark < 0) break;
    marks.push([mark, e]);
    const next = text.indexOf('\n', e + 1);
    e = next < 0 ? text.length : next;
  }
  const end = Math.min(e, s + MAX_CHARS);
  if (marks.length === 0) return { start: s, end: e, line: text.slice(s, end) };
  marks.sort((a, b) => a[0] - b[0]);
  let line = '';
  let at = s;
  for (const [m, nl] of marks) {
    if (m >= end) break;
    line += text.slice(at, m) + ' '.repeat(Math.min(nl, end - 1) - m + 1);
    at = Math.min(nl, end - 1) + 1;
  }
  line += text.slice(at, end);
  return { start: s, end: e, line };
}
