import type { Hit } from './types';
import { hitsInViews, type View } from './views';

/**
 * Secrets inside escaped text, seen through a decoded view whose hits are mapped back to the
 * original offsets (only the secret is redacted, the escapes around it stay):
 * - string literals with backslash escapes: a JSON document quoted inside JSON (a tool result,
 *   an API response in a log), where `\"api_key\": \"…\"` and `\n`-separated lines hide both the
 *   quotes and the line starts the other rules look for;
 * - percent-encoded runs (`?next=https%3A%2F%2Fuser%3Apw%40host`, an encoded webhook URL).
 * Each view is decoded only where it differs from the text, and one level deep per pass.
 */

const MAX_LITERAL = 65_536;
const MIN_DECODED = 12;
const SIMPLE: Record<string, string> = { n: '\n', r: '\r', t: '\t', '"': '"', "'": "'", '\\': '\\', '/': '/', '`': '`' };

/**
 * Unescapes the literal between `from` and `to` (exclusive). Returns undefined when it holds no
 * escape that changes the line structure or quoting (`\n`, `\r`, `\t`, `\"`, `\'`).
 */
function unescapeLiteral(text: string, from: number, to: number): View | undefined {
  let out = '';
  const map: number[] = [];
  let structural = false;
  for (let i = from; i < to; i++) {
    const c = text[i];
    if (c === '\\' && i + 1 < to) {
      const e = text[i + 1];
      const simple = SIMPLE[e];
      if (simple !== undefined) {
        if (e !== '\\' && e !== '/' && e !== '`') structural = true;
        out += simple;
        map.push(i);
        i++;
        continue;
      }
      if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
        out += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
        map.push(i);
        i += 5;
        continue;
      }
    }
    out += c;
    map.push(i);
  }
  map.push(to);
  return structural ? { text: out, map } : undefined;
}

/** An escape that hides a line break or a quote. */
const STRUCTURAL = /\\[nrt"']/g;

/**
 * Quoted literals (`"…"`, `'…'`) on one line that contain structural escapes, decoded. Only the
 * lines holding such an escape are scanned (found with one regex), from their start, so quotes pair
 * up as they do in the line.
 */
function* escapedLiterals(text: string): Generator<View> {
  STRUCTURAL.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = STRUCTURAL.exec(text)) !== null) {
    const ls = text.lastIndexOf('\n', m.index) + 1;
    const nl = text.indexOf('\n', m.index);
    const le = nl < 0 ? text.length : nl;
    yield* literalsInLine(text, ls, Math.min(le, ls + MAX_LITERAL));
    if (nl < 0) break;
    STRUCTURAL.lastIndex = nl + 1;
  }
}

function* literalsInLine(text: string, from: number, to: number): Generator<View> {
  let i = from;
  // A quote kind once found unclosed stays unclosed for every later quote of that kind on the line:
  // a later scan reaches the same characters with the same escape pairing (it starts right after a
  // quote the first scan stepped over as the second half of an escape). Not scanning again keeps a
  // line of 64,000 `\"` linear (it took 0.9 s, and grew with the square of its length).
  const unclosed = new Set<number>();
  while (i < to) {
    const c = text.charCodeAt(i);
    if ((c !== 0x22 && c !== 0x27) || unclosed.has(c)) {
      i++;
      continue;
    }
    let j = i + 1;
    let escapes = false;
    while (j < to) {
      const d = text.charCodeAt(j);
      if (d === 0x5c) {
        escapes = true;
        j += 2;
        continue;
      }
      if (d === c) break;
      j++;
    }
    if (j >= to) {
      // Unclosed (an apostrophe in prose): not a literal, and no later quote of this kind closes.
      unclosed.add(c);
      i++;
      continue;
    }
    if (escapes && j - i - 1 >= MIN_DECODED) {
      const view = unescapeLiteral(text, i + 1, j);
      if (view && view.text.length >= MIN_DECODED) yield view;
    }
    i = j + 1;
  }
}

const HEX = /^[0-9a-fA-F]{2}$/;
function isUrlChar(c: number): boolean {
  return (
    (c >= 0x41 && c <= 0x5a) ||
    (c >= 0x61 && c <= 0x7a) ||
    (c >= 0x30 && c <= 0x39) ||
    c === 0x25 || // %
    c === 0x2d ||
    c === 0x2e ||
    c === 0x5f ||
    c === 0x7e || // - . _ ~
    c === 0x2b ||
    c === 0x21 ||
    c === 0x2a // + ! *
  );
}

/** Runs of URL characters holding a percent-encoded `:`, `/` or `@`, decoded (UTF-8 kept as bytes). */
function* percentRuns(text: string): Generator<View> {
  const probe = /%(?:3[aA]|2[fF]|40)/g;
  let after = 0;
  let m: RegExpExecArray | null;
  while ((m = probe.exec(text)) !== null) {
    if (m.index < after) continue;
    let s = m.index;
    while (s > 0 && isUrlChar(text.charCodeAt(s - 1))) s--;
    let e = m.index;
    while (e < text.length && isUrlChar(text.charCodeAt(e))) e++;
    after = e;
    probe.lastIndex = e;
    let out = '';
    const map: number[] = [];
    for (let i = s; i < e; i++) {
      if (text[i] === '%' && HEX.test(text.slice(i + 1, i + 3))) {
        out += String.fromCharCode(parseInt(text.slice(i + 1, i + 3), 16));
        map.push(i);
        i += 2;
      } else {
        out += text[i];
        map.push(i);
      }
    }
    map.push(e);
    if (out.length >= MIN_DECODED) yield { text: out, map };
  }
}

/** Hits found by `detect` in the decoded views of `text`, in original offsets. */
export function findEscaped(text: string, detect: (decoded: string, depth: number) => Hit[], depth = 0): Hit[] {
  if (depth >= 2) return [];
  const hasBackslash = text.includes('\\');
  const hasPercent = text.includes('%');
  if (!hasBackslash && !hasPercent) return [];
  return [
    ...(hasBackslash ? hitsInViews(escapedLiterals(text), detect, depth) : []),
    ...(hasPercent ? hitsInViews(percentRuns(text), detect, depth) : []),
  ];
}
