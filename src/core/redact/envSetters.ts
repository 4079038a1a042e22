import { opaqueSecret } from './callChains';
import { type Hit, rank } from './types';
import { endsInSecretWord, isPlaceholder, looksLikeCode, looksLikePath, looksRandom } from './values';

/**
 * Environment variables set by a command that takes the name, a blank, then the value, so no `=` or `:`
 * tells the assignment rule where a value starts: PowerShell's `Set-Item Env:API_TOKEN "…"`,
 * `Set-Item -Path Env:X -Value …`, `New-Item env:X -Value …`, `Set-Content env:\X …` (and `$env:GITHUB_PAT = …`
 * for the names the assignment rule does not know), fish's `set -x API_TOKEN …` / `set -gx` / `set -Ux`, csh's
 * `setenv X …`, `launchctl setenv X …`, `setx X …` and a Dockerfile's legacy `ENV X …`.
 * The value counts when the name is a secret's (`…_TOKEN`, `…_PASSWORD`, `…_PAT`, `…_SALT`) and the value is a
 * literal rather than a variable, a path or code, or, whatever the name, when the value looks generated.
 *
 * Each regex starts with a literal command name and every repetition is bounded; the value is read by a
 * bounded scan, so hostile input stays linear.
 */

/** PowerShell's item commands on the `Env:` drive, and `$env:NAME =` (any case). Group 1 the name. */
const POWERSHELL =
  /(?:\b(?:Set-Item|New-Item|Set-Content|Add-Content)[ \t]{1,8}(?:-(?:Path|LiteralPath|Force|Name)[ \t]{1,8}){0,3}["']?Env:\\?|\$\{?env:)([A-Za-z_][\w.]{0,127})["'}]?(?:[ \t]{1,8}-Force)?(?:[ \t]{0,8}=[ \t]{0,8}|[ \t]{1,8}-Value[ \t]{1,8}|[ \t]{1,8}(?![-=]))/dgi;
/**
 * fish's `set` with flags (at a command's start), csh's `setenv`, `launchctl setenv`, `setx` and a Dockerfile's `ENV`
 * (at a line's start, after a diff's `+` or a quote's `>`): found by a literal-led regex, the text before each
 * checked on at most 40 characters of its line, then read by a sticky regex. Group 1 the name.
 */
const SETTER_AT = /\b(?:set|setenv|setx|ENV)[ \t]/g;
const FISH = /set(?:[ \t]{1,8}-{1,2}[A-Za-z]{1,16}){1,4}[ \t]{1,8}([A-Za-z_][\w.]{0,127})[ \t]{1,8}/y;
const WORD = /(?:setenv|setx|ENV)[ \t]{1,8}([A-Za-z_][\w.]{0,127})[ \t]{1,8}/y;
const FISH_BEFORE = /(?:^[+-]?|[;&|(]|[$>#%][ \t])[ \t]{0,8}$/;
const ENV_BEFORE = /^[+-]?(?:>[ \t]?){0,4}[ \t]{0,8}$/;

/** A line's end, as the old `^` of a multiline regex saw it. */
function isLineEnd(c: number): boolean {
  return c === 10 || c === 13 || c === 0x2028 || c === 0x2029;
}

/**
 * The text before `at` on its line when the line starts at most 40 characters back, else `\0` and the last 12
 * characters (enough for `; ` or `$ ` and 8 blanks, never a line's start). Scans back at most 41 characters, so
 * a long line of `set set set…` costs a constant per candidate, not the line's length.
 */
function lineBefore(text: string, at: number): string {
  for (let i = at - 1; i >= 0 && i >= at - 41; i--) if (isLineEnd(text.charCodeAt(i))) return text.slice(i + 1, at);
  return at <= 40 ? text.slice(0, at) : `\u0000${text.slice(at - 12, at)}`;
}

/** The setter starting at `at` if what stands before it on its line allows one there. */
function setterAt(text: string, at: number): RegExpExecArray | null {
  const word = text.slice(at, at + 6);
  let re: RegExp;
  if (word.startsWith('ENV')) {
    if (!ENV_BEFORE.test(lineBefore(text, at))) return null;
    re = WORD;
  } else if (word.startsWith('setenv') || word.startsWith('setx')) {
    if (at > 0 && text[at - 1] === '-') return null;
    re = WORD;
  } else {
    if (!FISH_BEFORE.test(lineBefore(text, at))) return null;
    re = FISH;
  }
  re.lastIndex = at;
  return re.exec(text);
}

const ENV_DRIVE = /env:/i;
const VALUE = /(["'])([^"'\n]{1,512})\1|[^\s"'`;|&]{1,512}/y;

/** A secret's name, with the ones the assignment rule leaves out: `GITHUB_PAT`, `AUTH_SALT`, `SIGNING_PEPPER`. */
export function secretEnvName(name: string): boolean {
  return endsInSecretWord(name) || /[_.-](?:pat|pass|pw|salt|pepper|hmac(?:[_.-]?key)?|auth|key)$/i.test(name);
}

function acceptValue(name: string, value: string): boolean {
  if (value.length < 3 || isPlaceholder(value) || looksLikePath(value)) return false;
  // A variable inside the value (`$HOME`, `${X}`, `$(cmd)`, cmd's `%X%`) makes it an expression, not a literal.
  if (/^(?:true|false|yes|no|on|off|none|null|0|1)$/i.test(value) || /\$[\w{(:]|%\w+%|;/.test(value)) return false;
  if (/^[A-Z][a-z]{1,16}-[A-Z][A-Za-z]{1,48}$/.test(value)) return false; // a cmdlet: `Get-Secret`
  if (opaqueSecret(value)) return true;
  if (!secretEnvName(name) || looksLikeCode(value) || /\s/.test(value)) return false;
  // A password may be a word with a digit or a symbol; under a `…_KEY`/`…_AUTH`-style name (`SORT_KEY name`) the value must look random.
  return endsInSecretWord(name) ? /[\d\W]/.test(value) || looksRandom(value) : looksRandom(value);
}

export function findEnvSetterSecrets(text: string): Hit[] {
  const hits: Hit[] = [];
  const take = (m: RegExpExecArray) => {
    VALUE.lastIndex = m.index + m[0].length;
    const v = VALUE.exec(text);
    if (!v) return;
    const value = v[2] ?? v[0];
    // PowerShell's `$env:X = word` runs a command (`Read-Host`); only a quoted value there is a literal.
    if (v[2] === undefined && m[0].startsWith('$') && m[0].trimEnd().endsWith('=')) return;
    const start = v[2] === undefined ? v.index : v.index + 1;
    if (acceptValue(m[1], value)) hits.push({ rule: 'env', start, end: start + value.length, rank: rank.name });
  };
  let m: RegExpExecArray | null;
  if (ENV_DRIVE.test(text)) {
    POWERSHELL.lastIndex = 0;
    while ((m = POWERSHELL.exec(text)) !== null) take(m);
  }
  SETTER_AT.lastIndex = 0;
  let after = 0; // as one global regex did, a setter is looked for only after the last one found
  while ((m = SETTER_AT.exec(text)) !== null) {
    if (m.index < after) continue;
    const s = setterAt(text, m.index);
    if (s) {
      take(s);
      after = s.index + s[0].length;
    }
  }
  return hits;
}
