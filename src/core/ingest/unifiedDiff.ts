// A git-style unified diff of one file's two versions. Agent edits are small and local, so the
// common head and tail are trimmed first and only the changed middle is compared line by line
// (longest common subsequence); a middle too large to compare is shown as removed then added.

const CONTEXT = 3;
/** Largest changed middle compared line by line (old lines × new lines). */
const MAX_CELLS = 4_000_000;
/** Marks a last line without a newline, so it differs from the same line with one. */
const NO_EOL = '\u0000no-eol';

interface Op {
  kind: ' ' | '-' | '+';
  text: string;
}

/**
 * The diff of `path` from `before` to `after`; `null` means the file does not exist on that side.
 * Empty when nothing changed.
 */
export function fileDiff(path: string, before: string | null, after: string | null): string {
  if (before === after) return '';
  const ops = lineOps(linesOf(before), linesOf(after));
  const header = [`diff --git a/${path} b/${path}`];
  if (before === null) header.push('new file mode 100644', '--- /dev/null', `+++ b/${path}`);
  else if (after === null) header.push('deleted file mode 100644', `--- a/${path}`, '+++ /dev/null');
  else header.push(`--- a/${path}`, `+++ b/${path}`);
  const hunks = renderHunks(ops);
  return hunks ? `${header.join('\n')}\n${hunks}` : '';
}

function linesOf(text: string | null): string[] {
  if (text === null || text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  else lines[lines.length - 1] += NO_EOL;
  return lines;
}

function lineOps(a: string[], b: string[]): Op[] {
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const same = (lines: string[]): Op[] => lines.map((text) => ({ kind: ' ', text }));
  return [
    ...same(a.slice(0, head)),
    ...middleOps(a.slice(head, a.length - tail), b.slice(head, b.length - tail)),
    ...same(a.slice(a.length - tail)),
  ];
}

function middleOps(a: string[], b: string[]): Op[] {
  const removed = (text: string): Op => ({ kind: '-', text });
  const added = (text: string): Op => ({ kind: '+', text });
  if (a.length === 0 || b.length === 0 || a.length * b.length > MAX_CELLS) return [...a.map(removed), ...b.map(added)];
  const n = a.length;
  const m = b.length;
  const w = m + 1;
  // lcs[i * w + j] = length of the longest common subsequence of a[i..] and b[j..].
  const lcs = new Uint32Array((n + 1) * w);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i * w + j] = a[i] === b[j] ? lcs[(i + 1) * w + j + 1] + 1 : Math.max(lcs[(i + 1) * w + j], lcs[i * w + j + 1]);
    }
  }
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      ops.push({ kind: ' ', text: a[i] });
      i++;
      j++;
    } else if (lcs[(i + 1) * w + j] >= lcs[i * w + j + 1]) {
      ops.push(removed(a[i++]));
    } else {
      ops.push(added(b[j++]));
    }
  }
  while (i < n) ops.push(removed(a[i++]));
  while (j < m) ops.push(added(b[j++]));
  return ops;
}

function renderHunks(ops: Op[]): string {
  const changed = ops.flatMap((op, k) => (op.kind === ' ' ? [] : [k]));
  if (changed.length === 0) return '';
  // Line numbers (1-based) of each op on the old and new side, before the op.
  const oldAt: number[] = [];
  const newAt: number[] = [];
  let o = 1;
  let n = 1;
  for (const op of ops) {
    oldAt.push(o);
    newAt.push(n);
    if (op.kind !== '+') o++;
    if (op.kind !== '-') n++;
  }
  const out: string[] = [];
  let start = 0;
  while (start < changed.length) {
    let end = start;
    while (end + 1 < changed.length && changed[end + 1] - changed[end] <= 2 * CONTEXT) end++;
    const from = Math.max(0, changed[start] - CONTEXT);
    const to = Math.min(ops.length, changed[end] + CONTEXT + 1);
    const slice = ops.slice(from, to);
    const oldLen = slice.filter((op) => op.kind !== '+').length;
    const newLen = slice.filter((op) => op.kind !== '-').length;
    const context = enclosingLine(ops, from);
    out.push(`@@ -${range(oldAt[from], oldLen)} +${range(newAt[from], newLen)} @@${context ? ` ${context}` : ''}`);
    for (const op of slice) {
      const eol = op.text.endsWith(NO_EOL);
      out.push(`${op.kind}${eol ? op.text.slice(0, -NO_EOL.length) : op.text}`);
      if (eol) out.push('\\ No newline at end of file');
    }
    start = end + 1;
  }
  return `${out.join('\n')}\n`;
}

/**
 * Like git's default hunk context: the nearest line above the hunk that starts with a letter, `_`
 * or `$` (a definition in most languages), so the hunk header names the function it is in.
 */
function enclosingLine(ops: Op[], from: number): string {
  for (let k = from - 1; k >= 0; k--) {
    const op = ops[k];
    if (op.kind !== '+' && /^[A-Za-z_$]/.test(op.text)) return op.text.replace(NO_EOL, '').trimEnd().slice(0, 80);
  }
  return '';
}

/** `start,len` as git writes it: an empty range names the line before it. */
function range(start: number, len: number): string {
  return len === 0 ? `${start - 1},0` : `${start},${len}`;
}
