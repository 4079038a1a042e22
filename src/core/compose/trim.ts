// Shortening quoted texts for the budget: patches by hunk, outputs to their head and tail. Every
// cut leaves a marker saying how much was left out, so a reader never mistakes a part for the whole.

export interface PatchLevel {
  /** Body lines kept per hunk. */
  hunkLines: number;
  /** Hunks kept per patch (file headers are always kept). */
  hunks: number;
  /** Characters kept per line. */
  lineChars: number;
}

export interface OutputLevel {
  /** Lines kept, a third from the head and the rest from the tail (where errors end up). */
  lines: number;
  lineChars: number;
}

/** Tighter and tighter; level 0 keeps everything. The budget walks these in order. */
export const PATCH_LEVELS: readonly PatchLevel[] = [
  { hunkLines: Infinity, hunks: Infinity, lineChars: Infinity },
  { hunkLines: 40, hunks: 12, lineChars: 400 },
  { hunkLines: 16, hunks: 6, lineChars: 240 },
  { hunkLines: 6, hunks: 3, lineChars: 160 },
  { hunkLines: 2, hunks: 2, lineChars: 120 },
  { hunkLines: 0, hunks: 1, lineChars: 120 },
];

export const OUTPUT_LEVELS: readonly OutputLevel[] = [
  { lines: Infinity, lineChars: Infinity },
  { lines: 60, lineChars: 400 },
  { lines: 24, lineChars: 240 },
  { lines: 10, lineChars: 160 },
  { lines: 4, lineChars: 120 },
  { lines: 1, lineChars: 120 },
];

export const omitted = (n: number, what = 'lines'): string => `[${n} ${n === 1 ? what.replace(/s$/, '') : what} omitted]`;

function capLine(line: string, max: number): string {
  return line.length > max ? `${line.slice(0, max)} ${omitted(line.length - max, 'characters')}` : line;
}

/** The head and tail of a text, with `[N lines omitted]` between them. */
export function headTail(text: string, level: OutputLevel): string {
  if (level.lines === Infinity && level.lineChars === Infinity) return text;
  const lines = text.split('\n');
  const cap = (l: string) => capLine(l, level.lineChars);
  if (lines.length <= level.lines) return lines.map(cap).join('\n');
  const head = Math.floor(level.lines / 3);
  const tail = level.lines - head;
  return [...lines.slice(0, head).map(cap), omitted(lines.length - head - tail), ...lines.slice(lines.length - tail).map(cap)].join('\n');
}

const FILE_HEADER =
  /^(?:diff --git |index |new file mode|deleted file mode|old mode|new mode|similarity index|rename from|rename to|copy from|copy to|Binary files )/;

/**
 * A unified diff with each hunk cut to `hunkLines` body lines and at most `hunks` hunks, each
 * cut marked `[N lines omitted]`. Changed lines are kept before context lines (the change is the
 * point of a demonstration), and file headers always stay, so every touched file is still named.
 * Text that is not a diff is shortened like an output.
 */
export function cutPatch(patch: string, level: PatchLevel): string {
  if (level.hunkLines === Infinity && level.hunks === Infinity && level.lineChars === Infinity) return patch;
  const lines = patch.split('\n');
  if (!lines.some((l) => l.startsWith('@@')))
    return headTail(patch, { lines: Math.max(1, level.hunkLines * Math.max(1, level.hunks)), lineChars: level.lineChars });
  const out: string[] = [];
  let dropped = 0;
  const emit = (l: string | undefined) => {
    if (l === undefined) return void dropped++;
    if (dropped) out.push(omitted(dropped));
    dropped = 0;
    out.push(capLine(l, level.lineChars));
  };
  let hunks = 0;
  let body: string[] | undefined;
  const endHunk = () => {
    if (body) for (const l of keptBody(body, hunks > level.hunks ? -1 : level.hunkLines)) emit(l);
    body = undefined;
  };
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    // `--- a/x` + `+++ b/x` + `@@` starts another file even without `diff --git`; a lone `--- x` in a hunk is a removed line.
    const fileStart =
      FILE_HEADER.test(l) || (l.startsWith('--- ') && lines[i + 1]?.startsWith('+++ ') && (!body || lines[i + 2]?.startsWith('@@')));
    if (fileStart || (l.startsWith('+++ ') && !body)) {
      endHunk();
      emit(l);
    } else if (l.startsWith('@@')) {
      endHunk();
      hunks++;
      emit(hunks > level.hunks ? undefined : l);
      body = [];
    } else if (body) {
      body.push(l);
    } else {
      emit(l);
    }
  }
  endHunk();
  if (dropped) out.push(omitted(dropped));
  return out.join('\n');
}

/** A hunk's body with undefined for each line left out: changed lines first, then context, up to `max` (-1: none, not even the header's). */
function keptBody(body: string[], max: number): (string | undefined)[] {
  if (max < 0) return body.map(() => undefined);
  if (body.length <= max) return body;
  const changed = body.map((l, i) => [l, i] as const).filter(([l]) => l.startsWith('+') || l.startsWith('-'));
  const keep = new Set(changed.slice(0, max).map(([, i]) => i));
  for (let i = 0; i < body.length && keep.size < max; i++) keep.add(i);
  return body.map((l, i) => (keep.has(i) ? l : undefined));
}
