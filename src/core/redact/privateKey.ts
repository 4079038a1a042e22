import { type Hit, rank } from './types';

/**
 * Private key blocks (`-----BEGIN … PRIVATE KEY----- … -----END … PRIVATE KEY-----`).
 *
 * Why our own: the secretlint preset only reports a block whose body is 100–10,000 clean
 * base64 characters starting with the ASN.1/OpenSSH magic, with no `+`/`-` prefixes. That
 * misses keys inside unified diffs, `ENCRYPTED`/`PGP … BLOCK` variants with headers,
 * truncated keys in logs, and keys whose body was shortened in an issue.
 *
 * Done procedurally instead of with one `BEGIN[\s\S]*?END` regex: with many BEGIN markers and
 * no END that regex rescans to the end of the text for each marker (quadratic). Here the body
 * scan stops at the next `-----`, so every character is visited a bounded number of times.
 */
const HEADER = /-----BEGIN[ A-Z0-9]{0,40}PRIVATE KEY(?: BLOCK)?-----/g;
const FOOTER = /-----END[ A-Z0-9]{0,40}PRIVATE KEY(?: BLOCK)?-----/y;
/** Real bodies are < 13 KB (RSA-16384); stop scanning a runaway "body" after this many chars. */
const MAX_BODY = 64 * 1024;

/**
 * Characters a key body may contain: base64, whitespace, `\` (JSON-escaped `\n`), the diff/quote
 * prefixes `+`, `>` and `|`, single `-` (diff removals, `DEK-Info: AES-128-CBC`), `:` and `,`
 * (PEM encryption headers).
 */
function isBodyChar(c: number): boolean {
  return (
    (c >= 0x41 && c <= 0x5a) || // A-Z
    (c >= 0x61 && c <= 0x7a) || // a-z
    (c >= 0x30 && c <= 0x39) || // 0-9
    c === 0x2b ||
    c === 0x2f ||
    c === 0x3d || // + / =
    c === 0x20 ||
    c === 0x09 ||
    c === 0x0a ||
    c === 0x0d || // whitespace
    c === 0x5c ||
    c === 0x3e ||
    c === 0x7c || // \ > |
    c === 0x2d ||
    c === 0x3a ||
    c === 0x2c // - : ,
  );
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

/** Before `footerAt`, the text holds no other BEGIN marker (so a key body cannot swallow a second key). */
function noHeaderBetween(text: string, from: number, footerAt: number): boolean {
  const next = text.indexOf('-----BEGIN', from);
  return next < 0 || next > footerAt;
}

export function findPrivateKeys(text: string): Hit[] {
  if (!text.includes('PRIVATE KEY')) return [];
  const hits: Hit[] = [];
  HEADER.lastIndex = 0;
  let m: RegExpExecArray | null;
  let nextFooter = -2; // the first footer at or after the current header (found once, reused: linear)
  while ((m = HEADER.exec(text)) !== null) {
    const start = m.index;
    let i = start + m[0].length;
    const limit = Math.min(text.length, i + MAX_BODY);
    while (i < limit) {
      const c = text.charCodeAt(i);
      if (c === 0x2d && text.startsWith('-----', i)) break;
      if (!isBodyChar(c)) break;
      i++;
    }
    // A body interrupted by a log or container prefix on every line (`app-1  | …`, a timestamp):
    // when a footer follows within the size of a key, with no other header before it, the key runs to it.
    if (!text.startsWith('-----', i) && !text.startsWith('------', i - 1)) {
      if (nextFooter !== -1 && nextFooter < i) nextFooter = text.indexOf('-----END', i);
      if (nextFooter >= 0 && nextFooter - i <= MAX_BODY && noHeaderBetween(text, i, nextFooter)) i = nextFooter;
    }
    // `------END …` is a removed footer line in a diff: the first dash is the diff marker.
    if (text.startsWith('------', i)) i++;
    let end = i;
    FOOTER.lastIndex = i;
    if (FOOTER.test(text)) {
      end = FOOTER.lastIndex;
    } else {
      // Unterminated (truncated log, shortened issue text): redact the body we saw, but keep
      // the whitespace that separates it from whatever follows.
      while (end > start && isSpace(text.charCodeAt(end - 1))) end--;
    }
    hits.push({ rule: 'private-key', start, end, rank: rank.shape });
    HEADER.lastIndex = Math.max(end, start + 1);
  }
  return hits;
}
