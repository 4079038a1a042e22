// Dejafix's part of a markdown instructions file (AGENTS.md-style files, .clinerules, Copilot
// instructions, Continue and Cursor rules): one block between two HTML comments, so connecting adds
// or replaces just that block and disconnecting removes just it, leaving the rest byte for byte.
import { ConfigMergeError } from './mergeError';

export const BLOCK_START = '<!-- dejafix:start — added by `dejafix connect`; `dejafix disconnect` removes it -->';
export const BLOCK_END = '<!-- dejafix:end -->';
const START = /^<!-- dejafix:start\b.*-->[ \t]*$/m;
const END = /^<!-- dejafix:end -->[ \t]*$/m;

function find(text: string, file: string): { start: number; end: number } | undefined {
  const s = START.exec(text);
  const e = END.exec(text);
  if (!s && !e) return undefined;
  if (!s || !e || e.index < s.index)
    throw new ConfigMergeError(`${file} has a Dejafix block with only one of its two markers; fix or remove it by hand first`);
  if (START.exec(text.slice(s.index + s[0].length)))
    throw new ConfigMergeError(`${file} has more than one Dejafix block; remove the extra ones by hand first`);
  let end = e.index + e[0].length;
  if (text[end] === '\n') end++;
  return { start: s.index, end };
}

function blockOf(body: string): string {
  return `${BLOCK_START}\n${body.trim()}\n${BLOCK_END}\n`;
}

/**
 * The file with Dejafix's block added (at the end) or replaced (in place). `header` starts a file
 * that does not exist yet (front matter some agents need).
 */
export function addBlock(text: string | undefined, body: string, file: string, header = ''): string {
  if (text === undefined || !text.trim()) return `${header}${blockOf(body)}`;
  const at = find(text, file);
  if (at) return `${text.slice(0, at.start)}${blockOf(body)}${text.slice(at.end)}`;
  const sep = text.endsWith('\n') ? '\n' : '\n\n';
  return `${text}${sep}${blockOf(body)}`;
}

/**
 * The file without Dejafix's block (and the blank line connect put before it). Undefined when
 * nothing but the block (and `header`) was left: the file was Dejafix's alone and can go.
 */
export function removeBlock(text: string | undefined, file: string, header = ''): string | undefined {
  if (text === undefined) return undefined;
  const at = find(text, file);
  if (!at) return text;
  let before = text.slice(0, at.start);
  const after = text.slice(at.end);
  if (!after && before.endsWith('\n\n')) before = before.slice(0, -1);
  const rest = before + after;
  if (!rest.trim() || rest === header || rest.trim() === header.trim()) return undefined;
  return rest;
}
