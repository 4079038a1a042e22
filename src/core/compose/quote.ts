// Memories enter a prompt as quoted data. This file makes any text safe to quote: printable,
// free of our delimiters, and fenced so that Markdown cannot end the quote early either.

import { stripVTControlCharacters } from 'node:util';

export { fenced, oneLine } from '../util/text';

/** The block delimiters of a composed prompt. No quoted text can contain one of these names. */
export const TAGS = {
  memory: 'dejafix-memory',
  lessons: 'dejafix-lessons',
  issue: 'dejafix-issue',
  workspace: 'dejafix-workspace',
} as const;

// "dejafix-memory" and look-alikes (other dashes, underscores, any case): the tag names with the
// hyphen a quoted text would need to open or close one of our blocks.
const TAG_NAME = /dejafix[-_\u2010-\u2015\u2212\uFE58\uFE63\uFF0D](?=(?:memory|lessons|issue|workspace))/giu;
/** Control characters other than tab and newline. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/g;
/** Invisible characters that could hide a delimiter from a reader (zero-width, bidi overrides, soft hyphen). */
const INVISIBLE = /[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;

/** Printable text: well-formed UTF-16, `\n` line ends, no terminal escapes, control or invisible characters, no trailing blank lines. */
export function cleanText(text: string): string {
  // terminal colour and cursor sequences, common in captured command output, go first
  return stripVTControlCharacters(text.toWellFormed())
    .replace(/\r\n?|[\u2028\u2029]/g, '\n')
    .replace(CONTROL, '')
    .replace(INVISIBLE, '')
    .replace(/\s+$/, '');
}

/**
 * Makes our delimiters impossible inside quoted data: `</dejafix-memory>` becomes
 * `</dejafix_memory>`, which is not a delimiter (the prompt tells the model the exact names).
 */
export function neutralise(text: string): string {
  return text.replace(TAG_NAME, 'dejafix_');
}

/** A value for a delimiter attribute: one line, quotes and angle brackets escaped, at most `max` characters. */
export function attr(value: string, max = 160): string {
  const one = neutralise(cleanText(value).replace(/\s+/g, ' ').trim());
  const short = one.length > max ? `${one.slice(0, max - 1)}…` : one;
  return short.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** `<name a="1" b="2">`, leaving out empty attributes. */
export function openTag(name: string, attrs: Record<string, string | undefined> = {}): string {
  const parts = Object.entries(attrs)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => ` ${k}="${attr(v!)}"`);
  return `<${name}${parts.join('')}>`;
}

export function closeTag(name: string): string {
  return `</${name}>`;
}
