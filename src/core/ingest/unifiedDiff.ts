// A git-style unified diff of one file's two versions, from the `diff` package's hunks with git's
// file headers and hunk section headings (the enclosing definition, as git's default funcname).
import { structuredPatch } from 'diff';

const CONTEXT = 3;
/** Beyond this many differing lines the comparison gives up and shows the file as removed then added. */
const MAX_EDIT_LENGTH = 5_000;
/** git's default section heading: the last line before the hunk that starts with a letter, `_` or `$`. */
const HEADING = /^[A-Za-z_$]/;

/**
 * The diff of `path` from `before` to `after`; `null` means the file does not exist on that side.
 * Empty when nothing changed.
 */
export function fileDiff(path: string, before: string | null, after: string | null): string {
  if (before === after) return '';
  const header = [`diff --git a/${path} b/${path}`];
  if (before === null) header.push('new file mode 100644', '--- /dev/null', `+++ b/${path}`);
  else if (after === null) header.push('deleted file mode 100644', `--- a/${path}`, '+++ /dev/null');
  else header.push(`--- a/${path}`, `+++ b/${path}`);
  const oldText = before ?? '';
  const newText = after ?? '';
  const patch = structuredPatch('a', 'b', oldText, newText, '', '', { context: CONTEXT, maxEditLength: MAX_EDIT_LENGTH });
  const oldLines = oldText.split('\n');
  const hunks = (patch ? patch.hunks : [wholeFileHunk(oldText, newText)]).map((h) => {
    // as in `diff`'s own formatPatch: an empty side's start is one lower than one would expect
    const oldStart = h.oldLines === 0 ? h.oldStart - 1 : h.oldStart;
    const newStart = h.newLines === 0 ? h.newStart - 1 : h.newStart;
    const heading = oldLines.slice(0, Math.max(0, oldStart - 1)).findLast((l) => HEADING.test(l));
    return [`@@ -${oldStart},${h.oldLines} +${newStart},${h.newLines} @@${heading ? ` ${heading}` : ''}`, ...h.lines].join('\n');
  });
  return hunks.length ? `${header.join('\n')}\n${hunks.join('\n')}\n` : '';
}

interface Hunk {
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  lines: string[];
}

/** Every old line removed, then every new line added: for texts too different to compare. */
function wholeFileHunk(before: string, after: string): Hunk {
  const side = (text: string, sign: '-' | '+'): string[] => {
    if (!text) return [];
    const lines = text.split('\n');
    const noEol = lines.at(-1) !== '';
    if (!noEol) lines.pop();
    return [...lines.map((l) => `${sign}${l}`), ...(noEol ? ['\\ No newline at end of file'] : [])];
  };
  const removed = side(before, '-');
  const added = side(after, '+');
  const count = (l: string[]) => l.filter((x) => !x.startsWith('\\')).length;
  return { oldStart: 1, oldLines: count(removed), newStart: 1, newLines: count(added), lines: [...removed, ...added] };
}
