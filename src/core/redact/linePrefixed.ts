import type { Hit } from './types';

/**
 * Line-structured secrets printed through a logger or a container runtime, which puts its own
 * prefix on every line (`[app] `, `web-1  | `, `INFO `): a `.netrc` block, a `.pgpass` line,
 * a Kubernetes `stringData:` block or a PuTTY key is found by rules that expect it at line starts.
 * Runs of consecutive prefixed lines are seen once more without their prefixes (one view per run,
 * so a whole log costs one extra scan, never one per line), and the hits are mapped back to the
 * original offsets. Found in the red-team pass: these four kinds leaked in exactly this carrier.
 */

/** A bracketed tag, a container name before `|`, or a log level (after a diff's `+`/`-`), at most ~50 characters. */
const PREFIX =
  /^[+-]?(?:[ \t]{0,8}\[[^\]\n]{1,40}\][ \t]*|[\w.-]{1,40}[ \t]*\|[ \t]?|(?:DEBUG|INFO|NOTICE|WARN(?:ING)?|ERROR|TRACE)[ \t]*[:|-]?[ \t]+)/;
const MIN_VIEW = 12;

interface View {
  text: string;
  /** For each view character (and its end), the offset in the original text. */
  map: number[];
}

function* prefixedRuns(text: string): Generator<View> {
  let out = '';
  let map: number[] = [];
  let lineStart = 0;
  const flush = function* (end: number): Generator<View> {
    if (out.length >= MIN_VIEW) {
      map.push(end);
      yield { text: out, map };
    }
    out = '';
    map = [];
  };
  while (lineStart <= text.length) {
    const nl = text.indexOf('\n', lineStart);
    const lineEnd = nl < 0 ? text.length : nl;
    const m = PREFIX.exec(text.slice(lineStart, Math.min(lineEnd, lineStart + 64)));
    if (m && m[0].length < lineEnd - lineStart) {
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
  if (depth > 1) return [];
  const hits: Hit[] = [];
  for (const v of prefixedRuns(text))
    for (const h of detect(v.text, depth + 1)) hits.push({ ...h, start: v.map[h.start], end: v.map[h.end] });
  return hits;
}
