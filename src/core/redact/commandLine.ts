import { type Hit, rank } from './types';
import { logicalLine } from './shellLines';
import { dottedLiteral, isPlaceholder, looksLikeCode, looksLikePath, looksRandom } from './values';

/**
 * Passwords and tokens passed on a command line: long flags (`--password X`, `--password=X`,
 * `--api-key X`, `-storepass X`), the short flags of known tools (`mysql -pX`, `docker login -p X`,
 * `twine -p X`, `sshpass -p X`, `redis-cli -a X`, `sqlcmd -P X`, `ldapsearch -w X`, `zip -P X`),
 * `user:password` arguments (`curl -u`, `httpie -a`, `smbclient -U user%pw`, `lftp -u user,pw`),
 * positional credentials of known tools (`sqlplus user/pw@db`, `htpasswd -b file user pw`,
 * `mysqladmin password X`, `rabbitmqctl add_user u pw`, `net user u pw`, `vault login TOKEN`,
 * `aws|npm|yarn|git config set <secret name> X`, `kubectl create secret --from-literal=k=X`,
 * `gh secret set X --body V`, `doctl auth init -t X`, `psexec -p X`, `schtasks /rp X`, `net use … X /user:u`, `ngrok authtoken X`,
 * secret stores (`az keyvault secret set --value X`, `aws secretsmanager … --secret-string X`, SecureString `ssm put-parameter`,
 * `fly|doppler secrets set NAME=X`, `dotnet user-secrets set NAME X`, `wrangler secret put NAME <<< X`), CI masking commands `::add-mask::X`,
 * `##vso[task.setvariable …;issecret=true]X`, `ConvertTo-SecureString "X" -AsPlainText`) and secrets piped into `--password-stdin` / `sudo -S` / `chpasswd`.
 *
 * Each command is looked at one logical line at a time (a shell line, with its `\` continuations:
 * shellLines.ts); scans are bounded per line, so hostile input stays linear.
 */

const SECRET_FLAG =
  /(?<![\w-])--?(?:[a-z0-9]+[-_])*(?:password|passwd|passphrase|pass|pwd|token|secret|api-?key|apikey|access-?key|secret-?key|private-?key|(?:account|storage|shared|license|master|encryption|signing|subscription|app)-?key|auth-?token|auth-?key|client-?secret|storepass|keypass|srcstorepass|deststorepass|srckeypass|destkeypass|http-password|ftp-password|vault-password)(?=[= \t])(?:=|[ \t]+)/gi;
/** Names a secret flag may end in that take a file or mode, not the secret. */
const NOT_VALUE_FLAG =
  /(?:file|path|stdin|env|command|cmd|type|length|prompt|helper|id|name|url|endpoint|policy|auth-type|ttl|expiry|expires?|scope|scopes|header)(?=[= \t])/i;

/** Known tools and the short flags that take their password (attached or as the next word). */
const SHORT_FLAGS: { tools: RegExp; flags: RegExp }[] = [
  // mysql-family `-pSECRET` (attached only: `-p name` means "prompt, then use database name").
  {
    tools: /\b(?:mysql|mysqldump|mysqladmin|mysqlimport|mysqlshow|mysqlcheck|mysqlpump|mysqlsh|mariadb(?:-dump|-admin)?)\b/,
    flags: /(?<=[ \t])-p([^\s-][^\s]{0,255})/g,
  },
  { tools: /\b(?:docker|podman|buildah|skopeo|helm|oras|crane|nerdctl)\b[^\n]{0,200}\blogin\b/, flags: /(?<=[ \t])-p[ \t]+(\S{1,512})/g },
  {
    tools: /\b(?:twine|sshpass|rdesktop|ncftp|az|influx|mongo|mongosh|mongodump|mongorestore|mongoexport|mongoimport)\b/,
    flags: /(?<=[ \t])-p[ \t]*(\S{1,512})/g,
  },
  { tools: /\bredis-cli\b/, flags: /(?<=[ \t])-a[ \t]+(\S{1,512})/g },
  { tools: /\b(?:sqlcmd|bcp|isql|osql|zip|unzip|7z|7za|rar|unrar|ssh-keygen)\b/, flags: /(?<=[ \t])-[PpN][ \t]*(\S{1,512})/g },
  { tools: /\b(?:ldapsearch|ldapadd|ldapmodify|ldapdelete|ldappasswd|ldapwhoami)\b/, flags: /(?<=[ \t])-[wsa][ \t]+(\S{1,512})/g },
  { tools: /\b(?:openssl)\b/, flags: /(?<=[ \t])-(?:passin|passout|pass|k)[ \t]+(?:pass:)?(\S{1,512})/g },
  { tools: /\bxfreerdp\b/, flags: /(?<=[ \t])\/p:(\S{1,512})/g },
  { tools: /\b(?:doctl|codecov)\b/, flags: /(?<=[ \t])-t[ \t]+(\S{1,512})/g },
  // Windows remote execution and scheduled tasks: `psexec \\srv -u admin -p …`, `schtasks /create … /rp …`.
  { tools: /\bpsexec(?:64)?\b/i, flags: /(?<=[ \t])[-/]p[ \t]+(\S{1,512})/g },
  { tools: /\bschtasks\b/i, flags: /(?<=[ \t])\/rp[ \t]+(\S{1,512})/gi },
];

/** `user:password` style arguments. */
const USER_PASS: { tools: RegExp; flags: RegExp }[] = [
  {
    tools: /\b(?:curl|http|https|xh|wget|ab|hey|siege)\b/,
    flags: /(?<=[ \t])(?:-u|--user|-a|--auth|--proxy-user|-U)[ \t=]+["']?[^\s:"']{0,128}:([^\s"']{1,512})/g,
  },
  {
    tools: /\b(?:smbclient|rpcclient|smbmap|crackmapexec|netexec|nxc)\b/,
    flags: /(?<=[ \t])(?:-U|--user)[ \t=]+["']?[^\s%"']{1,128}%([^\s"']{1,512})/g,
  },
  { tools: /\blftp\b/, flags: /(?<=[ \t])-u[ \t]+["']?[^\s,"']{1,128},([^\s"']{1,512})/g },
];

/** Positional credentials: the regex's group 1 is the secret. */
const POSITIONAL: RegExp[] = [
  /\bsqlplus[ \t]+(?:-[sSLlR][ \t]+)*["']?[\w$#.-]{1,64}\/([^\s@"']{1,256})/dg,
  /\bhtpasswd[ \t]+-\w*b\w*[ \t]+(?:-\w+[ \t]+)*\S+[ \t]+\S+[ \t]+(\S{1,512})/dg,
  /\bmysqladmin\b[^\n]{0,400}?[ \t]password[ \t]+(\S{1,512})/dg,
  /\brabbitmqctl[ \t]+(?:add_user|change_password)[ \t]+\S+[ \t]+(\S{1,512})/dg,
  /\bnet[ \t]+user[ \t]+\S+[ \t]+(?!\/)(\S{1,512})/dgi,
  // `net use Z: \\srv\share <password> /user:u` or `… /user:corp\u <password>`.
  /\bnet[ \t]+use\b[^\n]{0,300}?(?:\\\\\S{1,256}|\/user:\S{1,128})[ \t]+(?!\/|\*(?![^\s"'\\]))([^\s"'\\]{1,512})/dgi,
  // Tools that take their account's token as a word: `ngrok config add-authtoken …`, `snyk auth …`.
  /\b(?:ngrok[ \t]+(?:config[ \t]+add-authtoken|authtoken)|snyk[ \t]+auth)[ \t]+(?!-)(\S{8,512})/dg,
  // Secret stores: the value written is the secret whatever its name.
  /\baz[ \t]+keyvault[ \t]+secret[ \t]+set\b[^\n]{0,400}?[ \t]--value[ \t=]+(\S{1,512})/dg,
  /\baws[ \t]+secretsmanager[ \t]+(?:create-secret|put-secret-value|update-secret)\b[^\n]{0,400}?[ \t]--secret-string[ \t=]+(\S{1,512})/dg,
  /\baws[ \t]+ssm[ \t]+put-parameter\b(?=[^\n]{0,600}SecureString)[^\n]{0,400}?[ \t]--value[ \t=]+(\S{1,512})/dg,
  /\buser-secrets[ \t]+set[ \t]+(?:"[^"\n]{1,128}"|\S{1,128})[ \t]+(\S{1,512})/dg,
  /\b(?:secrets?[ \t]+(?:put|set)|env[ \t]+add)\b[^\n]{0,300}?<<<[ \t]*(\S{1,512})/dg,
  /\bvault[ \t]+login[ \t]+(?:-\S+[ \t]+)*(?!-)(\S{8,512})/dg,
  /\b(?:aws|npm|pnpm|yarn|pip|pip3|poetry|composer|gcloud)[ \t]+config(?:ure)?[ \t]+set[ \t]+\S*(?:password|passwd|token|secret|_auth|auth-token|key)\S*[ \t]+(\S{1,512})/dgi,
  /\bgit[ \t]+config[ \t]+(?:--\w+[ \t]+)*\S*(?:password|token|secret|extraheader)\S*[ \t]+(\S{1,512})/dgi,
  /\bkubectl[ \t]+create[ \t]+secret\b[^\n]{0,400}?--from-literal[= ][^=\s]{1,128}=(\S{1,512})/dg,
  /\bgh[ \t]+secret[ \t]+set\b[^\n]{0,200}?(?:--body[ \t=]+|-b[ \t=]*)(\S{1,512})/dg,
  // PowerShell: a plain-text string made a SecureString is a password written in the script.
  /\bConvertTo-SecureString[ \t]+(?:-String[ \t]+)?["']([^"'\n]{1,512})["'][^\n|]{0,60}?-AsPlainText/dgi,
  /\bpoetry[ \t]+config[ \t]+(?:http-basic|pypi-token)\.\S+[ \t]+(?:\S+[ \t]+)?(\S{1,512})[ \t]*$/dgm,
  // CI masking commands: the value is a secret by definition (GitHub Actions, Azure Pipelines).
  /::add-mask::([^\s"'\\]{1,512})/dg,
  /##vso\[task\.setvariable\b[^\]\n]{0,256}\bissecret=true\b[^\]\n]{0,256}\]([^\s"'\\]{1,512})/dgi,
  // Windows `setx NAME value` (no `=`, so the assignment rule does not see it).
  /\bsetx[ \t]+\S*(?:pass|pwd|token|secret|key)\S*[ \t]+["']?([^\s"']{1,512})/dgi,
];

/** `fly secrets set A=… B=…`, `doppler secrets set A=…`: every value after a secret store's `set`. */
const SECRETS_SET = /\bsecrets?[ \t]+(?:set|import)\b/g;
const SET_WORD = /[ \t]+(?:-{1,2}[\w-]{1,64}|[A-Za-z_][\w.:-]{0,127}=(["']?)([^\s"'\\]{1,512})\1|\S{1,512})/dy;

function secretsSetPairs(text: string, lineStart: number, line: string, hits: Hit[]): void {
  SECRETS_SET.lastIndex = 0;
  while (SECRETS_SET.exec(line) !== null) {
    SET_WORD.lastIndex = SECRETS_SET.lastIndex;
    let w: RegExpExecArray | null;
    for (let n = 0; n < 64 && (w = SET_WORD.exec(line)) !== null; n++) if (w[2]) pushValue(hits, text, lineStart + w.indices![2][0], w[2]);
    SECRETS_SET.lastIndex = Math.max(SECRETS_SET.lastIndex, SET_WORD.lastIndex);
  }
}

/** `--auth TOKEN` (netlify, httpie): the value must look random (`--auth basic` is a mode). */
const AUTH_FLAG = /(?<![\w-])--auth(?:=|[ \t]+)["']?([^\s"']{8,512})/dg;
/** `curl -b 'sid=…; theme=dark'`: cookie values that look random or whose name says session/token. */
const CURL_COOKIE = /\bcurl\b[^\n]{0,400}?[ \t](?:-b|--cookie)[ \t=]+(["']?)([^"'\n]{3,2048})\1/dg;
const COOKIE_PAIR = /(?:^|;[ \t]*)([\w.$!#%&*+^`|~-]{1,128})=([^;\s]{8,4096})/dg;

/** A secret echoed into a tool that reads it from stdin. */
const PIPED =
  /\b(?:echo|printf)[ \t]+(?:-[neE]+[ \t]+)?(?:'%s\\?n?'[ \t]+)?(["']?)([^\s"'|]{1,512})\1[ \t]*\|[ \t]*(?:sudo[ \t]+)?(?:\S+[ \t]+){0,6}?(?:[^\n|]*--password-stdin|sudo[ \t]+-S|chpasswd|passwd[ \t]+--stdin|[^\n|]*--token-stdin)/dg;

/**
 * A value that starts with `-` is the next option (`--password --verbose`, `-Xmx512m`, `-Dkey=value`) unless it looks
 * random: 16+ characters mixing upper case, lower case and digits (a generated token can start with `-`).
 */
function randomAfterDash(v: string): boolean {
  return v.length >= 16 && /\d/.test(v) && /[A-Z]/.test(v) && /[a-z]/.test(v) && !/^-{1,2}[a-z][a-z-]*$|^-{1,2}[A-Za-z][\w.-]*=/.test(v);
}

function acceptValue(raw: string): string | undefined {
  const v = raw.replace(/^["']|["';,)]+$/g, '');
  if (v.length < 3 || isPlaceholder(v) || (v.startsWith('-') && !randomAfterDash(v))) return undefined;
  // An argument is a literal: a dotted one mixing cases and digits is a password, not an attribute path.
  if (looksLikePath(v) || (looksLikeCode(v) && !dottedLiteral(v))) return undefined;
  if (/^\*+$|^(?:true|false|yes|no|none|null|prompt|ask|stdin)$/i.test(v)) return undefined;
  return v;
}

function pushValue(hits: Hit[], text: string, start: number, raw: string): void {
  const v = acceptValue(raw);
  if (!v) return;
  const at = text.indexOf(v, start);
  if (at >= 0 && at - start <= 2) hits.push({ rule: 'cli-password', start: at, end: at + v.length, rank: rank.name });
}

/** Value after a secret flag: a quoted string or one word. */
function flagValue(line: string, at: number): string | undefined {
  const q = line[at];
  if (q === '"' || q === "'") {
    const close = line.indexOf(q, at + 1);
    return close > at + 1 ? line.slice(at + 1, close) : undefined;
  }
  return /^\S{1,512}/.exec(line.slice(at, at + 512))?.[0];
}

function scanLine(text: string, lineStart: number, line: string, hits: Hit[]): void {
  SECRET_FLAG.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = SECRET_FLAG.exec(line)) !== null) {
    if (NOT_VALUE_FLAG.test(m[0].trimEnd().replace(/=$/, ''))) continue;
    const at = m.index + m[0].length;
    const value = flagValue(line, at);
    if (value !== undefined) pushValue(hits, text, lineStart + at + (/^["']/.test(line[at]) ? 1 : 0), value);
  }
  for (const spec of [...SHORT_FLAGS, ...USER_PASS]) {
    if (!spec.tools.test(line)) continue;
    spec.flags.lastIndex = 0;
    while ((m = spec.flags.exec(line)) !== null) {
      const inner = m[0].lastIndexOf(m[1]);
      pushValue(hits, text, lineStart + m.index + inner, m[1]);
    }
  }
  secretsSetPairs(text, lineStart, line, hits);
  AUTH_FLAG.lastIndex = 0;
  while ((m = AUTH_FLAG.exec(line)) !== null) if (looksRandom(m[1])) pushValue(hits, text, lineStart + m.indices![1][0], m[1]);
  CURL_COOKIE.lastIndex = 0;
  while ((m = CURL_COOKIE.exec(line)) !== null) {
    const base = lineStart + m.indices![2][0];
    COOKIE_PAIR.lastIndex = 0;
    let p: RegExpExecArray | null;
    while ((p = COOKIE_PAIR.exec(m[2])) !== null) {
      if (looksRandom(p[2]) || /sess|sid|auth|token|jwt|remember|login|secret|key/i.test(p[1])) {
        pushValue(hits, text, base + p.indices![2][0], p[2]);
      }
    }
  }
  for (const re of [...POSITIONAL, PIPED]) {
    re.lastIndex = 0;
    while ((m = re.exec(line)) !== null) {
      const g = re === PIPED ? 2 : 1;
      const span = m.indices?.[g];
      if (span) pushValue(hits, text, lineStart + span[0], m[g]);
      if (m[0].length === 0) re.lastIndex++;
    }
  }
}

const PROBE =
  /--?[a-z-]{0,40}(?:pass|pwd|token|secret|key)|(?:^|[ \t])-[pPaNwU][ \t\S]|add-mask|issecret|doctl|securestring|sqlplus|htpasswd|rabbitmqctl|net[ \t]+user|vault[ \t]+login|config|from-literal|secrets?[ \t]+set|-stdin|sudo[ \t]+-S|chpasswd|\/p:|[ \t]--?(?:u|user|a|auth|U|proxy-user|b|cookie)[ \t=]|setx|psexec|schtasks|net[ \t]+use|ngrok|snyk|codecov|put-parameter|<<</im;

/**
 * What a line must hold for any rule above to match in it (a superset, per line): a secret flag's
 * name (any case), or the name of a tool or command the other rules start from. Only the lines it
 * finds are scanned; trailing word boundaries are left out, so a line clipped at 8 K still counts.
 */
const LINE_WORDS_ANY_CASE = /pass|pwd|token|secret|key|config|net[ \t]+use/gi;
const LINE_TOOLS = new RegExp(
  `\\b(?:${[
    // SHORT_FLAGS and USER_PASS tools (prefixes: mysql covers mysqldump, mongo mongosh, ldap ldapsearch…)
    'mysql',
    'mariadb',
    'docker',
    'podman',
    'buildah',
    'skopeo',
    'helm',
    'oras',
    'crane',
    'nerdctl',
    'twine',
    'sshpass',
    'rdesktop',
    'ncftp',
    'az',
    'influx',
    'mongo',
    'redis-cli',
    'sqlcmd',
    'bcp',
    'isql',
    'osql',
    'zip',
    'unzip',
    '7z',
    'rar',
    'unrar',
    'ssh-keygen',
    'ldap',
    'openssl',
    'xfreerdp',
    'doctl',
    'codecov',
    'psexec',
    'PsExec',
    'PSEXEC',
    'schtasks',
    'SCHTASKS',
    'ngrok',
    'snyk',
    'ssm',
    'vercel',
    'add-mask', // CI masking commands (POSITIONAL): here, not among the any-case words, where an `a`/`i` start costs every position a try
    'issecret',
    'isSecret',
    'ConvertTo-SecureString',
    'curl',
    'http',
    'xh',
    'wget',
    'ab',
    'hey',
    'siege',
    'smbclient',
    'rpcclient',
    'smbmap',
    'crackmapexec',
    'netexec',
    'nxc',
    'lftp',
    'netlify', // --auth (AUTH_FLAG; httpie is `http`, above)
    // POSITIONAL (the `i` ones need `config` or `net user`, in LINE_WORDS_ANY_CASE) and PIPED
    'sqlplus',
    'htpasswd',
    'rabbitmqctl',
    'vault',
    'kubectl',
    'gh',
    'poetry',
    'echo',
    'printf',
  ].join('|')})`,
  'g',
);

/** Start offsets of the lines in which `re` (global) matches. */
function linesMatching(text: string, re: RegExp, into: Set<number>): void {
  re.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    const start = text.lastIndexOf('\n', m.index - 1) + 1;
    into.add(start);
    const nl = text.indexOf('\n', m.index);
    if (nl < 0) break;
    re.lastIndex = nl + 1; // one look per line is enough
  }
}

export function findCommandLineSecrets(text: string): Hit[] {
  if (!PROBE.test(text)) return [];
  const hits: Hit[] = [];
  const starts = new Set<number>();
  linesMatching(text, LINE_WORDS_ANY_CASE, starts);
  linesMatching(text, LINE_TOOLS, starts);
  let done = -1;
  for (const start of [...starts].sort((a, b) => a - b)) {
    if (start <= done) continue; // in a logical line already scanned
    // Lines longer than a shell line are clipped: flags beyond 8 K characters are not looked at.
    const g = logicalLine(text, start);
    if (g.line.length > 2) scanLine(text, g.start, g.line, hits);
    done = g.end;
  }
  return hits;
}

/** The same scan over every line, without the line pre-filter (tests check both agree). */
export function findCommandLineSecretsEveryLine(text: string): Hit[] {
  if (!PROBE.test(text)) return [];
  const hits: Hit[] = [];
  let start = 0;
  let done = -1;
  while (start <= text.length) {
    const nl = text.indexOf('\n', start);
    if (start > done) {
      const g = logicalLine(text, start);
      if (g.line.length > 2) scanLine(text, g.start, g.line, hits);
      done = g.end;
    }
    if (nl < 0) break;
    start = nl + 1;
  }
  return hits;
}
