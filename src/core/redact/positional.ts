import { type Hit, rank } from './types';
import { isPlaceholder, looksLikeProse, looksRandom } from './values';

/**
 * Secrets passed at a known place in a known call, where no name says they are secret and the call's
 * first argument is usually a variable: `DriverManager.getConnection(url, "sa", "<password>")`,
 * `mysqli_connect($host, "root", "<password>", "app")`, `new PDO($dsn, 'root', '<password>')`,
 * `smtp.PlainAuth("", user, "<password>", host)`, `UsernamePasswordAuthenticationToken("admin", "<password>")`,
 * `ldap.simple_bind_s(dn, "<password>")`, a JWT or HMAC signing key (`jwt.sign(payload, "<key>")`,
 * `jwt.encode(claims, "<key>", algorithm="HS256")`, `crypto.createHmac("sha256", "<key>")`).
 * Only a string literal at that place counts, and only one that looks like a password.
 *
 * One regex finds the callees (each alternative a literal); the arguments are then read by a scan
 * bounded to the line and 1,024 characters.
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
};

const CALL = new RegExp(
  `(?<![\\w$])(${Object.keys(CALLEES)
    .map((c) => c.replace('.', '\\.'))
    .join('|')})[ \\t]*\\(`,
  'g',
);
const MAX_ARGS = 1024;

/** Start and end (exclusive) of each top-level argument after the `(` at `open`, on its line; undefined when unclosed. */
function argumentSpans(text: string, open: number): [number, number][] | undefined {
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

export function findPositionalSecrets(text: string): Hit[] {
  const hits: Hit[] = [];
  CALL.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = CALL.exec(text)) !== null) {
    const open = m.index + m[0].length - 1;
    const args = argumentSpans(text, open);
    const span = args?.[CALLEES[m[1]]];
    if (!span) continue;
    const raw = text.slice(span[0], span[1]);
    const lit = /^[ \t]*(["'`])([^"'`\n]*)\1[ \t]*$/.exec(raw);
    if (!lit || !passwordLike(lit[2])) continue;
    const start = span[0] + raw.indexOf(lit[1]) + 1;
    hits.push({ rule: 'env', start, end: start + lit[2].length, rank: rank.name });
  }
  return hits;
}
