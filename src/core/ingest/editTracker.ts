// Follows an agent's file edits through a session and turns them into a patch against the
// session's start. A file's diff is exact when the transcript shows what the file held before the
// agent first changed it (Claude Code records it with each edit); otherwise the patch shows each
// edit's old and new text as a hunk without line numbers, under a line saying it is partial.
import { fileDiff } from './unifiedDiff';

export interface TextEdit {
  oldText: string;
  newText: string;
  all?: boolean;
}

interface FileState {
  /** The file before the session: text, `null` when it did not exist, `undefined` when unknown. */
  base: string | null | undefined;
  /** The file now, or `undefined` when an edit could not be followed. */
  current: string | null | undefined;
  /** Every change, in order, for the partial form. */
  log: TextEdit[];
}

export const PARTIAL_NOTE = '# Dejafix: partial diff -';

export interface TrackedPatch {
  patch: string;
  /** Files whose diff could not be exact. */
  partialFiles: string[];
}

export class EditTracker {
  private readonly files = new Map<string, FileState>();
  /** The last patch, until the next change (many test runs share one). */
  private cached?: TrackedPatch;

  /**
   * Replacements in one file. `before` is the file's full text just before them, when the
   * transcript records it.
   */
  edit(path: string, edits: TextEdit[], before?: string): void {
    const f = this.state(path);
    this.cached = undefined;
    if (before !== undefined) {
      if (f.base === undefined) f.base = before;
      // The file may have changed outside the edits we saw (a shell command, the user).
      f.current = before;
    }
    for (const e of edits) {
      f.log.push(e);
      if (typeof f.current !== 'string' || e.oldText === '' || !f.current.includes(e.oldText)) {
        f.current = undefined;
        continue;
      }
      f.current = e.all ? f.current.split(e.oldText).join(e.newText) : f.current.replace(e.oldText, () => e.newText);
    }
  }

  /** The whole file written. `before`: its text before, `null` if it was created, `undefined` if not recorded. */
  write(path: string, content: string, before?: string | null): void {
    const f = this.state(path);
    this.cached = undefined;
    if (before !== undefined && f.base === undefined) f.base = before;
    f.log.push({ oldText: typeof f.current === 'string' ? f.current : '', newText: content });
    f.current = content;
  }

  /** The patch from the session's start to now. */
  patch(): TrackedPatch {
    this.cached ??= this.render();
    return this.cached;
  }

  private render(): TrackedPatch {
    const parts: string[] = [];
    const partialFiles: string[] = [];
    for (const [path, f] of this.files) {
      if (f.base !== undefined && f.current !== undefined) {
        parts.push(fileDiff(path, f.base, f.current));
        continue;
      }
      partialFiles.push(path);
      parts.push(partialDiff(path, f));
    }
    return { patch: parts.join(''), partialFiles };
  }

  private state(path: string): FileState {
    let f = this.files.get(path);
    if (!f) {
      f = { base: undefined, current: undefined, log: [] };
      this.files.set(path, f);
    }
    return f;
  }
}

function partialDiff(path: string, f: FileState): string {
  const why = f.base === undefined ? "the file's content before the session is not in the transcript" : 'an edit could not be followed';
  const out = [
    `diff --git a/${path} b/${path}`,
    `${PARTIAL_NOTE} ${why}; each edit is shown as its old and new text, without line numbers`,
    `--- a/${path}`,
    `+++ b/${path}`,
  ];
  for (const e of f.log) {
    const oldLines = lines(e.oldText);
    const newLines = lines(e.newText);
    out.push(`@@ -?,${oldLines.length} +?,${newLines.length} @@`, ...oldLines.map((l) => `-${l}`), ...newLines.map((l) => `+${l}`));
  }
  return `${out.join('\n')}\n`;
}

function lines(text: string): string[] {
  if (text === '') return [];
  const l = text.split('\n');
  if (l[l.length - 1] === '') l.pop();
  return l;
}
