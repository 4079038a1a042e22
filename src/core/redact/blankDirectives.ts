import { eachDirectiveStart } from './directiveStarts';
import { type Hit, rank } from './types';
import { endsInSecretWord, isPlaceholder, looksLikeCode, looksLikePath, looksRandom, nameWords } from './values';

/**
 * Configuration lines written `name value`, with no `=` or `:` between (msmtp, mutt-like `.rc` files, Postfix-like
 * `main.cf` lines, keepalived, nginx, Apache and many services' own formats): `smtp_pass …`, `db_password …`,
 * `admin_token …`, `ftp_passwd "…"`. The line holds only the name — one word that ends in a secret word (or in
 * `pass`) — blanks, and one value (quoted or not, an nginx-style `;` and a `# comment` allowed after it), at a
 * line's start or in inline code. The value must read as a literal password: not code, a type, a variable, a path or
 * a setting word, an address or a number type, and holding a digit or a symbol or looking random (`db_password hunter`
 * stays; so do a Go struct field `Password string`, `Token *oauth2.Token`, `Nonce uint64`, one with a tag, and nginx's
 * `proxy_pass http://backend;` or `fastcgi_pass 127.0.0.1:9000;`). configFiles.ts keeps the known directives
 * (`requirepass`, `masterauth`, `bindpw`, …) whose names carry no secret word.
 *
 * One sticky regex is tried at each line's first word and after each backtick; every repetition is bounded.
 */
const LINE = /([A-Za-z][\w.-]{0,63})[ \t]{1,16}(["']?)([^\s"'`;]{3,512})\2[ \t]{0,8};?[ \t]{0,8}(?:#[^\n]{0,512})?(?:\r?$|(?=`))/dmy;

/** Names ending in `pass` that pass something else: nginx's upstream directives, `bypass`, `compass`. */
const NOT_PASS = /(?:^|_)(?:proxy|fastcgi|uwsgi|scgi|grpc|memcached)_pass$|(?:by|com|sur|over|under)_?pass$/;

function secretName(name: string): boolean {
  return endsInSecretWord(name) || (/pass$/i.test(name.replace(/[-_.]/g, '')) && !NOT_PASS.test(nameWords(name)));
}

/** An address (`http://backend`, `unix:/run/app.sock`, `localhost:4000`, /etc/services' `464/tcp`) or a number type (`uint64`). */
const ADDRESS_OR_TYPE =
  /:\/\/|^unix:|^[\w.-]{1,253}:\d{1,5}$|^\d{1,5}\/(?:tcp|udp|sctp|ddp)$|^(?:u?int|float|complex)(?:8|16|32|64|128)?$|^[iuf](?:8|16|32|64|128|size)$/i;

function acceptValue(v: string): boolean {
  if (isPlaceholder(v) || /^[$%=:<>|&?+!*[{(@#-]/.test(v) || looksLikePath(v)) return false;
  if (/^(?:true|false|yes|no|on|off|none|null|required|optional|disabled|enabled|prompt|ask|file|env)$/i.test(v)) return false;
  if (looksLikeCode(v) || /^v?\d+(?:\.\d+)+/.test(v) || ADDRESS_OR_TYPE.test(v)) return false; // code, a version
  // A digit, or a symbol inside the word (not a sentence's closing `.`), or a random look.
  const word = v.replace(/[.,!?)]+$/, '');
  return /[A-Za-z]/.test(word) && (/\d/.test(word) || /[^\w]/.test(word) || looksRandom(word));
}

function directiveAt(text: string, at: number, hits: Hit[], inCode: boolean): void {
  LINE.lastIndex = at;
  const m = LINE.exec(text);
  // A backtick after a line's directive is a Go struct tag (`Token int64 \`json:"token"\``), not inline code's end.
  if (!m || (!inCode && text[m.index + m[0].length] === '`') || !secretName(m[1]) || !acceptValue(m[3])) return;
  const [s, e] = m.indices![3];
  hits.push({ rule: 'env', start: s, end: e, rank: rank.name });
}

export function findBlankDirectives(text: string): Hit[] {
  const hits: Hit[] = [];
  eachDirectiveStart(text, (at, inCode) => directiveAt(text, at, hits, inCode));
  return hits;
}
