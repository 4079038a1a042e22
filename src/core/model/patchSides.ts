// The two sides of a unified diff as text, for a side-by-side diff view: per file, its hunks'
// context and removed lines on the left, context and added lines on the right, with a header line
// per file and per hunk on both sides so they stay aligned.
export function patchSides(patch: string): { before: string; after: string } {
  const before: string[] = [];
  const after: string[] = [];
  let inHunk = false;
  for (const line of patch.split('\n')) {
    const file = /^diff --git a\/(.*?) b\/(.*)$/.exec(line);
    if (file) {
      const header = `━━ ${file[2]} ━━`;
      before.push(header);
      after.push(header);
      inHunk = false;
      continue;
    }
    if (line.startsWith('@@')) {
      before.push(line);
      after.push(line);
      inHunk = true;
      continue;
    }
    if (!inHunk) continue;
    if (line.startsWith('-')) before.push(line.slice(1));
    else if (line.startsWith('+')) after.push(line.slice(1));
    else if (line.startsWith(' ') || line === '') {
      before.push(line.slice(1));
      after.push(line.slice(1));
    }
  }
  return { before: before.join('\n'), after: after.join('\n') };
}
