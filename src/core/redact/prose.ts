import { type Hit, rank } from './types';
import { charClasses, classChanges, isPlaceholder, looksLikeCode, looksLikePath } from './values';

/**
 * Secrets given in a sentence rather than assigned (`=` and `:` are assignments.ts's): "I set the
 * password to Xy9…", "my api key is …", "Using token … I get a 401", "Login failed for user 'sa' with
 * password '…'", "the password for the staging db is …", "the bot token (…)", "login with admin / …". A secret word, whose it is
 * (`for the db`), up to three linking words (`is`, `was`, `to`, `set`, …) and one word that looks
 * generated: 8+ characters with a letter and a digit, and three character classes or four changes
 * between them (`accessToken2` has two, `Kx81!aB3` many). Identifiers, type names, constants, versions,
 * options, paths and URLs are not taken.
 *
 * One regex: it starts with a word boundary and a literal alternation, and every repetition is bounded.
 */
const NOUN = String.raw`(?:pass(?:word|phrase|wd|code)|pwd|api[ _-]?key|access[ _-]?key|secret[ _-]?key|client[ _-]?secret|secret|(?:access|auth|bearer|api|bot|refresh|personal access) token|token|credentials?)`;
/** `for the staging db`, `of the bot`: up to three words saying whose secret it is. */
const WHOSE = String.raw`(?:[ \t]{1,4}(?:for|of|on)(?:[ \t]{1,4}[\w.@-]{1,40}){1,3})?`;
const LINK = String.raw`(?:[ \t]{1,4}(?:is|was|are|to|as|now|set|changed|reset|still|equals|reads|becomes|being|with)|[ \t]{0,4}(?:->|[-–—]))`;
const PROSE = new RegExp(
  String.raw`\b${NOUN}${WHOSE}${LINK}?${LINK}?${LINK}?[ \t]{1,4}\(?(["'${'`'}]?)([^\s"'${'`'}\\<>(){}[\];,|]{8,256})\1`,
  'dgi',
);

/** A word that looks generated rather than written. */
function generated(v: string): boolean {
  if (v.length < 8 || !/\d/.test(v) || !/[A-Za-z]/.test(v)) return false;
  if (isPlaceholder(v) || looksLikeCode(v) || looksLikePath(v) || v.includes('://')) return false;
  if (/^[A-Z0-9_]+$/.test(v) && v.includes('_')) return false; // a constant's name: API_KEY_2
  if (/^v?\d+(?:\.\d+)+/.test(v)) return false; // a version
  if (/^[*&]{1,2}[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*$/.test(v)) return false; // a pointer type: Go's `Token *oauth2.Token`
  // Words joined by a dash or slash, each one case of letters and maybe digits: `ES256-signed`, `HS256/RS256`,
  // `utf8-encoded` (a random value mixes cases inside its parts).
  if (/[-/]/.test(v) && v.split(/[-/]/).every((p) => /^(?:[A-Z]{1,6}|[a-z]{1,12})\d{0,4}$/.test(p))) return false;
  if (/^[-+]|=(?!=*$)/.test(v)) return false; // an option or an assignment (`--token -Dkey=value`); base64 padding is fine
  if (/^[\w$]+$/.test(v)) {
    // Shaped like an identifier: generated only if it changes class often (`accessToken2` does twice), no
    // capitalised word follows a digit inside it (`OAuth2TokenCredential`) and it is not made of two or
    // more capitalised words (`OpeningParenToken$1`; a random string rarely holds two).
    return classChanges(v) >= 4 && !/\d[A-Z][a-z]{3}/.test(v) && (v.match(/[A-Z][a-z]{3,}/g) ?? []).length < 2;
  }
  return charClasses(v) >= 3 || classChanges(v) >= 4;
}

/** "login with admin / Xy9…", "creds: deploy / …", "user/pass: admin/…": a user, a slash, a generated word. */
const USER_SLASH_PASSWORD =
  /\b(?:log(?:in|ged in|ging in)|sign(?:ed)? in|creds|credentials|user(?:name)?[ \t]{0,2}\/[ \t]{0,2}pass(?:word)?)\b[ \t:]{0,4}(?:(?:with|as|using)[ \t]{1,4})?[\w.@-]{1,64}[ \t]{0,2}\/[ \t]{0,2}(["'`]?)([^\s"'`\\<>(){}[\];,|/]{8,256})\1/dgi;

export function findProseSecrets(text: string): Hit[] {
  const hits: Hit[] = [];
  if (text.includes('/')) {
    USER_SLASH_PASSWORD.lastIndex = 0;
    let u: RegExpExecArray | null;
    while ((u = USER_SLASH_PASSWORD.exec(text)) !== null) {
      const value = u[1] ? u[2] : u[2].replace(/[.,;:!?)\]]+$/, '');
      const [s] = u.indices![2];
      if (generated(value)) hits.push({ rule: 'prose', start: s, end: s + value.length, rank: rank.name });
    }
  }
  PROSE.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = PROSE.exec(text)) !== null) {
    const [s] = m.indices![2];
    // A sentence's punctuation after an unquoted word is not part of it.
    const value = m[1] ? m[2] : m[2].replace(/[.,;:!?)\]]+$/, '');
    // Cut before a call, an index or a block: code (`token _auth$split2[1]`), not a word.
    if (!m[1] && /[([{]/.test(text[s + m[2].length] ?? '')) continue;
    if (generated(value)) hits.push({ rule: 'prose', start: s, end: s + value.length, rank: rank.name });
  }
  return hits;
}
