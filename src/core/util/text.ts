// Small text helpers shared by prompts, tool results and command output. Only Node built-ins, so
// the editor can use them at activation without loading anything else.
import { stripVTControlCharacters } from 'node:util';

/** One line, at most `max` characters (runs of whitespace and control characters become one space; cut with `…`). */
export function oneLine(text: string, max = 300): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is removed
  const one = text.replace(/[\s\u0000-\u001f\u007f-\u009f]+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}

/** A fenced code block whose fence is longer than any backtick run inside, so the text cannot close it. */
export function fenced(text: string, lang = ''): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${lang}\n${text}\n${fence}`;
}

/** Terminal output without colour, cursor and title sequences (Node's own parser of them); a lone `\r` becomes a line end. */
export function stripAnsi(text: string): string {
  return stripVTControlCharacters(text).replace(/\r(?!\n)/g, '\n');
}

/** A title for a toast or status line: at most `max` characters, cut at a word boundary with `…` (never mid-word when a space is near). */
export function ellipsize(text: string, max: number): string {
  const one = text.replace(/\s+/g, ' ').trim();
  if (one.length <= max) return one;
  const cut = one.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space >= max * 0.6 ? cut.slice(0, space) : cut).replace(/[\s,.;:–—-]+$/, '')}…`;
}
