import { type Hit, rank } from './types';

/**
 * Secrets hidden in base64: a run of base64 (standard or URL-safe) that decodes to printable text
 * in which the other rules find a secret is redacted whole — a base64-encoded URL with
 * credentials, a `.dockerconfigjson` value, an encoded `.env` or private key, a `user:password`
 * Basic credential. Decoding goes at most two levels deep (a docker config inside a K8s Secret).
 */

/**
 * Runs of base64: 16 to 65,536 characters of [A-Za-z0-9+/_-], then at most two `=`, neither
 * preceded nor followed by one more of those characters (or `=`) — what the regex
 * /(?<![A-Za-z0-9+/_-])[A-Za-z0-9+/_-]{16,65536}={0,2}(?![A-Za-z0-9+/=_-])/g matches, found by one
 * linear scan (the regex tried every position of every word: a sixth of all redaction time).
 */
export function* base64Runs(text: string): Generator<{ index: number; run: string }> {
  const n = text.length;
  let i = 0;
  while (i < n) {
    if (!isB64(text.charCodeAt(i))) {
      i++;
      continue;
    }
    const start = i;
    while (i < n && isB64(text.charCodeAt(i))) i++;
    const len = i - start;
    let pad = 0;
    while (i + pad < n && text.charCodeAt(i + pad) === EQ) pad++;
    // After the padding no base64 character may follow; with more than two `=` the lookahead fails at
    // every shorter padding too. The run is maximal, so no shorter part of it can match instead.
    const free = pad === 0 || i + pad >= n || !isB64(text.charCodeAt(i + pad));
    if (len >= 16 && len <= 65_536 && pad <= 2 && free) yield { index: start, run: text.slice(start, i + pad) };
    i += pad;
  }
}

const EQ = 0x3d;
const B64 = new Uint8Array(128);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/_-') B64[c.charCodeAt(0)] = 1;
const isB64 = (c: number) => c < 128 && B64[c] === 1;
const MAX_DEPTH = 2;

/** Decoded bytes that read as text: at most 5% outside printable ASCII/whitespace. */
function printable(s: string): boolean {
  if (s.length < 8) return false;
  let bad = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!((c >= 0x20 && c < 0x7f) || c === 0x0a || c === 0x0d || c === 0x09)) bad++;
  }
  return bad <= s.length * 0.05;
}

/** A base64 run worth decoding: mixed characters (identifiers like `some_long_name` are skipped early by `printable`). */
function plausible(run: string): boolean {
  const body = run.replace(/=+$/, '');
  if (body.length % 4 === 1) return false;
  return /[A-Z]/.test(body) && /[a-z0-9]/.test(body);
}

export function decodeBase64Run(run: string): string {
  const std = run.replace(/-/g, '+').replace(/_/g, '/');
  return Buffer.from(std, 'base64').toString('latin1');
}

/** A decoded `user:password` pair (HTTP Basic, docker `auth`). */
const USER_PASS = /^[\w.@+-]{1,128}:[^\s:]{6,256}$/;

/**
 * Finds base64 runs whose decoded text holds a secret according to `detect` (the other rules).
 * `depth` limits nested decoding.
 */
export function findEncoded(text: string, detect: (decoded: string, depth: number) => Hit[], depth = 0): Hit[] {
  if (depth >= MAX_DEPTH || text.length < 16) return [];
  const hits: Hit[] = [];
  for (const m of base64Runs(text)) {
    const run = m.run;
    if (!plausible(run)) continue;
    const decoded = decodeBase64Run(run);
    if (!printable(decoded)) continue;
    const found = USER_PASS.test(decoded.trim()) ? [{ rule: 'basic-auth' }] : detect(decoded, depth + 1);
    if (found.length === 0) continue;
    // Labelled by the most specific rule inside (a shape over a name: `base64-docker-auth`, not `base64-env`).
    const best = found.reduce((a, b) => (('rank' in b ? b.rank : 0) > ('rank' in a ? a.rank : 0) ? b : a));
    hits.push({ rule: `base64-${best.rule}`, start: m.index, end: m.index + run.length, rank: rank.shape });
  }
  return hits;
}
