import { findPositionalSecrets } from './positional';
import { type Hit, rank } from './types';
import { endsInSecretWord, isPlaceholder, looksLikePath, looksLikeProse, looksRandom } from './values';

/**
 * Secrets passed to code rather than assigned to a name: `define('DB_PASSWORD', '…')` (PHP, also
 * WordPress's `define( 'AUTH_KEY', '…' )` keys and salts) and the
 * setters that take a secret's name then its value (`os.Setenv("API_TOKEN", "…")`,
 * `props.setProperty("mail.smtp.password", "…")`, `os.environ.setdefault("SECRET_KEY", "…")`),
 * `setPassword("…")` / `.withApiKey("…")` / `.password("…")` (Java/C#/JS builders), the password of
 * a credential pair (`auth=("admin", "…")`, `HTTPBasicAuth("admin", "…")`, `client.login("admin", "…")`),
 * the password or key at its place in a known call (`DriverManager.getConnection(url, "sa", "…")`,
 * `mysqli_connect(host, user, "…")`, `jwt.sign(payload, "…")`, positional.ts),
 * and `<property name="password" value="…"/>` (Spring XML).
 *
 * Calls are found from their `("`/`('` (one `indexOf` pass each, cheaper than a regex that starts
 * with a word), the callee's name is read backwards (bounded), and a sticky regex reads the arguments.
 */

const SECRET_NAME =
  /(?:pass(?:word|wd|phrase)?|pwd|secret|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key|credentials?)[\w.-]{0,32}$|^(?:AUTH|SECURE_AUTH|LOGGED_IN|NONCE)_(?:KEY|SALT)$/i;
/**
 * Callees that take the secret as their only string: setters and builders (`setPassword`, `with_api_key`,
 * `.password("…")`) — the last segment of the name, so a getter, a lookup or a check that takes a secret's
 * NAME (`getToken("github")`, `get_secret("DB_PASSWORD")`, `revoke_token`, `has_password`) is not one.
 */
const SETTER =
  /(?:^|\.)(?:(?:set|with)_?(?:[A-Za-z]{0,16}_?)?)?(?:Password|password|Passwd|passwd|Passphrase|passphrase|Secret|secret|Token|token|ApiKey|apiKey|api_key|AccessKey|access_key|SecretKey|secret_key|PrivateKey|private_key|Credentials?|credentials?)$/;
/**
 * Setters whose first string is a secret's NAME and whose second is its value: environment and property
 * setters (`Setenv`, `putenv`, `setdefault`, `setProperty`, `put`, `set`, `putString`). Getters
 * (`getenv("API_KEY", "dev")`, `environ.get(…)`) are not among them.
 */
const NAME_SETTER = /(?:^|\.|::)(?:[Ss]etenv|set_var|putenv|setdefault|setProperty|put|[Ss]et|putString|SetEnvironmentVariable)$/;
/** Callees whose second string is a password. */
const PAIR_CALLEE =
  /(?:^|\.)(?:auth|basic_?auth|BasicAuth|HTTPBasicAuth|HTTPDigestAuth|DigestAuth|HttpBasicAuth|login|authenticate|credentials|NetworkCredential|UsernamePasswordCredentials|PasswordAuthentication)$/i;

// Both allow blanks inside the parentheses (`define( 'DB_PASSWORD', '…' );`, WordPress style).
const ONE = /[ \t]{0,4}["']([^"'\n]{3,512})["'][ \t]{0,4}\)/dy;
const TWO = /[ \t]{0,4}["']([^"'\n]{1,128})["'][ \t]{0,4},[ \t]{0,16}["']([^"'\n]{3,512})["']/dy;
const NAME_VALUE = /\bname=["']([\w.-]{1,96})["'][ \t]{1,8}value=["']([^"'\n]{3,512})["']/dg;

function accept(value: string, strict: boolean): boolean {
  if (isPlaceholder(value) || looksLikeProse(value) || /\s/.test(value)) return false;
  if (/^(?:true|false|null|none|changeme|password|secret|pass|test|example)$/i.test(value)) return false;
  // A pair's second string is a password only if it looks like one (`("user", "pass")` stays).
  return !strict || looksRandom(value, 6) || (/\d/.test(value) && /[A-Za-z]/.test(value) && value.length >= 6);
}

function isNameChar(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x5f || c === 0x2e;
}

/** The callee before the `(` at `paren`: `a.setPassword`, or `auth` in `auth = (`. */
function calleeBefore(text: string, paren: number): { name: string; tuple: boolean } {
  let end = paren;
  let tuple = false;
  let j = end - 1;
  while (j >= 0 && (text[j] === ' ' || text[j] === '\t')) j--;
  if (j >= 0 && text[j] === '=' && text[j - 1] !== '=') {
    tuple = true; // `auth = ("u", "pw")`
    j--;
    while (j >= 0 && (text[j] === ' ' || text[j] === '\t')) j--;
  } else {
    j = end - 1;
  }
  end = j + 1;
  let start = end;
  while (start > 0 && end - start < 96 && isNameChar(text.charCodeAt(start - 1))) start--;
  return { name: text.slice(start, end), tuple };
}

/** How every callee above ends (lowercased last three letters): most calls are dropped on this. */
const ENDINGS = new Set([
  'ine',
  'uth',
  'gin',
  'ate',
  'als',
  'ial',
  'ion',
  'ord',
  'pwd',
  'swd',
  'ase',
  'ret',
  'ken',
  'key',
  'env',
  'ult',
  'rty',
  'put',
  'set',
  'ing',
  'ble',
  'var',
]);

function callAt(text: string, paren: number, hits: Hit[]): void {
  let k = paren - 1;
  while (k > 0 && (text[k] === ' ' || text[k] === '\t' || text[k] === '=')) k--;
  if (k < 2 || !isNameChar(text.charCodeAt(k)) || !ENDINGS.has(text.slice(k - 2, k + 1).toLowerCase())) return;
  const { name, tuple } = calleeBefore(text, paren);
  if (!name) return;
  const at = paren + 1;
  const push = (m: RegExpExecArray, g: number, strict: boolean) => {
    if (accept(m[g], strict)) hits.push({ rule: 'env', start: m.indices![g][0], end: m.indices![g][1], rank: rank.name });
  };
  if (!tuple && /(?:^|\.)define$/i.test(name)) {
    TWO.lastIndex = at;
    const m = TWO.exec(text);
    if (m && SECRET_NAME.test(m[1])) push(m, 2, false);
  } else if (PAIR_CALLEE.test(name)) {
    TWO.lastIndex = at;
    const m = TWO.exec(text);
    if (m) push(m, 2, true);
  } else if (!tuple && NAME_SETTER.test(name)) {
    TWO.lastIndex = at;
    const m = TWO.exec(text);
    if (m && endsInSecretWord(m[1]) && !/^\d+$/.test(m[2]) && !looksLikePath(m[2])) push(m, 2, false);
  } else if (!tuple && SETTER.test(name)) {
    ONE.lastIndex = at;
    const m = ONE.exec(text);
    if (m) push(m, 1, false);
  }
}

export function findCodeCallSecrets(text: string): Hit[] {
  const hits: Hit[] = findPositionalSecrets(text);
  for (const open of ['("', "('", '( "', "( '"]) {
    for (let p = text.indexOf(open); p >= 0; p = text.indexOf(open, p + 2)) callAt(text, p, hits);
  }
  if (text.includes('value=')) {
    NAME_VALUE.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = NAME_VALUE.exec(text)) !== null) {
      if (SECRET_NAME.test(m[1]) && accept(m[2], false))
        hits.push({ rule: 'env', start: m.indices![2][0], end: m.indices![2][1], rank: rank.name });
    }
  }
  return hits;
}
