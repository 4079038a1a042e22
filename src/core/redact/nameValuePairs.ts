import { type Hit, rank } from './types';
import { endsInSecretWord, isPlaceholder } from './values';

/**
 * Settings written as a name/value pair, where the secret's name is itself a value: Kubernetes and
 * Compose `env` lists (`- name: API_KEY` / `  value: "…"`), ECS task definitions and Azure app settings
 * (`{"name": "DB_PASSWORD", "value": "…"}`), Postman variables (`{"key": "token", "value": "…"}`),
 * CloudFormation parameters (`{"ParameterKey": "DBPassword", "ParameterValue": "…"}`), multipart form fields
 * (`Content-Disposition: form-data; name="password"`, a blank line, the value), Composer tokens keyed by host
 * (`{"github-oauth": {"github.com": "…"}}`), and a Kubernetes `env` list flattened onto one line. The value is
 * redacted when the name ends in a secret word. Every repetition is bounded.
 */
const JSON_PAIR =
  /"(?:name|key|Name|Key|ParameterKey|parameterKey|variable|Variable)"[ \t]{0,8}:[ \t]{0,8}"([\w.:-]{1,128})"[ \t]{0,8},[ \t\r\n+>-]{0,24}"(?:value|Value|ParameterValue|parameterValue|secretValue)"[ \t]{0,8}:[ \t]{0,8}"([^"\n]{1,4096})"/dg;
/**
 * YAML: `- name: X` then, on the next line, `value: …` (a diff's `+`, a quote's `>` before either). The `-`
 * comes first and the line's start is checked behind it: a look-behind first would run at every position.
 */
const YAML_PAIR =
  /-(?<=^[ \t>]{0,16}[+-]?[ \t>]{0,16}-)[ \t]{1,8}name:[ \t]{0,8}(["']?)([\w.:-]{1,128})\1[ \t]*\r?\n[ \t>]{0,16}[+-]?[ \t>]{0,32}value:[ \t]{0,8}(["']?)([^\n"']{1,4096}?)\3[ \t]*\r?$/dgm;

/** The same list flattened onto one line (inline code, a chat message): `- name: TOKEN value: …`. */
const FLAT_YAML_PAIR = /name:[ \t]{0,8}(["']?)([\w.:-]{1,128})\1[ \t]{1,8}value:[ \t]{0,8}(["']?)([^\s"'`,{}]{1,4096})\3/dg;

/** A multipart form field (an HTTP request dump): its name in the part's header, its value after the blank line. */
const MULTIPART =
  /Content-Disposition:[ \t]*form-data;[ \t]*name="([\w.[\]-]{1,128})"[^\n]{0,200}\n(?:[+> \t]{0,4}[\w-]{1,64}:[^\n]{0,200}\n){0,4}[+> \t]{0,4}\r?\n[+> \t]{0,4}([^\r\n]{1,4096})/dgi;

/**
 * Composer's auth.json: tokens keyed by host under a credential section
 * (`{"github-oauth": {"github.com": "…"}}`, `"gitlab-token"`, `"bearer"`).
 */
const BY_HOST = /"(?:github-oauth|gitlab-oauth|gitlab-token|bearer)"[ \t\r\n]{0,16}:[ \t\r\n]{0,16}\{([^{}]{1,4096})\}/dg;
/** A host name as the key (`"github.com"`; an OpenAPI `"bearer": {"scheme": …}` has none), one word as the token. */
const HOST_TOKEN = /"[\w-]{1,63}(?:\.[\w-]{1,63}){1,8}"[ \t\r\n]{0,16}:[ \t\r\n]{0,16}"([^"\s]{8,4096})"/dg;

function acceptValue(v: string): boolean {
  return v.length >= 3 && !isPlaceholder(v) && !/^(?:\d{1,7}|true|false|null|none|yes|no)$/i.test(v);
}

export function findNameValuePairs(text: string): Hit[] {
  const hits: Hit[] = [];
  let m: RegExpExecArray | null;
  if (/"(?:value|Value|ParameterValue|parameterValue|secretValue)"/.test(text)) {
    JSON_PAIR.lastIndex = 0;
    while ((m = JSON_PAIR.exec(text)) !== null) {
      if (endsInSecretWord(m[1]) && acceptValue(m[2]))
        hits.push({ rule: 'env', start: m.indices![2][0], end: m.indices![2][1], rank: rank.name });
    }
  }
  if (text.includes('value:')) {
    YAML_PAIR.lastIndex = 0;
    while ((m = YAML_PAIR.exec(text)) !== null) {
      const value = m[4].trimEnd();
      if (endsInSecretWord(m[2]) && acceptValue(value))
        hits.push({ rule: 'env', start: m.indices![4][0], end: m.indices![4][0] + value.length, rank: rank.name });
    }
    FLAT_YAML_PAIR.lastIndex = 0;
    while ((m = FLAT_YAML_PAIR.exec(text)) !== null) {
      // A list item's `- ` stands before `name:` (looked at behind the match: a leading `-` in the regex tried every dash).
      if (!/-[ \t]{1,8}$/.test(text.slice(Math.max(0, m.index - 9), m.index))) continue;
      if (endsInSecretWord(m[2]) && acceptValue(m[4]))
        hits.push({ rule: 'env', start: m.indices![4][0], end: m.indices![4][1], rank: rank.name });
    }
  }
  if (text.includes('-oauth"') || text.includes('-token"') || text.includes('"bearer"')) {
    BY_HOST.lastIndex = 0;
    while ((m = BY_HOST.exec(text)) !== null) {
      const base = m.indices![1][0];
      HOST_TOKEN.lastIndex = 0;
      let t: RegExpExecArray | null;
      while ((t = HOST_TOKEN.exec(m[1])) !== null) {
        if (acceptValue(t[1])) hits.push({ rule: 'env', start: base + t.indices![1][0], end: base + t.indices![1][1], rank: rank.name });
      }
    }
  }
  if (text.includes('form-data')) {
    MULTIPART.lastIndex = 0;
    while ((m = MULTIPART.exec(text)) !== null) {
      if (endsInSecretWord(m[1]) && acceptValue(m[2]))
        hits.push({ rule: 'env', start: m.indices![2][0], end: m.indices![2][1], rank: rank.name });
    }
  }
  return hits;
}
