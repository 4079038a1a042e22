import { argumentSpans } from './positional';
import { type Hit, rank } from './types';
import { classChanges } from './values';

/**
 * Secrets handed to a client with no name to say so: the later call of a call chain or a curried call
 * (`require("stripe")("…")`, `require('twilio')(sid, "…")`, `makeClient(opts)("…")`) and a constructor
 * (`new Stripe("…")`, `new Twilio("AC…", "…")`, `new sdk.Client("…")`). No name says the string is
 * secret, so only a string literal argument that looks generated counts (opaqueSecret): 16+ characters
 * of one token alphabet, mixing cases and digits with many changes between them, or 32+ hex digits.
 * A module name, a debug namespace, a date, a UUID, a URL, a message or encoded data stays, and so does a
 * transpiled plain call (`(0, mod.decode)("…")`).
 *
 * Calls are found from `)(`, `) (` and `new ` (indexOf passes); the constructor's name is read forwards with a
 * bounded sticky regex and the arguments by positional.ts's scan (bounded to the line and 1,024 characters).
 */

/** A generated token: one alphabet, no blanks, and either many case/digit changes or long hex. */
export function opaqueSecret(v: string): boolean {
  if (v.length < 12 || v.length > 512 || !/^[A-Za-z0-9+/=_.~-]+$/.test(v) || !/\d/.test(v)) return false;
  // Encoded data (a table, an image) has runs of one character (`AAAAAAA`); a generated key rarely does.
  if (/(.)\1{3}/.test(v)) return false;
  if (/^(?:0x)?[0-9a-f]{32,}$/i.test(v) && /[a-f]/i.test(v)) return true;
  if (!/[a-z]/.test(v) || !/[A-Z]/.test(v) || /[a-z]{7}/.test(v)) return false;
  // Changes between cases and digits, not counting a capitalised word's start (`someLongEventName2` has 4).
  return classChanges(v) - (v.match(/[A-Z][a-z]/g) ?? []).length >= Math.max(6, v.length / 5);
}

/** Built-in types whose constructors take data (encoded bytes, dates, addresses, patterns, messages). */
export const DATA_TYPES = /^(?:Buffer|Date|URL|URLSearchParams|RegExp|Blob|File|TextDecoder|DataView|Set|Map|\w*Array|\w*Error)$/;

const NEW_CALLEE = /new [ \t]{0,3}[A-Za-z_$][\w$]{0,63}(?:\.[A-Za-z_$][\w$]{0,63}){0,3}[ \t]{0,4}\(/y;

/** Every string literal argument of the call whose `(` is at `open` that looks generated. */
function literalArguments(text: string, open: number, hits: Hit[]): void {
  for (const [s, e] of argumentSpans(text, open) ?? []) {
    const lit = /^[ \t]*(["'`])([^"'`\n]*)\1[ \t]*$/.exec(text.slice(s, e));
    if (!lit || !opaqueSecret(lit[2])) continue;
    const start = s + lit[0].indexOf(lit[1]) + 1;
    hits.push({ rule: 'env', start, end: start + lit[2].length, rank: rank.name });
  }
}

/** `(0, mod.fn)(…)`: how TypeScript and Babel call an imported function, a plain call rather than a chain. */
function transpiledCall(text: string, close: number): boolean {
  let j = close;
  while (j > 0 && close - j < 128 && /[\w$.]/.test(text[j - 1])) j--;
  return /\(0,[ \t]?$/.test(text.slice(Math.max(0, j - 4), j));
}

export function findCallChainSecrets(text: string): Hit[] {
  const hits: Hit[] = [];
  // A call on a call's result: `)(`, or `) (`.
  for (const join of [')(', ') (']) {
    for (let p = text.indexOf(join); p >= 0; p = text.indexOf(join, p + 1)) {
      if (!transpiledCall(text, p)) literalArguments(text, p + join.length - 1, hits);
    }
  }
  // A constructor: `new Name(` / `new a.b.Name(` at a word's start.
  for (let p = text.indexOf('new '); p >= 0; p = text.indexOf('new ', p + 4)) {
    if (p > 0 && /[\w$.]/.test(text[p - 1])) continue;
    NEW_CALLEE.lastIndex = p;
    if (!NEW_CALLEE.test(text)) continue;
    // A data type's constructor takes data, not a key (`new Buffer('aGVsbG8…', 'base64')`, `new Date(…)`).
    if (DATA_TYPES.test(text.slice(p + 4, NEW_CALLEE.lastIndex - 1).trim())) continue;
    literalArguments(text, NEW_CALLEE.lastIndex - 1, hits);
  }
  return hits;
}
