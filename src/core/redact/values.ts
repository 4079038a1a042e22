/**
 * Heuristics on a candidate secret VALUE (the part after `=`/`:` or inside a URL). They decide
 * between "a literal secret" and "code/template text that merely sits where a secret could be",
 * e.g. `password = request.POST['password']`, `token = ${{ secrets.TOKEN }}`.
 */

const SECRET_SUFFIX = /(?:password|passwd|passphrase|pwd|secret|token|apikey|accesskey|secretkey|privatekey|credentials?|secretkeybase)$/;
const NOT_SECRET_NAME = /(?:^|_)(?:csrf|xsrf|page|next|sync|cancel|cancellation|continuation|idempotency|max|min|num)_?tokens?$/;

/**
 * A name's words, lowercased and joined by `_` (`maxTokens` → `max_tokens`, `x-api-key` → `x_api_key`), so a
 * qualifier is matched as a whole word: `ADMIN_TOKEN` holds no `min` token count, `ESCROW_KEY` no row key.
 */
export function nameWords(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[-_.:\s]+/g, '_');
}

/**
 * A setting's NAME that ends in a secret word (`SECRET_KEY`, `mail.smtp.password`, `trustStorePassword`),
 * compared without case and separators; `password_min_length`, `csrf_token` are not.
 */
export function endsInSecretWord(name: string): boolean {
  const n = name.toLowerCase().replace(/[-_.:\s]/g, '');
  return SECRET_SUFFIX.test(n) && !NOT_SECRET_NAME.test(nameWords(name));
}

/** Template references, masks and earlier redactions: never secrets themselves. */
const PLACEHOLDER = new RegExp(
  [
    String.raw`^\$\{`, // ${VAR}, ${{ secrets.X }}
    String.raw`^\$\(`, // $(cat /run/secrets/x)
    String.raw`^\$[A-Za-z_][A-Za-z0-9_]*$`, // $VAR
    String.raw`^\{\{`, // {{ .Values.password }}
    String.raw`^%\(?[A-Za-z_]*\)?[sdr]?%?$`, // %s, %(password)s, %PASSWORD%
    String.raw`^<[^<>]*>$`, // <your-token>
    String.raw`^\[REDACTED`, // output of an earlier pass
    String.raw`^(.)\1{2,}$`, // ***, xxxx, ....
    String.raw`^\*{3}`, // ***masked
    String.raw`^(?:\.\.\.|…)`, // ...
  ].join('|'),
);

export function isPlaceholder(value: string): boolean {
  return PLACEHOLDER.test(value);
}

/** Words that, as a whole value, are types, literals or keywords rather than secrets. */
const CODE_WORDS = new Set([
  'true',
  'false',
  'null',
  'none',
  'nil',
  'undefined',
  'yes',
  'no',
  'on',
  'off',
  'required',
  'optional',
  'str',
  'string',
  'bytes',
  'int',
  'number',
  'bool',
  'boolean',
  'any',
  'unknown',
  'object',
  'secretstr',
  'self',
  'this',
  'env',
  'empty',
  'blank',
  'redacted',
  'hidden',
  'masked',
]);

/** Words that make an identifier-looking value a variable reference (`token = access_token`). */
const SECRET_WORDS = /key|token|secret|pass|pwd|credential|auth/i;

const IDENT = /^[A-Za-z_$][\w$-]*$/;
const DOTTED = /^[A-Za-z_$][\w$]*(?:\??\.[A-Za-z_$][\w$]*)+$/; // self.token, process.env.X
const CALL_OR_INDEX = /^[A-Za-z_$][\w$]*(?:\??\.[A-Za-z_$][\w$]*)*\s*(?:\(|\[|!\.)/; // f(), a.b[...]
const KEYWORD_EXPR = /^(?:new|await|function|lambda|async|yield|typeof|os\.|process\.)\b/;

/** True when `value` reads like code (a type, a variable, a call) rather than a literal. */
/** Changes between lower case, upper case and digits along `s`: a name has few (`accessToken2`: 2), a generated string many. */
export function classChanges(s: string): number {
  const cls = (c: string) => (/[a-z]/.test(c) ? 1 : /[A-Z]/.test(c) ? 2 : /\d/.test(c) ? 3 : 0);
  let n = 0;
  for (let i = 1; i < s.length; i++) if (cls(s[i]) && cls(s[i - 1]) && cls(s[i]) !== cls(s[i - 1])) n++;
  return n;
}

/**
 * A dotted value mixing cases and digits that is a secret, not an attribute path: its last part has a
 * digit inside (`ru8u`) or changes case and digits four times or more (`abCdEf`), or a part holds three
 * digits in a row (`Harbor8100`) or is long with a digit inside (`MTk4NjIy…`) — names rarely do; or the value
 * is short and changes class at least every fourth character, not counting a capitalised word's start
 * (`Ab12.cdEF`, `y7Lb.kLXM`): a path's words are runs of one class (`Settings.V2.ApiKey`, `config.S3Bucket.Name`,
 * `app.v2Config.Key`: a digit inside a name such as S3, OAuth2 or Base64 is not a password).
 */
function dottedSecret(value: string): boolean {
  if (value.length < 8 || !(/\d/.test(value) && /[A-Z]/.test(value) && /[a-z]/.test(value))) return false;
  const last = value.slice(value.lastIndexOf('.') + 1);
  // A capitalised word inside the last part is a name's (`win32api.RegEnumKey`), not a change a random string makes.
  if (/\d[A-Za-z]/.test(last) || classChanges(last) - (last.match(/[A-Z][a-z]{2,}/g) ?? []).length >= 4) return true;
  const changes = classChanges(value) - (value.match(/[A-Z][a-z]/g) ?? []).length; // a capitalised word's start is no change
  if (value.length <= 24 && changes >= 3 && changes * 4 >= value.length) return true;
  return value.split('.').some((p) => /\d{3,}/.test(p) || (p.length >= 16 && /\d[A-Za-z]/.test(p)));
}

/**
 * A dotted value mixing cases and digits (`Sbg4.LbpolFA`): where the value can only be a literal (a quoted string,
 * a `.env` or properties value, a command-line argument) it is a password with a dot, not an attribute path.
 */
export function dottedLiteral(value: string): boolean {
  return value.length >= 8 && DOTTED.test(value) && /\d/.test(value) && /[A-Z]/.test(value) && /[a-z]/.test(value);
}

export function looksLikeCode(value: string): boolean {
  const lower = value.toLowerCase();
  if (CODE_WORDS.has(lower)) return true;
  // `self.token` is code; `MTk4NjIy….Cl2FMQ.ZnCjm1…` (a dotted opaque token) and a password with a
  // dot (`Harbor3804.ru8uSnfu`) are not. An attribute path may mix cases and end a name in digits
  // (`settings.DB_Password1`, `response.data.accessToken2`): dottedSecret tells them apart.
  if (DOTTED.test(value) && !dottedSecret(value)) return true;
  if (CALL_OR_INDEX.test(value) || KEYWORD_EXPR.test(value)) return true;
  if (/^[([{]/.test(value) || looksLikePath(value)) return true;
  if (/^\d{1,7}$/.test(value)) return true; // MAX_TOKENS=4096, PORT-like numbers
  if (/\s(?:=|==|=>|\|\||&&|\?\?)\s/.test(value)) return true;
  // An identifier without digits that names a secret is a variable: `password=password`.
  if (IDENT.test(value) && !/\d/.test(value) && SECRET_WORDS.test(value)) return true;
  return false;
}

/**
 * Counts the character classes (lower, upper, digit, symbol) present in `value`. Word
 * separators `-`, `_`, `.` do not count: `navigation-menu-item` is one class.
 */
export function charClasses(value: string): number {
  let lower = 0,
    upper = 0,
    digit = 0,
    other = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 0x61 && c <= 0x7a) lower = 1;
    else if (c >= 0x41 && c <= 0x5a) upper = 1;
    else if (c >= 0x30 && c <= 0x39) digit = 1;
    else if (c !== 0x2d && c !== 0x5f && c !== 0x2e) other = 1;
  }
  return lower + upper + digit + other;
}

/**
 * A token that looks random enough to be a credential rather than a word. Without digits it
 * must be long, mixed-case, and free of word-like lowercase runs (`Authorization`, `HeaderValue`).
 */
export function looksRandom(value: string, minLength = 8): boolean {
  if (value.length < minLength) return false;
  if (/\d/.test(value)) return charClasses(value) >= 2;
  const upper = value.replace(/[^A-Z]/g, '').length;
  const lower = value.replace(/[^a-z]/g, '').length;
  return value.length >= 16 && upper >= 2 && lower >= 2 && !/[a-z]{6}/.test(value);
}

/**
 * Sentence-like text (a UI label such as "Enter your password" or "Forgot your password?"):
 * words only, and capitalised or ending in punctuation. An all-lowercase unpunctuated
 * passphrase ("correct horse battery staple") does not count as prose.
 */
export function looksLikeProse(value: string): boolean {
  if (!/^[A-Za-z][a-z']*(?: [A-Za-z][a-z']*)+[.?!:…]?$/.test(value)) return false;
  return /^[A-Z]/.test(value) || /[.?!:…]$/.test(value);
}

/** A file-system path or file name (`/etc/ssl/server.key`, `./certs/dev.pem`), not a secret. */
export function looksLikePath(value: string): boolean {
  // 40 base64 characters mixing cases and digits is an AWS secret key even when it starts with `/`.
  if (/^[A-Za-z0-9+/]{40}$/.test(value) && /\d/.test(value) && /[a-z]/.test(value) && /[A-Z]/.test(value)) return false;
  return (
    /^(?:~?\/|\.{1,2}\/|[A-Za-z]:\\)/.test(value) || /^[\w./-]+\.(?:pem|key|crt|cer|p12|pfx|json|ya?ml|env|txt|gpg|asc|jks)$/.test(value)
  );
}

/**
 * An object-store key or relative file path (`uploads/2024/01/invoice-7f3a9c.pdf`): slash-separated
 * word segments ending in a file extension. Base64 secrets may contain `/`, but their segments are
 * random-looking and they do not end in `.ext`.
 */
export function looksLikeObjectPath(value: string): boolean {
  if (!value.includes('/') || !/^[\w./@=+-]+$/.test(value) || !/\.[A-Za-z0-9]{1,6}$/.test(value)) return false;
  const segments = value.split('/').filter(Boolean);
  return segments.length >= 2 && segments.slice(0, -1).every((s) => !looksRandom(s, 12));
}
