import { DATA_TYPES, opaqueSecret } from './callChains';
import { argumentSpans } from './positional';
import { type Hit, rank } from './types';

/**
 * A generated secret passed to an ordinary call with no name to say so: `algoliasearch("APPID", "…")`,
 * `Client("sk_…")`, `SendGridAPIClient("…")`, `mixpanel.init("<32 hex>")`, `Pusher.new("…")`. Only a string
 * literal argument that looks generated counts: 16+ characters of one token alphabet mixing cases and digits
 * with many changes between them (opaqueSecret), or 20+ hex digits given to a client, a constructor or an
 * `init`/`configure`/`connect` call (a commit or digest checked in a test stays). Calls that take data rather
 * than a key — decoders, hashes, assertions, regexes, lookups, translations — and literals marked as encoded data
 * (`"…", "base64"`) are left alone.
 *
 * Literals are found by one regex that starts at a quote and reads at most 512 token characters; the call around
 * one is found by a backward scan bounded to its line and 1,024 characters, then checked by positional.ts's
 * argument scan.
 */

const LITERAL = /(["'`])([A-Za-z0-9+/=_.~-]{16,512})\1/g;
/**
 * Words of a callee whose string arguments are data: decoders, digests, assertions (`expect(…).toBe`), patterns,
 * lookups by id, messages, commits.
 */
const DATA_WORDS = new Set(
  (
    'decode encode b64 base64 b64decode b64encode atob btoa hash digest hex unhexlify fromhex sha sha1 sha256 sha512 md5 crc32 ' +
    'assert expect equal equals eq compare match matches search compile regexp re uuid parse translate gettext t _ lookup find ' +
    'by id fixture param parametrize mock stub spy test it describe skip log warn error debug info require import symbol get ' +
    'getattr hasattr checksum verify commit revision rev oid repo ref tree blob changeset be contain include have called'
  ).split(' '),
);
/** The words of a call's last name part: `assertEqual` → assert, equal; `b64decode` → b64decode; `get_by_id` → get, by, id. */
function calleeWords(callee: string): string[] {
  const last = callee.slice(callee.lastIndexOf('.') + 1);
  return last
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[\s_$]+/)
    .filter(Boolean);
}
/** Callees given an account's key: a client or SDK set-up, a constructor (capitalised). */
const CLIENT_CALLEE = /(?:^|\.)(?:[A-Z]\w*|\w*(?:init|initialize|client|configure|setup|connect|auth\w{0,12}|login|api|sdk))$/;
/** Keys made to be public (PostHog project keys, Stripe publishable keys, Mapbox public tokens, Langfuse public keys). */
const PUBLIC_KEY = /^(?:phc_|pk_(?:live|test)_|pk\.eyJ|pk-lf-|pub(?:lic)?[-_])/i;
const ENCODING_ARG = /^[ \t]*["'](?:base64|base64url|hex|utf-?8|binary|latin1|ascii)["'][ \t]*$/i;
const MAX_BACK = 1024;

function isNameChar(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x5f || c === 0x2e || c === 0x24;
}

/** The `(` of the call whose argument list holds the literal at `at` (its quote), on the same line; -1 if none. */
function openParen(text: string, at: number): number {
  let j = at - 1;
  while (j >= 0 && (text[j] === ' ' || text[j] === '\t')) j--;
  if (text[j] === '(') return j;
  if (text[j] !== ',') return -1;
  let depth = 0;
  for (let k = j - 1; k >= 0 && at - k <= MAX_BACK; k--) {
    const c = text[k];
    if (c === '\n') return -1;
    if (c === ')' || c === ']' || c === '}') depth++;
    else if (c === '(' || c === '[' || c === '{') {
      if (depth === 0) return c === '(' ? k : -1;
      depth--;
    }
  }
  return -1;
}

function calleeBefore(text: string, paren: number): string {
  let end = paren;
  while (end > 0 && paren - end < 4 && (text[end - 1] === ' ' || text[end - 1] === '\t')) end--;
  let start = end;
  while (start > 0 && end - start < 96 && isNameChar(text.charCodeAt(start - 1))) start--;
  return text.slice(start, end);
}

function generatedFor(callee: string, v: string): boolean {
  if (/^[0-9a-f]+$/i.test(v))
    return v.length >= 20 && /\d/.test(v) && /[a-f]/i.test(v) && !/(.)\1{3}/.test(v) && CLIENT_CALLEE.test(callee);
  return opaqueSecret(v);
}

export function findUnnamedCallSecrets(text: string): Hit[] {
  if (!text.includes('(')) return [];
  const hits: Hit[] = [];
  LITERAL.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = LITERAL.exec(text)) !== null) {
    const paren = openParen(text, m.index);
    if (paren < 0) {
      LITERAL.lastIndex = m.index + m[0].length - 1; // the closing quote may open the next literal
      continue;
    }
    const callee = calleeBefore(text, paren);
    if (
      !callee ||
      /^\d/.test(callee) ||
      /^_+$|(?:^|\.)_$/.test(callee) ||
      calleeWords(callee).some((w) => DATA_WORDS.has(w)) ||
      DATA_TYPES.test(callee.slice(callee.lastIndexOf('.') + 1)) ||
      !generatedFor(callee, m[2])
    )
      continue;
    const args = argumentSpans(text, paren);
    if (!args || args.some(([s, e]) => ENCODING_ARG.test(text.slice(s, e)))) continue;
    // The literal must be a whole argument (`new Uint8Array("…".length)` passes its length).
    if (PUBLIC_KEY.test(m[2]) || !args.some(([s, e]) => text.slice(s, e).trim() === m![0])) continue;
    hits.push({ rule: 'env', start: m.index + 1, end: m.index + 1 + m[2].length, rank: rank.name });
  }
  return hits;
}
