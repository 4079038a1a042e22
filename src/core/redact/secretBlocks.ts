import { type Hit, rank } from './types';
import { isPlaceholder } from './values';

/**
 * Credential blocks whose every value is secret whatever its name: Kubernetes Secret `data:` /
 * `stringData:` blocks (YAML and JSON) and PuTTY `.ppk` private keys. Scans are bounded per line.
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

/** PuTTY `.ppk` files: the private lines and the MAC. */
export function findPutty(text: string, hits: Hit[]): void {
  if (!text.includes('Private-Lines:')) return;
  const re = /Private-Lines:[ \t]*\d{1,4}[ \t]*\r?\n((?:[ \t+>-]*[A-Za-z0-9+/=]{1,128}[ \t]*\r?\n?){1,400})/dg;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    const [s, e] = m.indices![1];
    hits.push(hit('private-key', s, e, rank.shape));
  }
  const mac = /Private-MAC:[ \t]*([0-9a-f]{40,128})/dg;
  while ((m = mac.exec(text)) !== null) hits.push(hit('private-key', m.indices![1][0], m.indices![1][1], rank.shape));
}
