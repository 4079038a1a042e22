import { type Hit, rank } from './types';
import { dottedLiteral, isPlaceholder, nameWords, looksLikeCode, looksLikeObjectPath, looksLikeProse, looksRandom } from './values';

/**
 * Assignments whose NAME says the value is secret: `.env` lines (`*_KEY=`, `*_TOKEN=`,
 * `*_SECRET=`, `PASSWORD=`, `export X=`), YAML/INI (`password: x`, `aws_secret_access_key = x`),
 * JSON (`"clientSecret": "x"`), code literals (`api_key = "x"`), subscripts (`os.environ["API_KEY"] = "x"`),
 * salts, peppers and MAC keys whose value looks generated (`PASSWORD_SALT=…`, `hmac = "…"`; not `salt = 16`),
 * defaults (`ENV['STRIPE_SECRET'] ||= "x"`, `config.token ??= "x"`), typed declarations (`val token: String = "x"`,
 * `Dim password As String = "x"`), wrapped literals (`secretKey = []byte("x")`, `PASSWORD = b"x"`),
 * CLI flags (`--password=x`),
 * query strings (`?api_key=x&`), also on diff lines (`+`/`-`/` ` prefix). Only the value is
 * redacted: `AWS_SECRET_ACCESS_KEY=[REDACTED:env]`.
 *
 * Why our own: the preset has no generic rule; its AWS rule only knows `aws_secret_access_key`.
 *
 * The regex finds "<secret word> [quote] <separator>"; the name is then read backwards and the
 * value forwards, both with bounded scans, so hostile input stays linear.
 */
const KW =
  /(key_?base|passphrase|password|passwd|pwd|pass|pw|token|secret|credentials?|key|auth|bearer|salt|pepper|hmac)s?(["'`]?\]?)(?:[ \t]{1,4}As[ \t]{1,4}[\w.]{1,40})?[ \t]{0,16}(\|\|=|\?\?=|:=|=>|->|={1,3}|:(?!:))[ \t]{0,16}/dgi;

const LONG_WORDS = new Set(['keybase', 'key_base', 'passphrase', 'password', 'passwd', 'token', 'secret', 'credential', 'credentials']);
/** Concatenated all-lowercase/uppercase names that are secrets despite no `_`/camel boundary. */
const CONCAT_OK = new Set([
  'apikey',
  'secretkey',
  'privatekey',
  'accesskey',
  'masterkey',
  'signingkey',
  'encryptionkey',
  'dbpass',
  'dbpwd',
  'mysqlpwd',
  'adminpass',
  'rootpass',
  'userpass',
  'pgpass',
]);
/** Names that end in a secret word but hold ordinary values (matched on nameWords: whole words, `ADMIN_TOKEN` is a secret). */
const NOT_SECRET = new RegExp(
  [
    '(?:max|min|num|total|input|output|prompt|completion|context|reasoning|cached|remaining|used)_?(?:tokens?|keys?)$',
    '(?:public|sort|cache|primary|foreign|partition|range|hash|index|lookup|idempotency|unique|row|group|dedup|routing|shard|page|next|next_?page|continuation|cancel|cancellation|sync|csrf_?header|hot|short|label)_?keys?$',
    '(?:page|next|next_?page|continuation|cancel|cancellation|sync|csrf|xsrf)_?tokens?$',
  ]
    .map((alt) => `(?:^|_)${alt}`)
    .join('|'),
);
/** Bare names so generic that the value must also look random (`key="row-1"` in TSX). */
const BARE = new Set(['key', 'keys', 'pass', 'pw', 'pwd']);

/** Words before a bare `key:` that make it a cache/lookup key (CI logs) or a public key. */
const CACHE_CONTEXT = /\b(?:public|cache|caches|cached|restored?|sav(?:ed|ing)|hit|miss|lookup|primary|partition|sort|hash)\b/i;
/** What may stand before a name at the start of a line: a diff marker, a shell prompt (`$ `, `PS C:\> `), `export`. */
const LINE_PREFIX =
  /^[+\- ]?[ \t]*(?:[$%>#][ \t]+|PS [^>\n]{0,80}>[ \t]*)?(?:(?:export|set|setx|setenv|declare|readonly|local|ENV|ARG)[ \t]+|-[ \t]+)?["'`]?$/;
/**
 * `api_key: str = …`, `val token: String = …` (Kotlin, Scala), `const PASSWORD: &str = …` (Rust); a base64
 * value ending in `=` at the end of the line is not one.
 */
const TYPE_ANNOTATION =
  /^&?(?:'\w{1,16}[ \t]+)?[A-Za-z_][\w.]*(?:\[[^\]\n]{0,40}\]|<[\w., ]{0,40}>)?\??(?:[ \t]*\|[ \t]*None)?[ \t]*=(?!=)[ \t]*(?=\S)/;
/**
 * A string literal wrapped in a conversion (`[]byte("…")`, `Buffer.from("…")`, `SecretStr("…")`) or with a
 * prefix (`b"…"`, `r'…'`): the literal is the value.
 */
const WRAPPED =
  /^(?:[bBrRuU]{1,2}(?=["'])|(?:\[\]byte|Buffer\.from|SecretStr|SecretBytes|bytes|str|String|new String|Secret)\([ \t]{0,4}(?=["'`]))/;
/** An algorithm's name under a MAC's or salt's name (`hmac: HmacSHA256`, `salt_hash: sha512`), not a key. */
const ALGORITHM = /^(?:hmac[-_]?)?(?:sha|md|blake2?[bs]?|sm|ripemd|hs|rs|es|ps)[-_]?\d{1,3}$/i;
/** Unquoted values: `env` runs to whitespace; `inline` (logfmt, query strings, kwargs) also stops at punctuation. */
const ENV_VALUE = /\S{0,4096}/y;
const INLINE_VALUE = /[^\s,;:&()[\]{}<>"'`=]{0,512}={0,3}/y;
const INLINE_DELIMITER = /[\s,;:&()[\]{}<>"'`]/;
const MAX_VALUE = 4096;

function isNameChar(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x5f || c === 0x2d || c === 0x2e; // _ - .
}

function isSecretName(name: string, keyword: string): boolean {
  const normalised = name.toLowerCase().replace(/[-_.]/g, '');
  if (NOT_SECRET.test(nameWords(name))) return false;
  const prefix = name.slice(0, name.length - keyword.length).replace(/^-+/, '');
  const word = keyword.toLowerCase().replace(/s$/, '');
  if (prefix === '' || LONG_WORDS.has(word) || CONCAT_OK.has(normalised)) return true;
  const before = prefix.charCodeAt(prefix.length - 1);
  if (before === 0x5f || before === 0x2d || before === 0x2e) return true; // API_KEY, x-api-key
  const upperKw = keyword.charCodeAt(0) >= 0x41 && keyword.charCodeAt(0) <= 0x5a;
  const lowerBefore = (before >= 0x61 && before <= 0x7a) || (before >= 0x30 && before <= 0x39);
  return upperKw && lowerBefore; // apiKey, dbPass
}

/** Start of the line containing `pos`, or -1 when it is more than `max` characters back. */
function lineStart(text: string, pos: number, max = 96): number {
  for (let j = pos - 1; j >= 0 && pos - j <= max; j--) if (text.charCodeAt(j) === 0x0a) return j + 1;
  return pos <= max ? 0 : -1;
}

function lineEnd(text: string, from: number): number {
  const nl = text.indexOf('\n', from);
  return Math.min(nl < 0 ? text.length : nl, from + MAX_VALUE);
}

/** Inner span of a quoted string starting at `at` (the quote); undefined when not closed on the line. */
function quoted(text: string, at: number): [number, number] | undefined {
  const q = text.charCodeAt(at);
  const limit = Math.min(text.length, at + MAX_VALUE);
  for (let i = at + 1; i < limit; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5c)
      i++; // backslash escape
    else if (c === q) return [at + 1, i];
    else if (c === 0x0a) return undefined;
  }
  return undefined;
}

type Mode = 'env' | 'line' | 'inline';
interface Span {
  start: number;
  end: number;
  quoted: boolean;
  /** The lines of a YAML block scalar. */
  block?: boolean;
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x0b || c === 0x0c;
}

/**
 * Finds the value that starts at `at`: a quoted string; in `line` mode (YAML/INI) the rest of
 * the line minus a ` # comment`; in `env` mode up to whitespace; `inline` up to a delimiter.
 */
function valueSpan(text: string, at: number, mode: Mode, colon: boolean): Span | undefined {
  const wrapped = WRAPPED.exec(text.slice(at, at + 24));
  if (wrapped) return valueSpan(text, at + wrapped[0].length, mode, false);
  const c = text[at];
  if (c === '"' || c === "'" || c === '`') {
    const q = quoted(text, at);
    return q && { start: q[0], end: q[1], quoted: true };
  }
  if (colon && mode !== 'env') {
    // `api_key: str = "…"` / `password: Optional[str] = None`: skip the type annotation.
    const ann = TYPE_ANNOTATION.exec(text.slice(at, at + 120));
    // Inline (not at a line's start), only a spaced `Type = ` counts: minified code has `a:b="x"` defaults.
    if (ann && (mode === 'line' || /[ \t]=[ \t]/.test(ann[0]))) return valueSpan(text, at + ann[0].length, mode, false);
  }
  let end: number;
  if (mode === 'line') {
    end = lineEnd(text, at);
    const hash = text.slice(at, end).search(/\s#/);
    if (hash >= 0) end = at + hash;
    // A YAML block scalar (`password: |` / `>-`): the value is on the more indented lines below.
    if (colon && /^[|>][-+]?[1-9]?[ \t]*\r?$/.test(text.slice(at, end))) return blockScalar(text, at);
  } else {
    const re = mode === 'env' ? ENV_VALUE : INLINE_VALUE;
    re.lastIndex = at;
    end = re.test(text) ? re.lastIndex : at;
    // `Credentials: access_key=…`: an inline value cut at `=` is itself an assignment; the
    // next match handles the inner one. (`=` at the end is base64 padding.)
    if (mode === 'inline' && text[end - 1] === '=' && end < text.length && !INLINE_DELIMITER.test(text[end])) {
      return undefined;
    }
  }
  while (end > at && isSpace(text.charCodeAt(end - 1))) end--;
  if (mode !== 'env') end = at + trimTrailing(text.slice(at, end)).length;
  return { start: at, end, quoted: false };
}

/** The lines below the one holding `at` that are indented deeper than it (at most 64 lines, 16 K characters). */
function blockScalar(text: string, at: number): Span | undefined {
  const ls = text.lastIndexOf('\n', at) + 1;
  const indent = (line: string) => /^[+\- ]?(?:>[ \t]?)*[ \t]*/.exec(line)![0].length; // after a diff marker or a quote
  const own = indent(text.slice(ls, at));
  let start = -1;
  let end = -1;
  let nl = text.indexOf('\n', at);
  for (let k = 0; k < 64 && nl >= 0 && nl - at < 16_384; k++) {
    const next = text.indexOf('\n', nl + 1);
    const line = text.slice(nl + 1, next < 0 ? text.length : next).replace(/\r$/, '');
    if (line.trim() === '') {
      nl = next;
      continue;
    }
    const ind = indent(line);
    if (ind <= own) break;
    if (start < 0) start = nl + 1 + ind;
    end = nl + 1 + line.length;
    nl = next;
  }
  return start < 0 ? undefined : { start, end, quoted: true, block: true };
}

/** Drops trailing `,`/`;` (a loop: `/[,;]+$/` is quadratic on a run of commas). */
function trimTrailing(value: string): string {
  let end = value.length;
  while (end > 0 && (value[end - 1] === ',' || value[end - 1] === ';')) end--;
  return value.slice(0, end);
}

/**
 * An environment variable's or a properties key's name (`DB_PASSWORD`, `spring.datasource.password`: three parts or
 * more, each a word; minified code's `o.key=r.C0.ESC` is not one): its value is a literal.
 */
const LITERAL_NAME = /^(?:[A-Z][A-Z0-9_]*|[a-z][\w-]+(?:\.[a-z][\w-]+){2,})$/;

function acceptValue(value: string, mode: Mode, isQuoted: boolean, bare: boolean, name = '', crypto = false): boolean {
  if (value.length < 3 || isPlaceholder(value)) return false;
  // Judged without a JSON string's trailing escapes (`settings.DB_Password1\n` inside a quoted tool result).
  const bareValue = trimTrailing(value).replace(/(?:\\[nrt"])+$/, '');
  // A quoted, `.env` or env-named value is a literal: a dotted one mixing cases and digits is a password, not a path.
  const literal = isQuoted || mode === 'env' || (!/[\s(]/.test(value) && LITERAL_NAME.test(name));
  if (looksLikeCode(bareValue) && !(literal && dottedLiteral(bareValue))) return false;
  // A salt may be a long run of digits (`SECURITY_PASSWORD_SALT = "1465851453681323…"`).
  if (bare && (!(looksRandom(value) || (crypto && /^\d{16,}$/.test(value))) || looksLikeObjectPath(value))) return false;
  // Under a MAC's or salt's name, an algorithm's or a constant's name (`SIGNATURE_HMAC = SIGNATURE_HMAC_SHA1`) is no key.
  if (crypto && (ALGORITHM.test(bareValue) || /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/.test(bareValue))) return false;
  if (isQuoted) return !looksLikeProse(value);
  // `pw: a=b` is an assignment; `password: c2VjcmV0cGFzcw==` is base64 with its padding.
  if (mode === 'line' && /^[A-Za-z_][\w.-]*=(?!=*$)/.test(value)) return false;
  if (mode === 'line') {
    if (/[()]/.test(value)) return false;
    // Several words: a sentence ("Token: expired after 1 hour") unless a word looks like a token.
    const words = value.split(/\s+/);
    return words.length === 1 || words.some((w) => looksRandom(w));
  }
  return mode === 'env' || looksRandom(value, 6) || (crypto && /^\d{16,}$/.test(value));
}

export function findAssignments(text: string): Hit[] {
  const hits: Hit[] = [];
  KW.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = KW.exec(text)) !== null) {
    const indices = m.indices!;
    const [kwStart, kwEnd] = indices[1];
    let nameStart = kwStart;
    while (nameStart > 0 && kwEnd - nameStart < 128 && isNameChar(text.charCodeAt(nameStart - 1))) nameStart--;
    const name = text.slice(nameStart, kwEnd);
    if (!isSecretName(name, m[1])) continue;
    // `scheme://user:password@` is the url-credentials rule's job.
    if (nameStart >= 3 && text.startsWith('://', nameStart - 3)) continue;

    const ls = lineStart(text, nameStart);
    const isLine = ls >= 0 && LINE_PREFIX.test(text.slice(ls, nameStart));
    const sep = m[3];
    const valueAt = m.index + m[0].length;
    const spaced = /\s/.test(text.slice(kwEnd, valueAt));
    const mode: Mode = !isLine ? 'inline' : sep === '=' && !spaced ? 'env' : 'line';
    const span = valueSpan(text, valueAt, mode, sep === ':');
    if (!span) continue;
    const value = text.slice(span.start, span.end);
    // `auth`/`bearer` names hold modes as often as secrets (`auth: oauth2`, `basic_auth: enabled`); a salt, pepper or
    // MAC key is a secret only when its value looks generated (`salt = 16`, `hmac: sha256` are settings).
    const crypto = /^(?:salt|pepper|hmac)$/i.test(m[1]);
    const bare = BARE.has(name.toLowerCase().replace(/^-+/, '')) || crypto || /^(?:auth|bearer)$/i.test(m[1]);
    // `Cache restored from key: Linux-node-3f9a…`: a CI cache key, not a credential.
    if (bare && ls >= 0 && CACHE_CONTEXT.test(text.slice(ls, nameStart))) continue;
    if (span.block) {
      // A block scalar holds text, not code; under a bare `key: |` it is as often a public or cache key as a secret.
      if (bare || isPlaceholder(value) || looksLikeProse(value)) continue;
    } else if (!acceptValue(value, mode, span.quoted, bare, name.replace(/^-+/, ''), crypto)) continue;
    // An inline value cut before `[` or `(` is the start of an index or a call (`password = _auth$split2[1]`).
    if (mode === 'inline' && !span.quoted && /[[(]/.test(text[span.end] ?? '')) continue;
    hits.push({ rule: 'env', start: span.start, end: span.end, rank: rank.name });
    KW.lastIndex = Math.max(KW.lastIndex, span.end);
  }
  return hits;
}
