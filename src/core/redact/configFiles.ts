import { eachDirectiveStart } from './directiveStarts';
import { type Hit, rank } from './types';
import { findK8sSecretData, findPutty } from './secretBlocks';
import { isPlaceholder, looksRandom } from './values';

/**
 * Credential files and blocks whose values carry no recognisable shape: Docker `config.json`
 * (`"auth"`, `"identitytoken"`), Kubernetes Secret data and PuTTY keys (secretBlocks.ts),
 * `.netrc` (`machine h login u password p`), `.pgpass` lines (also several flattened onto one), cookies in
 * `Cookie:`/`Set-Cookie:` headers, Oracle JDBC `user/password@`, service directives (`requirepass …`).
 * Scans are bounded per line.
 */

const hit = (rule: string, start: number, end: number, r: number = rank.name): Hit => ({ rule, start, end, rank: r });

/** Docker / OCI registry credentials in config.json: `"auth": "<base64 user:password>"`. */
const DOCKER_AUTH = /\\?"(auth|identitytoken|registrytoken|password)\\?"[ \t]{0,8}:[ \t]{0,8}\\?"([A-Za-z0-9+/=._~-]{4,8192})\\?"/dg;

function findDockerAuth(text: string, hits: Hit[]): void {
  if (!/"(?:auth|identitytoken|registrytoken)\\?"/.test(text)) return;
  DOCKER_AUTH.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = DOCKER_AUTH.exec(text)) !== null) {
    const value = m[2];
    if (isPlaceholder(value) || value.length < 8) continue;
    if (m[1] === 'auth' && !/:/.test(decode(value)) && !looksRandom(value)) continue;
    const [s, e] = m.indices![2];
    hits.push(hit('docker-auth', s, e, rank.shape));
  }
}

function decode(b64: string): string {
  return Buffer.from(b64, 'base64').toString('latin1');
}

/** `.netrc`: `machine H login U password P` (one line or several), `default login U password P`. */
const NETRC =
  /\b(?:machine[ \t]+\S{1,256}|default)(?:[\s+>-]{1,64}(?:login|account|port)[ \t]{1,64}\S{1,256}){0,3}[\s+>-]{1,64}password[ \t]{1,64}(\S{1,512})/dg;

function findNetrc(text: string, hits: Hit[]): void {
  if (!text.includes('password') || !/\b(?:machine|default)\b/.test(text)) return;
  NETRC.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = NETRC.exec(text)) !== null) {
    if (isPlaceholder(m[1])) continue;
    const [s, e] = m.indices![1];
    hits.push(hit('netrc', s, e));
  }
}

/** `.pgpass`: `hostname:port:database:username:password`, one per line. */
const PGPASS =
  /^[ \t]*[+\- ]?(?:[$>][ \t]+)?[`"']?(?:\*|[A-Za-z0-9][\w.-]{0,253}|\[[0-9a-fA-F:]+\]):(?:\*|\d{1,5}):(?:\*|[\w.$-]{1,128}):(?:\*|[\w.@$-]{1,128}):([^\s`"']{1,512})[`"']?[ \t]*$/dgm;

/** A `.pgpass` line that is a whole quoted string (a tool result's content, a JSON value), anywhere on a line. */
const PGPASS_QUOTED =
  /(["'`])(?:\*|[A-Za-z0-9][\w.-]{0,253}|\[[0-9a-fA-F:]+\]):(?:\*|\d{1,5}):(?:\*|[\w.$-]{1,128}):(?:\*|[\w.@$-]{1,128}):([^\s`"':]{3,512})\1/dg;

/** One `.pgpass` entry read from its host's start (sticky); group 1 the password. */
const PGPASS_ENTRY =
  /(?:\*|[A-Za-z0-9][\w.-]{0,253}|\[[0-9a-fA-F:]+\]):(?:\*|\d{1,5}):(?:\*|[\w.$-]{1,128}):(?:\*|[\w.@$-]{1,128}):([^\s`"':]{3,512})(?=[\s`"']|$)/dy;

/**
 * Several `.pgpass` lines flattened onto one (inline code, a chat message): entries separated only by blanks.
 * Found from each `:port:` (a global regex), the host read backwards (bounded), the entry forwards (sticky).
 */
function findPgpassRuns(text: string, hits: Hit[]): void {
  const port = /:(?:\*|\d{1,5}):/g;
  let prevEnd = -1;
  let prev: Hit | undefined;
  let m: RegExpExecArray | null;
  while ((m = port.exec(text)) !== null) {
    let hs = m.index;
    while (hs > 0 && m.index - hs < 254 && /[\w.*-]/.test(text[hs - 1])) hs--;
    PGPASS_ENTRY.lastIndex = hs;
    const e = PGPASS_ENTRY.exec(text);
    // Times and counters (`10:30:00:00:123`) are not entries: a host has a letter, a dot or `*`, a password a non-digit.
    if (!e || isPlaceholder(e[1]) || /^\d+$/.test(e[1]) || !/[A-Za-z.*[]/.test(text.slice(hs, m.index))) continue;
    const h = hit('pgpass', e.indices![1][0], e.indices![1][1]);
    if (prevEnd >= 0 && hs > prevEnd && /^[ \t]{1,8}$/.test(text.slice(prevEnd, hs))) hits.push(prev!, h);
    prevEnd = PGPASS_ENTRY.lastIndex;
    prev = h;
    port.lastIndex = prevEnd;
  }
}

function findPgpass(text: string, hits: Hit[]): void {
  if (!/:(?:\*|\d{1,5}):/.test(text)) return;
  findPgpassRuns(text, hits);
  for (const [re, group] of [
    [PGPASS, 1],
    [PGPASS_QUOTED, 2],
  ] as const) {
    re.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = re.exec(text)) !== null) {
      if (isPlaceholder(m[group]) || m[group].length < 3) continue;
      const [s, e] = m.indices![group];
      hits.push(hit('pgpass', s, e));
    }
  }
}

/** Cookie values in `Cookie:` / `Set-Cookie:` headers (session ids are bearer credentials). */
function findCookies(text: string, hits: Hit[]): void {
  const header = /\b(?:Set-)?Cookie["']?[ \t]{0,4}[:=][ \t]{0,4}["']?([^\n"']{1,8192})/dgi;
  let m: RegExpExecArray | null;
  while ((m = header.exec(text)) !== null) {
    const base = m.indices![1][0];
    const pair = /(?:^|;[ \t]*)([\w.$!#%&*+^`|~-]{1,128})=([^;\s,]{1,4096})/dg;
    let p: RegExpExecArray | null;
    while ((p = pair.exec(m[1])) !== null) {
      const name = p[1].toLowerCase();
      if (/^(?:path|domain|expires|max-age|samesite|priority)$/.test(name)) continue;
      const value = p[2];
      const named = /sess|sid|auth|token|jwt|remember|login|csrf|xsrf|secret|key/.test(name);
      if (isPlaceholder(value) || !(looksRandom(value) || (named && value.length >= 8))) continue;
      const [s, e] = p.indices![2];
      hits.push(hit('cookie', base + s, base + e));
    }
  }
}

/** `cookies={"session": "…"}` in code (requests, httpx, axios): the same value test as for headers. */
function findCookieDicts(text: string, hits: Hit[]): void {
  const dict = /\b[Cc]ookies?["']?[ \t]{0,4}[=:][ \t]{0,4}\{([^{}\n]{1,2048})\}/dg;
  let m: RegExpExecArray | null;
  while ((m = dict.exec(text)) !== null) {
    const base = m.indices![1][0];
    const pair = /["']([\w.-]{1,128})["'][ \t]{0,4}:[ \t]{0,4}["']([^"'\s]{8,4096})["']/dg;
    let p: RegExpExecArray | null;
    while ((p = pair.exec(m[1])) !== null) {
      if (isPlaceholder(p[2]) || !(looksRandom(p[2]) || /sess|sid|auth|token|jwt|remember|login|secret|key/i.test(p[1]))) continue;
      hits.push(hit('cookie', base + p.indices![2][0], base + p.indices![2][1]));
    }
  }
}

/** Terraform `variable "db_password" { default = "…" }`: the default of a variable named as a secret. */
function findTerraformDefaults(text: string, hits: Hit[]): void {
  const re =
    /\bvariable[ \t]+"[\w-]{0,64}(?:[Pp]ass|PASS|[Pp]wd|[Ss]ecret|SECRET|[Tt]oken|TOKEN|[Kk]ey|KEY|[Cc]redential)[\w-]{0,64}"[ \t]*\{[^{}]{0,400}?\bdefault[ \t]*=[ \t]*"([^"\n]{3,512})"/dg;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    if (isPlaceholder(m[1])) continue;
    hits.push(hit('env', m.indices![1][0], m.indices![1][1]));
  }
}

/**
 * XML elements and .NET settings named as secrets: `<password>…</password>`, `<access_token>…`,
 * `<add key="ApiKey" value="…" />`, `<entry key="password">…</entry>` (Maven settings.xml, app.config,
 * web.config, plist, Java properties XML, Android strings). Found from
 * their closing tags (rarer than `<`), each looked up on its own line.
 */
const XML_SECRET_NAME =
  /^[\w.:-]{0,64}(?:pass(?:word|wd|phrase)?|pwd|token|secret|api[_-]?key|apikey|access[_-]?key|private[_-]?key|credentials?)[\w.:-]{0,32}$/i;
const XML_NOT_SECRET =
  /(?:max|min|num)[_-]?tokens?$|tokens?[_-]?(?:type|url|uri|endpoint|file|path|name)$|public[_-]?key|key[_-]?(?:id|name|file|path)$/i;
const XML_ADD = /<add[ \t]+key=["']([\w.:-]{1,96})["'][ \t]+value=["']([^"'\n]{3,512})["']/dgi;
/**
 * `<auth>`, `<proxyAuth>`, `<authorization>`: also a scheme name or a mode (`<auth>basic</auth>`), so
 * only a value shaped like a secret counts — one word of 8 or more characters with a digit in it.
 */
const XML_AUTH_NAME = /^(?:[\w.:-]{0,32}[_-]|[a-z]{0,32})auth(?:orization)?$/i;
const xmlNamed = (name: string) => XML_SECRET_NAME.test(name) || XML_AUTH_NAME.test(name);

function xmlValueOk(name: string, value: string): boolean {
  if (!XML_SECRET_NAME.test(name)) return XML_AUTH_NAME.test(name) && /^\S{8,}$/.test(value) && /\d/.test(value) && !isPlaceholder(value);
  if (XML_NOT_SECRET.test(name)) return false;
  return !isPlaceholder(value) && !/^(?:true|false|null|none|\d{1,7})$/i.test(value) && !/^\$\{|^\{\{/.test(value);
}

/**
 * Elements that carry a setting's name in an attribute and its value as text: Java properties XML
 * (`<entry key="password">…</entry>`), Android resources (`<string name="api_key">…</string>`), .NET and
 * build settings (`<setting name="ClientSecret">…`, `<param name="token">…`).
 */
const KEYED_ELEMENTS = new Set([
  'entry',
  'string',
  'setting',
  'param',
  'parameter',
  'property',
  'item',
  'value',
  'secret',
  'field',
  'constant',
  'env',
  'variable',
]);
const KEY_ATTRIBUTE = /[ \t](?:key|name)=["']([\w.:-]{1,96})["']/;
const KEYED_SECRET_NAME = /(?:password|passwd|passphrase|pwd|secret|token|apikey|accesskey|secretkey|privatekey|credentials?)$/;

/** `<tag … key|name="<secret name>" …>value</tag>` on one line, closed at `closeAt`. */
function keyedElement(text: string, closeAt: number, tag: string, hits: Hit[]): void {
  const from = Math.max(0, closeAt - 600);
  const at = text.slice(from, closeAt).lastIndexOf(`<${tag}`) + from; // bounded: never back past `from`
  if (at < from) return;
  const gt = text.indexOf('>', at);
  if (gt < 0 || gt >= closeAt || text.slice(at, closeAt).includes('\n')) return;
  const name = KEY_ATTRIBUTE.exec(text.slice(at, gt))?.[1];
  // The name must END in a secret word: `password_hint`, `token_label` hold UI text.
  if (!name || !KEYED_SECRET_NAME.test(name.toLowerCase().replace(/[-_.:]/g, ''))) return;
  const raw = text.slice(gt + 1, closeAt);
  const value = raw.trim();
  if (value.length < 3 || /[<\s]/.test(value) || !xmlValueOk(name, value)) return;
  const start = gt + 1 + raw.indexOf(value);
  hits.push(hit('env', start, start + value.length));
}

function findXmlSecrets(text: string, hits: Hit[]): void {
  const close = /<\/([\w.:-]{1,96})>/g;
  let m: RegExpExecArray | null;
  while ((m = close.exec(text)) !== null) {
    if (!xmlNamed(m[1])) {
      if (KEYED_ELEMENTS.has(m[1])) keyedElement(text, m.index, m[1], hits);
      continue;
    }
    const open = `<${m[1]}>`;
    const from = Math.max(0, m.index - 600);
    const at = text.slice(from, m.index).lastIndexOf(open) + from;
    if (at < from || text.slice(at, m.index).includes('\n')) continue;
    const raw = text.slice(at + open.length, m.index);
    const value = raw.trim();
    if (value.length < 3 || value.includes('<') || !xmlValueOk(m[1], value)) continue;
    const start = at + open.length + raw.indexOf(value);
    hits.push(hit('env', start, start + value.length));
  }
  if (!text.includes('<add')) return;
  XML_ADD.lastIndex = 0;
  while ((m = XML_ADD.exec(text)) !== null) {
    if (xmlValueOk(m[1], m[2])) hits.push(hit('env', m.indices![2][0], m.indices![2][1]));
  }
}

/**
 * Service configuration directives that take a password as a bare word: `requirepass …` / `masterauth …`
 * (redis.conf), `auth_pass …` (keepalived), `bindpw …` / `bind_pw …` (LDAP clients), `rootpw …` (slapd),
 * `psk="…"` (wpa_supplicant), at a line's start or in inline code. No `=` or `:` follows the name, so
 * the assignment rule does not see them.
 * A commented-out default (`# requirepass foobared`) is left alone.
 */
const DIRECTIVE_NAME = /(?:requirepass|masterauth|auth_pass|bind_?pw|rootpw|sasl_password|psk)(?:[ \t]{0,4}=[ \t]{0,4}|[ \t]{1,16})/y;
const DIRECTIVE_VALUE = /("?)([^\s"`]{3,512})\1(?:[ \t]*\r?$|(?=`)|([ \t]))/dmy;

/** A directive's name and value starting at `at` (a line's first word, or a word after a backtick). */
function directiveAt(text: string, at: number, hits: Hit[]): void {
  const c = text.charCodeAt(at);
  // The first letters of requirepass, masterauth, auth_pass, bindpw, bind_pw, rootpw, sasl_password, psk.
  if (c !== 0x72 && c !== 0x6d && c !== 0x61 && c !== 0x62 && c !== 0x73 && c !== 0x70) return;
  DIRECTIVE_NAME.lastIndex = at;
  if (!DIRECTIVE_NAME.test(text)) return;
  DIRECTIVE_VALUE.lastIndex = DIRECTIVE_NAME.lastIndex;
  const m = DIRECTIVE_VALUE.exec(text);
  if (!m) return;
  // More words after it on the line (a sentence, a comment): the value must look generated.
  const alone = m[3] === undefined;
  if (isPlaceholder(m[2]) || /^(?:yes|no|none|true|false)$/i.test(m[2]) || (!alone && !looksRandom(m[2]))) return;
  hits.push(hit('env', m.indices![2][0], m.indices![2][1]));
}

/** Tried at each line's first word and after each backtick (directiveStarts.ts), not at every position. */
function findDirectives(text: string, hits: Hit[]): void {
  eachDirectiveStart(text, (at) => directiveAt(text, at, hits));
}

/** Oracle thin JDBC URLs carry `user/password@host`. */
function findJdbcOracle(text: string, hits: Hit[]): void {
  if (!text.includes('jdbc:oracle:')) return;
  const re = /jdbc:oracle:(?:thin|oci):[^\s/@:"']{1,128}\/([^\s@"']{1,256})@/dg;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) hits.push(hit('url-credentials', m.indices![1][0], m.indices![1][1]));
}

export function findConfigFileSecrets(text: string): Hit[] {
  const hits: Hit[] = [];
  findDockerAuth(text, hits);
  findNetrc(text, hits);
  findPgpass(text, hits);
  findK8sSecretData(text, hits);
  findPutty(text, hits);
  if (/cookie/i.test(text)) {
    findCookies(text, hits);
    findCookieDicts(text, hits);
  }
  findTerraformDefaults(text, hits);
  findXmlSecrets(text, hits);
  findJdbcOracle(text, hits);
  findDirectives(text, hits);
  return hits;
}
