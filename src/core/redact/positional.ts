import { type Hit, rank } from './types';
import { isPlaceholder, looksLikeProse, looksRandom } from './values';

/**
 * Secrets passed at a known place in a known call, where no name says they are secret and the call's
 * first argument is usually a variable: `DriverManager.getConnection(url, "sa", "<password>")`,
 * `mysqli_connect($host, "root", "<password>", "app")`, `new PDO($dsn, 'root', '<password>')`,
 * `smtp.PlainAuth("", user, "<password>", host)`, `UsernamePasswordAuthenticationToken("admin", "<password>")`,
 * `ldap.simple_bind_s(dn, "<password>")`, a JWT or HMAC signing key (`jwt.sign(payload, "<key>")`,
 * `jwt.encode(claims, "<key>", algorithm="HS256")`, `crypto.createHmac("sha256", "<key>")`), a cipher's or MAC's key
 * (`hmac.new(b"<key>", …)`, `hmac.New(sha256.New, []byte("<key>"))`, `createCipheriv(alg, "<key>", iv)`, `Fernet(…)`,
 * `new SecretKeySpec("<key>".getBytes(), …)`, `Algorithm.HMAC256(…)`) and `keyring.set_password(service, user, "<password>")`.
 * Only a string literal at that place counts (also as bytes: `b"…"`, `[]byte("…")`, `"…".encode()`, `"…".getBytes()`),
 * and only one that looks like a password.
 *
 * Calls are found from their `(` (one indexOf pass) and the callee's name read backwards (bounded); the
 * arguments are then read by a scan bounded to the line and 1,024 characters.
 */

/** Callee → the 0-based index of the argument that is the secret. */
const CALLEES: Record<string, number> = {
  getConnection: 2,
  mysqli_connect: 2,
  mysql_connect: 2,
  mysqli: 2,
  real_connect: 2,
  PDO: 2,
  PlainAuth: 2,
  UsernamePasswordAuthenticationToken: 1,
  simple_bind_s: 1,
  simple_bind: 1,
  bind_s: 1,
  'jwt.sign': 1,
  'jwt.encode': 1,
  'jwt.verify': 1,
  'jwt.decode': 1,
  'JWT.encode': 1,
  'JWT.decode': 1,
  'jsonwebtoken.sign': 1,
  'jsonwebtoken.verify': 1,
  createHmac: 1,
  // Symmetric keys given to a cipher or MAC, and passwords given to a keyring.
  'hmac.new': 0,
  'hmac.New': 1,
  'AES.new': 0,
  createCipheriv: 1,
  createDecipheriv: 1,
  Fernet: 0,
  SecretKeySpec: 0,
  HMAC256: 0,
  HMAC384: 0,
  HMAC512: 0,
  set_password: 2,
};

const MAX_ARGS = 1024;

/** Start and end (exclusive) of each top-level argument after the `(` at `open`, on its line; undefined when unclosed. */
export function argumentSpans(text: string, open: number): [number, number][] | undefined {
  const spans: [number, number][] = [];
  let depth = 0;
  let start = open + 1;
  const limit = Math.min(text.length, open + MAX_ARGS);
  for (let i = open + 1; i < limit; i++) {
    const c = text[i];
    if (c === '\n') return undefined;
    if (c === '"' || c === "'" || c === '`') {
      let j = i + 1;
      while (j < limit && text[j] !== c && text[j] !== '\n') j += text[j] === '\\' ? 2 : 1;
      if (j >= limit || text[j] !== c) return undefined;
      i = j;
    } else if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') {
      if (depth === 0) {
        spans.push([start, i]);
        return spans;
      }
      depth--;
    } else if (c === ',' && depth === 0) {
      spans.push([start, i]);
      start = i + 1;
    }
  }
  return undefined;
}

/** A password-like literal: no blanks, not prose, random-looking or mixing letters and digits. */
function passwordLike(v: string): boolean {
  if (v.length < 6 || /\s/.test(v) || isPlaceholder(v) || looksLikeProse(v)) return false;
  if (/^(?:password|secret|changeme|example|HS256|RS256|sha\d+|md5)$/i.test(v)) return false;
  return looksRandom(v, 6) || (/\d/.test(v) && /[A-Za-z]/.test(v));
}

function isNameChar(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x5f || c === 0x2e || c === 0x24; // _ . $
}

/** The callee before the `(` at `paren` (blanks allowed between), with at most two dotted parts: `jwt.sign`. */
function calleeAt(text: string, paren: number): string | undefined {
  let end = paren;
  while (end > 0 && paren - end < 4 && (text[end - 1] === ' ' || text[end - 1] === '\t')) end--;
  let start = end;
  while (start > 0 && end - start < 64 && isNameChar(text.charCodeAt(start - 1))) start--;
  const name = text.slice(start, end);
  if (CALLEES[name] !== undefined) return name;
  const parts = name.split('.');
  for (const n of [parts.slice(-2).join('.'), parts[parts.length - 1]]) if (CALLEES[n] !== undefined) return n;
  return undefined;
}

/** How every callee ends (its last two characters, lower-cased, as one number): most `(` are dropped on this. */
const ending = (a: number, b: number): number => ((a | 0x20) << 8) | (b | 0x20);
const ENDINGS = new Set(Object.keys(CALLEES).map((c) => ending(c.charCodeAt(c.length - 2), c.charCodeAt(c.length - 1))));

/** A string literal argument, also made bytes: `b"…"`, `[]byte("…")`, `Buffer.from("…")`, `"…".encode()`, `"…".getBytes()`. */
const LITERAL = /^[ \t]*(?:b|\[\]byte\(|Buffer\.from\()?(["'`])([^"'`\n]*)\1(?:\.(?:encode|getBytes)\([^()]{0,16}\)|\))?[ \t]*$/;

export function findPositionalSecrets(text: string): Hit[] {
  const hits: Hit[] = [];
  // From each `(` (one indexOf pass; a regex over the callees' names tried every position), the name before it.
  for (let open = text.indexOf('('); open >= 0; open = text.indexOf('(', open + 1)) {
    let k = open;
    while (k > 0 && open - k < 4 && (text[k - 1] === ' ' || text[k - 1] === '\t')) k--;
    if (k < 3 || !ENDINGS.has(ending(text.charCodeAt(k - 2), text.charCodeAt(k - 1)))) continue;
    const callee = calleeAt(text, open);
    if (callee === undefined) continue;
    const args = argumentSpans(text, open);
    const span = args?.[CALLEES[callee]];
    if (!span) continue;
    const raw = text.slice(span[0], span[1]);
    const lit = LITERAL.exec(raw);
    if (!lit || !passwordLike(lit[2])) continue;
    const start = span[0] + raw.indexOf(lit[1]) + 1;
    hits.push({ rule: 'env', start, end: start + lit[2].length, rank: rank.name });
  }
  return hits;
}
