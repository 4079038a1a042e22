import { secretEnvName } from './envSetters';
import { type Hit, rank } from './types';
import { isPlaceholder, looksLikeCode, looksLikePath, looksLikeProse, looksRandom } from './values';

/**
 * A secret written into code as the fallback of a lookup by the secret's name, so the name and the value sit on
 * either side of a call or an operator rather than an assignment: `os.getenv("API_KEY", "…")`,
 * `ENV.fetch("DB_PASSWORD", "…")`, `System.getProperty("db.password", "…")`, `settings.get("token", "…")`, and
 * `process.env.TOKEN || "…"`, `os.environ.get("API_KEY") or "…"`, `getenv('API_TOKEN') ?: '…'`,
 * `config.get('apiKey') ?? '…'`. The value counts when it looks like a password (8+ characters, a letter and a digit,
 * or random-looking), not a placeholder, path, URL, sentence or code; `getenv("API_KEY", "dev")` stays.
 *
 * Calls are found by a regex that starts at a literal `(`; operators by indexOf, the name before one read backwards
 * (at most 110 characters). Every repetition is bounded.
 */
const NAME_THEN_DEFAULT = /\([ \t]{0,4}(["'])([\w.:-]{1,96})\1[ \t]{0,4},[ \t]{0,16}(["'`])([^"'`\n]{8,512})\3[ \t]{0,4}[),]/dg;
const OPERATORS = ['||', '??', ' or ', '?:'];
const AFTER = /[ \t]{0,4}(["'`])([^"'`\n]{8,512})\1/y;

/** The name ending just before `p` (blanks, up to two `)`/`]` and a quote skipped): `TOKEN` in `env.TOKEN ||`, `API_KEY` in `get("API_KEY") or`. */
function nameBefore(text: string, p: number): string {
  let j = p;
  while (j > 0 && p - j < 8 && (text[j - 1] === ' ' || text[j - 1] === '\t')) j--;
  for (let k = 0; k < 2 && (text[j - 1] === ')' || text[j - 1] === ']'); k++) j--;
  if (text[j - 1] === '"' || text[j - 1] === "'" || text[j - 1] === '`') j--;
  let i = j;
  while (i > 0 && j - i < 97 && /[\w-]/.test(text[i - 1])) i--;
  return text.slice(i, j);
}

function passwordLike(v: string): boolean {
  if (/\s/.test(v) || isPlaceholder(v) || looksLikePath(v) || looksLikeProse(v) || v.includes('://') || looksLikeCode(v)) return false;
  // A development default made of words (`dev-key-123`, `change_me_2`, `test-secret`) is a placeholder, not a secret.
  if (
    /^(?:[a-z]+|\d+)(?:[-_.](?:[a-z]+|\d+))+$/.test(v) ||
    /(?:^|[-_.])(?:dev|test|default|fake|local)(?:$|[-_.\d])|change[-_]?me|dummy|example|sample|placeholder/i.test(v)
  )
    return false;
  return looksRandom(v) || (/\d/.test(v) && /[A-Za-z]/.test(v));
}

const push = (hits: Hit[], start: number, end: number) => hits.push({ rule: 'env', start, end, rank: rank.name });

export function findFallbackSecrets(text: string): Hit[] {
  const hits: Hit[] = [];
  NAME_THEN_DEFAULT.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = NAME_THEN_DEFAULT.exec(text)) !== null) {
    if (secretEnvName(m[2]) && passwordLike(m[4])) push(hits, m.indices![4][0], m.indices![4][1]);
    NAME_THEN_DEFAULT.lastIndex = m.indices![3][0]; // the default's quote may open the next call's first string
  }
  for (const op of OPERATORS) {
    for (let p = text.indexOf(op); p >= 0; p = text.indexOf(op, p + op.length)) {
      const name = nameBefore(text, p);
      if (!name || !secretEnvName(name)) continue;
      AFTER.lastIndex = p + op.length;
      const v = AFTER.exec(text);
      if (v && passwordLike(v[2])) push(hits, v.index + v[0].indexOf(v[1]) + 1, v.index + v[0].length - 1);
    }
  }
  return hits;
}
