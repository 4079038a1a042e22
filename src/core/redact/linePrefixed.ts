import type { Hit } from './types';
import { hitsInViews, type View } from './views';

/**
 * Line-structured secrets printed through a logger or a container runtime, which puts its own
 * prefix on every line (`[app] `, `web-1  | `, `INFO `), or a shell's `history` numbers them: a `.netrc` block, a `.pgpass` line,
 * a Kubernetes `stringData:` block or a PuTTY key is found by rules that expect it at line starts.
 * Runs of consecutive prefixed lines are seen once more without their prefixes (one view per run,
 * so a whole log costs one extra scan, never one per line), and the hits are mapped back to the
 * original offsets. Found in the red-team pass: these four kinds leaked in exactly this carrier.
 */

/**
 * One part of a log prefix: a timestamp, a bracketed tag, a log level, a logger or container name
 * before `|`, or a container runtime's stream marker (`stderr F`).
 */
const ATOM = String.raw`(?:\d{4}-\d\d-\d\d(?:[T ]\d\d:\d\d(?::\d\d(?:[.,]\d{1,9})?)?(?:Z|[+-]\d\d:?\d\d)?)?|\[[^\]\n]{1,40}\]|(?:DEBUG|INFO|NOTICE|WARN(?:ING)?|ERROR|TRACE|FATAL)\b[:-]?|[\w.-]{1,40}[ \t]*\||(?:stdout|stderr)[ \t]+[FP]\b)`;
/**
 * A shell's `history` listing: the command's number, right-aligned, and two blanks (` 1042  kind: Secret`),
 * also on a diff line or in a Markdown quote.
 */
const HISTORY = String.raw`(?:[+-]|(?:>[ \t]?){1,4})?[ \t]{0,5}\d{1,6}[ \t]{2}`;
/**
 * Up to five parts (after a diff's `+`/`-`): `2024-06-01T10:00:00Z [worker-3] DEBUG cfg | `. Only one blank
 * after the last part is the prefix's (none after a `|`): the rest is the line's own indentation (a YAML block
 * keeps its shape).
 */
const PREFIX = new RegExp(String.raw`^[+-]?[ \t]{0,8}(?:${ATOM}[ \t]+){0,4}${ATOM}(?:[ \t]|(?<=\|))|^(${HISTORY})`);
/**
 * Numbered lines are also code listings and tracebacks (they made the views four times larger), so a run that
 * holds numbered lines becomes a view only when it holds a secret's word or one of the line-structured blocks
 * the views are for.
 */
const LINE_BLOCK = /\bmachine[ \t]|Secret|stringData|Private-Lines:|pass|pw|token|secret|key|auth|psk|credential/i;
const MIN_VIEW = 12;

function* prefixedRuns(text: string): Generator<View> {
  let out = '';
  let map: number[] = [];
  let numbered = false;
  let lineStart = 0;
  const flush = function* (end: number): Generator<View> {
    if (out.length >= MIN_VIEW && (!numbered || LINE_BLOCK.test(out))) {
      map.push(end);
      yield { text: out, map };
    }
    out = '';
    map = [];
    numbered = false;
  };
  while (lineStart <= text.length) {
    const nl = text.indexOf('\n', lineStart);
    const lineEnd = nl < 0 ? text.length : nl;
    const m = PREFIX.exec(text.slice(lineStart, Math.min(lineEnd, lineStart + 64)));
    if (m && m[0].length < lineEnd - lineStart) {
      if (m[1] !== undefined) numbered = true;
      if (out) {
        out += '\n';
        map.push(lineStart - 1);
      }
      for (let i = lineStart + m[0].length; i < lineEnd; i++) {
        out += text[i];
        map.push(i);
      }
    } else if (out) {
      yield* flush(lineStart - 1);
    }
    if (nl < 0) break;
    lineStart = nl + 1;
  }
  if (out) yield* flush(text.length);
}

/**
 * Hits found by `detect` in the prefix-stripped runs of `text`, in original offsets. Also one level
 * inside a decoded view (a log quoted in a JSON tool result), never deeper.
 */
export function findLinePrefixed(text: string, detect: (view: string, depth: number) => Hit[], depth = 0): Hit[] {
  return depth > 1 ? [] : hitsInViews(prefixedRuns(text), detect, depth);
}
