// The lines of a source file worth reading, for both readers of a file (definitions.ts, fileWords.ts):
// longer lines are generated or minified code, which defines and uses nothing a person would name in
// an issue.

export const MAX_LINE = 2_000;

/** Calls `visit` with each line of `text` no longer than MAX_LINE, in order. */
export function eachReadableLine(text: string, visit: (line: string) => void): void {
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    if (end - start <= MAX_LINE) visit(text.slice(start, end));
    start = end + 1;
  }
}
