import { B, E, type Hit, type ShapeRule, rank } from './types';
import { isPlaceholder, looksRandom } from './values';
import { prefixedRule } from './prefixedTokens';
import { vendorRules } from './vendorTokens';

/**
 * Our own token-shape rules: only what the secretlint recommend preset misses (see
 * `secretlint.ts` for what it covers). Every regex is linear on hostile input: each starts with
 * a literal and a look-behind that lets a run of token characters be entered only once, and
 * every repetition is either bounded or followed by a single fixed character.
 */

export const shapeRules: readonly ShapeRule[] = [
  {
    // Google API keys. The preset has no rule for them.
    rule: 'gcp',
    probe: 'AIza',
    re: new RegExp(`${B}AIza[0-9A-Za-z_-]{35}${E}`, 'g'),
  },
  {
    // GCP service-account JSON. The preset's GCP rule only fires when the WHOLE input is a
    // `.json` file (and then flags all of it); the key body is caught by privateKey.ts.
    rule: 'gcp',
    probe: 'private_key_id',
    re: /\\?"private_key_id\\?"\s{0,8}:\s{0,8}\\?"([0-9a-f]{40})\\?"/dg,
    group: 1,
  },
  {
    // GitLab personal/deploy/runner/CI/OAuth tokens (optionally `.01.`-style routable suffix).
    rule: 'gitlab',
    probe: /gl(?:pat|dt|rt|ptt|cbt|oas|soat|ffct|imt|agent)-|GR1348941/,
    re: new RegExp(`${B}(?:gl(?:pat|dt|rt|ptt|cbt|oas|soat|ffct|imt|agent)-|GR1348941)[A-Za-z0-9_-]{20,}(?:\\.[A-Za-z0-9_-]+)*`, 'g'),
  },
  {
    // Slack: the preset covers xoxb/xoxp/xoxa/xoxo/xoxr/xapp and /services/ webhooks, not
    // xoxs (session), xoxe (refresh/config) tokens or workflow/trigger webhooks.
    rule: 'slack',
    probe: /xox[se][.-]|hooks\.slack\.com\/(?:workflows|triggers)\//,
    re: new RegExp(`${B}xox[se](?:\\.xox[a-z])?-[A-Za-z0-9-]{10,}|https://hooks\\.slack\\.com/(?:workflows|triggers)/[A-Za-z0-9/_-]+`, 'g'),
  },
  {
    // Anthropic: the preset only knows `sk-ant-api0N-` + 90..128 chars + `AA`; admin keys
    // (`sk-ant-admin01-`), OAuth tokens (`sk-ant-oat01-`) and shortened keys slip through.
    rule: 'anthropic',
    probe: 'sk-ant-',
    re: new RegExp(`${B}sk-ant-[a-z]{2,8}\\d{2}-[A-Za-z0-9_-]{16,}`, 'g'),
  },
  {
    // OpenAI: the preset requires the `T3BlbkFJ` marker inside the key, so keys quoted in
    // part, newer formats and most test fixtures are missed. We require a random-looking body
    // so that words like `sk-learn-compatible` stay intact.
    rule: 'openai',
    probe: 'sk-',
    re: new RegExp(`${B}sk-(?:(?:proj|svcacct|admin|None)-)?[A-Za-z0-9_-]{20,}`, 'g'),
    // Also 32–64 lower-case hex (DeepSeek and other OpenAI-compatible APIs): hex with letters and digits.
    accept: (v) =>
      !v.startsWith('sk-ant-') &&
      /\d/.test(v) &&
      /[a-z]/.test(v) &&
      (/[A-Z]/.test(v) || (/^sk-[0-9a-f]{32,64}$/.test(v) && /[a-f]/.test(v))),
  },
  {
    // SendGrid: the preset allows `-` nowhere in the first part and only once in the second,
    // but keys are `SG.` + 22 + `.` + 43 base64url characters.
    rule: 'sendgrid',
    probe: 'SG.',
    re: new RegExp(`${B}SG\\.[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43}${E}`, 'g'),
  },
  {
    // Stripe secret/restricted keys. Not in the preset.
    rule: 'stripe',
    probe: /[sr]k_(?:live|test)_/,
    re: new RegExp(`${B}[sr]k_(?:live|test)_[A-Za-z0-9]{20,}${E}`, 'g'),
  },
  {
    // Hugging Face access tokens. Not in the preset. Mixed case required: `hf_` also starts
    // ordinary identifiers.
    rule: 'huggingface',
    probe: 'hf_',
    re: new RegExp(`${B}hf_[A-Za-z0-9]{30,}${E}`, 'g'),
    accept: (v) => /[a-z]/.test(v) && /[A-Z]/.test(v),
  },
  {
    // JSON Web Tokens: header and payload are base64url JSON objects (`eyJ` = `{"`). No rule
    // in the preset. The signature may be empty (`alg: none`) and is still a bearer credential.
    rule: 'jwt',
    probe: 'eyJ',
    re: new RegExp(`${B}eyJ[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]*`, 'g'),
  },
  {
    // `scheme://user:password@host`. The preset only checks http(s)/ftp with `[-\w]` user and
    // password, and mongodb/mysql/postgres; redis://:pw@, amqp://, passwords with `!`/`%`/`@`,
    // etc. are missed. Only the userinfo is redacted; scheme and host stay readable. The
    // password may contain `@` (the last `@` before the path ends it). A long random user with no
    // password is a token too (`https://<token>@github.com/acme/app.git`).
    rule: 'url-credentials',
    probe: '://',
    re: /:\/\/([^\s:/?#@[\]"'<>`]{0,256}(?::[^\s/?[\]"'<>`]{1,512})?)@/dg, // `#` allowed: unencoded in pasted passwords
    group: 1,
    accept: (v) => {
      // A token alone as the user (`https://<token>@github.com/…`) when it is long and random;
      // 32 hex is a Sentry DSN key (its own rule labels it).
      if (!v.includes(':')) return v.length >= 20 && looksRandom(v) && !/^[0-9a-f]{32}$/.test(v);
      const password = v.slice(v.indexOf(':') + 1);
      return password.length > 0 && !isPlaceholder(password);
    },
  },
  {
    // `Authorization: Bearer …` / `Basic …` / `token …` headers and bare `Bearer …` tokens in
    // logs and curl commands. Name-based, so it ranks below shape rules (a ghp_/JWT value keeps
    // its own label).
    rule: 'auth-header',
    probe: /uthorization|UTHORIZATION|Bearer/,
    re: /(?:\b(?:Proxy-)?Authorization["']?[ \t]{0,4}[:=][ \t]{0,4}["']?(?:(?:Bearer|Basic|Token|token|Bot|Negotiate|NTLM|Api-?Key|Key|SSWS|OAuth|GenieKey|DeepL-Auth-Key|sso-key)[ \t]{1,4})?|\bBearer[ \t]{1,4})([A-Za-z0-9._~+/=!#$%*@^-]{7,4095}[A-Za-z0-9_~+/=!#$%*@^-])/dgi, // not a sentence's final `.`
    group: 1,
    accept: (v) => looksRandom(v),
    rank: rank.name,
  },
];

function probeMatches(text: string, probe: string | RegExp): boolean {
  return typeof probe === 'string' ? text.includes(probe) : probe.test(text);
}

const sticky = new WeakMap<RegExp, RegExp>();

/**
 * The matches of a rule with `anchors`: the same as `re`'s global scan (leftmost first, each
 * search going on after the previous match), tried only where an anchor puts a match's start.
 */
function* anchoredMatches(text: string, r: ShapeRule): Generator<RegExpExecArray> {
  let re = sticky.get(r.re);
  if (!re) sticky.set(r.re, (re = new RegExp(r.re.source, `${r.re.flags.replace('g', '')}y`)));
  const starts: number[] = [];
  for (const a of r.anchors ?? []) {
    for (let p = text.indexOf(a.literal); p >= 0; p = text.indexOf(a.literal, p + 1)) if (p - a.offset >= 0) starts.push(p - a.offset);
  }
  starts.sort((x, y) => x - y);
  let after = 0;
  for (const s of starts) {
    if (s < after) continue;
    re.lastIndex = s;
    const m = re.exec(text);
    if (m) {
      after = s + Math.max(1, m[0].length);
      yield m;
    }
  }
}

function* matches(text: string, r: ShapeRule): Generator<RegExpExecArray> {
  if (r.anchors) {
    yield* anchoredMatches(text, r);
    return;
  }
  r.re.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = r.re.exec(text)) !== null) yield m;
}

/** Runs every shape rule over `text` (`anchors: false`: plain global scans, for tests). */
export function findShapes(text: string, opts: { anchors?: boolean } = {}): Hit[] {
  const hits: Hit[] = [];
  for (const r of [...shapeRules, ...vendorRules, prefixedRule]) {
    if (!probeMatches(text, r.probe)) continue;
    for (const m of matches(text, opts.anchors === false ? { ...r, anchors: undefined } : r)) {
      const g = r.group ?? 0;
      const value = m[g];
      const span = g === 0 ? [m.index, m.index + m[0].length] : m.indices?.[g];
      if (value === undefined || !span || (r.accept && !r.accept(value))) continue;
      const rule = r.label ? r.label(m) : r.rule;
      if (rule === undefined) continue;
      hits.push({ rule, start: span[0], end: span[1], rank: r.rank ?? rank.shape });
    }
  }
  return hits;
}
