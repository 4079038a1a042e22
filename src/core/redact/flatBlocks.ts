import { type Hit, rank } from './types';
import { isPlaceholder } from './values';

/**
 * Multi-line secret blocks flattened onto one line, as Markdown inline code (`` `…` ``), a table cell or
 * one backtick line: a private key whose line breaks became blanks or `<br>` and whose dashes were
 * shortened, dropped or turned into en/em dashes by a renderer (`—–BEGIN RSA PRIVATE KEY—– MIIE… `,
 * `BEGIN PRIVATE KEY MIIE…`), and a kubeconfig's `client-key-data` / `*-key-data` values, which are keys
 * whatever their shape. (privateKey.ts reads the exact `-----BEGIN` form; secretBlocks.ts flattened
 * Kubernetes Secrets and PuTTY keys; configFiles.ts `.netrc` on one line.)
 *
 * Headers are found from `BEGIN` (indexOf) and read with sticky regexes; the body is read chunk by chunk,
 * at most 400 chunks of 128 characters, so hostile input stays linear.
 */

/** `BEGIN [TYPE ]PRIVATE KEY[ BLOCK]` and the dashes after it (any kind, or none). */
const LOOSE_HEADER = /BEGIN[ \t](?:[A-Z0-9]{1,16}[ \t]){0,3}PRIVATE[ \t]KEY(?:[ \t]BLOCK)?[ \t]?(?:-{1,5}|[\u2013\u2014]{1,5})?/y;
/** One chunk of a body: blanks, `<br>`, `\n` or a quote/table bar before it; base64 (or a PEM header line's `:,-`). */
const CHUNK = /(?:[ \t>|]|<br[ \t]?\/?>|\\[nr]){0,16}([A-Za-z0-9+/=:,-]{1,128})/y;

function isDash(c: string): boolean {
  return c === '-' || c === '\u2013' || c === '\u2014';
}

function findLooseKeys(text: string, hits: Hit[]): void {
  if (!text.includes('PRIVATE')) return;
  for (let p = text.indexOf('BEGIN'); p >= 0; p = text.indexOf('BEGIN', p + 5)) {
    LOOSE_HEADER.lastIndex = p;
    if (!LOOSE_HEADER.test(text)) continue;
    let start = p;
    while (start > 0 && p - start < 5 && isDash(text[start - 1])) start--;
    let end = LOOSE_HEADER.lastIndex;
    let long = 0;
    CHUNK.lastIndex = end;
    for (let n = 0; n < 400; n++) {
      const m = CHUNK.exec(text);
      if (!m || /^(?:-{0,5}|[\u2013\u2014]{0,5})END$/.test(m[1]) || m[1].startsWith('-----')) break;
      const base64 = /^[A-Za-z0-9+/=]+$/.test(m[1]);
      // A body line is 16+ base64 characters; a short chunk after one is its last line, or a header word.
      if (base64 && m[1].length >= 16) long++;
      else if (long === 0 && !/[:,]$|^[\w-]{1,24}:?$/.test(m[1])) break;
      else if (long > 0 && (!base64 || !(/[\d+/=]/.test(m[1]) || /[a-z][A-Z]/.test(m[1])))) break;
      end = CHUNK.lastIndex;
      if (long > 0 && m[1].length < 16) break;
    }
    if (long > 0) hits.push({ rule: 'private-key', start, end, rank: rank.shape });
  }
}

/** A kubeconfig's key data (`client-key-data: …`, `"client-key-data": "…"`): base64 of a private key. */
const KEY_DATA = /key[-_]data["']?[ \t]{0,8}:[ \t]{0,8}["']?([A-Za-z0-9+/=]{16,16384})/dg;

function findKeyData(text: string, hits: Hit[]): void {
  if (!text.includes('key-data') && !text.includes('key_data')) return;
  KEY_DATA.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = KEY_DATA.exec(text)) !== null) {
    // A public key's data (`public-key-data`, `pub_key_data`) is not a secret.
    if (/pub(?:lic)?[-_]?$/i.test(text.slice(Math.max(0, m.index - 7), m.index))) continue;
    if (!isPlaceholder(m[1])) hits.push({ rule: 'private-key', start: m.indices![1][0], end: m.indices![1][1], rank: rank.shape });
  }
}

export function findFlatBlocks(text: string): Hit[] {
  const hits: Hit[] = [];
  findLooseKeys(text, hits);
  findKeyData(text, hits);
  return hits;
}
