import { type Hit, rank } from './types';
import { isPlaceholder } from './values';

/**
 * Credential blocks whose every value is secret whatever its name: Kubernetes Secret `data:` /
 * `stringData:` blocks (YAML and JSON) and PuTTY `.ppk` private keys, as files (one item per line)
 * and flattened onto one line of prose (an issue quoting a manifest or a key file it pasted, its line
 * breaks lost: `kind: Secret stringData: password: …`, `Private-Lines: 1 AAAA… Private-MAC: …`).
 * Scans are bounded per line.
 */

const hit = (rule: string, start: number, end: number, r: number = rank.name): Hit => ({ rule, start, end, rank: r });

/**
 * Kubernetes Secrets: every value under `data:` or `stringData:` (YAML), and in `"data": {…}`
 * (JSON), when the text is a Secret (`kind: Secret`, `.dockerconfigjson`) — those values are the
 * secret, whatever their names.
 */
export function findK8sSecretData(text: string, hits: Hit[]): void {
  if (!/kind["']?\s{0,4}:\s{0,4}["']?Secret\b|\.docker(?:configjson|cfg)/.test(text)) return;
  const lines = text.split('\n');
  let offset = 0;
  let blockIndent = -1;
  for (const line of lines) {
    // Outside a block only a `data:`/`stringData:` header matters: a line without `ata` is not one.
    if (blockIndent < 0 && !line.includes('ata')) {
      offset += line.length + 1;
      continue;
    }
    // A diff marker or a Markdown quote (`> `, `>> `) stands where the indentation starts.
    const body = line
      .replace(/^([+\- ]?)((?:>[ \t]?)+)/, (_, diff: string, quote: string) => diff + ' '.repeat(quote.length))
      .replace(/^[+\- ](?=\s|[A-Za-z.])/, ' ');
    const indent = body.length - body.trimStart().length;
    const trimmed = body.trim();
    if (blockIndent >= 0 && trimmed && indent <= blockIndent) blockIndent = -1;
    if (blockIndent >= 0) {
      const kv = /^(["']?[\w.-]{1,253}["']?)[ \t]*:[ \t]*(?:[|>][-+]?)?[ \t]*(\S.{0,16383})?$/.exec(trimmed);
      const value = kv?.[2]?.replace(/^["']|["']$/g, '');
      if (value && !isPlaceholder(value)) {
        const at = line.indexOf(value, line.indexOf(kv![1]) + kv![1].length);
        if (at >= 0) hits.push(hit('k8s-secret', offset + at, offset + at + value.length));
      } else if (!kv && trimmed && blockIndent >= 0) {
        // A continuation line of a block scalar (`|`): the whole line is secret.
        const at = line.indexOf(trimmed);
        hits.push(hit('k8s-secret', offset + at, offset + at + trimmed.length));
      }
    }
    if (/^["']?(?:data|stringData)["']?[ \t]*:[ \t]*$/.test(trimmed)) blockIndent = indent;
    offset += line.length + 1;
  }
  findFlatK8s(text, hits);
  // JSON: `"data": { "k": "v", … }`.
  const json = /"(?:data|stringData)"\s{0,8}:\s{0,8}\{([^{}]{0,65536})\}/dg;
  let m: RegExpExecArray | null;
  while ((m = json.exec(text)) !== null) {
    const base = m.indices![1][0];
    const pair = /"[^"\n]{1,253}"\s{0,8}:\s{0,8}"([^"\n]{1,16384})"/dg;
    let p: RegExpExecArray | null;
    while ((p = pair.exec(m[1])) !== null) {
      if (isPlaceholder(p[1])) continue;
      const [s, e] = p.indices![1];
      hits.push(hit('k8s-secret', base + s, base + e));
    }
  }
}

/** A Secret's own fields: in a flattened Secret they end its data. */
const SECRET_FIELD = /^(?:apiVersion|kind|metadata|type|immutable)$/;
/** `data:` / `stringData:` with something after it on the same line (a `{` opens a flow mapping). */
const FLAT_DATA = /(?<![\w.-])["']?(?:stringData|data)["']?[ \t]*:[ \t]+\{?[ \t]*/g;
/** One `key: value` of a flattened block and the blanks or comma after it. */
const FLAT_PAIR = /["']?([\w.-]{1,253})["']?[ \t]*:[ \t]+(?:"([^"\n]{1,4096})"|'([^'\n]{1,4096})'|([^\s,{}"'|>][^\s,{}]{0,4095}))[ \t,]*/dy;

/**
 * A Secret flattened onto one line (`… kind: Secret … stringData: password: … user: app`): the
 * values of the `key: value` pairs after `data:`/`stringData:`, up to a Secret's own field
 * (`type:`, `metadata:`) or the first word that is not a pair. Only on a line that says `kind: Secret`.
 */
function findFlatK8s(text: string, hits: Hit[]): void {
  const kind = /kind["']?[ \t]{0,4}:[ \t]{0,4}["']?Secret\b/g;
  let k: RegExpExecArray | null;
  while ((k = kind.exec(text)) !== null) {
    const ls = text.lastIndexOf('\n', k.index) + 1;
    const nl = text.indexOf('\n', k.index);
    // Only this line is searched (a search of the whole text per `kind: Secret` line was quadratic).
    const line = text.slice(ls, nl < 0 ? text.length : nl);
    FLAT_DATA.lastIndex = 0;
    let d: RegExpExecArray | null;
    while ((d = FLAT_DATA.exec(line)) !== null) {
      let after = d.index + d[0].length;
      FLAT_PAIR.lastIndex = after;
      let p: RegExpExecArray | null;
      while ((p = FLAT_PAIR.exec(line)) !== null && !SECRET_FIELD.test(p[1])) {
        const g = p[2] !== undefined ? 2 : p[3] !== undefined ? 3 : 4;
        const [s, e] = p.indices![g];
        if (!isPlaceholder(p[g])) hits.push(hit('k8s-secret', ls + s, ls + e));
        after = FLAT_PAIR.lastIndex;
      }
      // Go on after the last pair (a failed sticky search resets lastIndex to 0): each pair is read once.
      FLAT_DATA.lastIndex = Math.max(FLAT_DATA.lastIndex, after);
    }
    if (nl < 0) break;
    kind.lastIndex = nl + 1;
  }
}

/** Base64 chunks of a flattened PuTTY key (4+ characters), each followed by a blank, a lone `\r` or a quote's `>`. */
const PUTTY_CHUNK = /[A-Za-z0-9+/=]{4,128}(?=[ \t\r\n>]|$)[ \t\r>]*/y;

/** PuTTY `.ppk` files: the private lines and the MAC, also with the key file flattened onto one line. */
export function findPutty(text: string, hits: Hit[]): void {
  if (!text.includes('Private-Lines:')) return;
  const re = /Private-Lines:[ \t]*\d{1,4}[ \t]*\r*\n((?:[ \t+>-]*[A-Za-z0-9+/=]{1,128}[ \t]*\r*\n?){1,400})/dg;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    const [s, e] = m.indices![1];
    hits.push(hit('private-key', s, e, rank.shape));
  }
  // Flattened: `Private-Lines: 2 AAAA… BBBB… Private-MAC: …` — as many chunks as the count says.
  // The first chunk is a full line of base64 (16+ characters), not a word of prose (`Private-Lines: 1 of …`).
  const flat = /Private-Lines:[ \t]*(\d{1,3})[ \t\r>]+(?=[A-Za-z0-9+/=]{16})/g;
  while ((m = flat.exec(text)) !== null) {
    const start = m.index + m[0].length;
    let end = start;
    PUTTY_CHUNK.lastIndex = start;
    for (let n = Math.min(Number(m[1]), 400); n > 0 && PUTTY_CHUNK.exec(text) !== null; n--) end = PUTTY_CHUNK.lastIndex;
    while (end > start && /[\s>]/.test(text[end - 1])) end--;
    if (end > start) hits.push(hit('private-key', start, end, rank.shape));
    flat.lastIndex = Math.max(flat.lastIndex, end);
  }
  const mac = /Private-MAC:[ \t]*([0-9a-f]{40,128})/dg;
  while ((m = mac.exec(text)) !== null) hits.push(hit('private-key', m.indices![1][0], m.indices![1][1], rank.shape));
}
