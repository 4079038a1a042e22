// Reading unified diffs line by line, on purpose without a full diff parser: patches written by
// agents often carry wrong hunk line counts, and a parser that trusts the counts swallows the
// following files' headers as hunk content. Headers are recognisable on their own, so we read those.

const DIFF_GIT = /^diff --git a\/(.+?) b\/(.+)$/;
const OLD_PATH = /^--- (?:a\/)?([^\t]+)/;
const NEW_PATH = /^\+\+\+ (?:b\/)?([^\t]+)/;
const HUNK = /^@@+ [^@]* @@+ ?(.*)$/;

/** Paths a unified diff touches (new path, or old path for deletions), in order, without duplicates. */
export function patchFiles(patch: string): string[] {
  const out = new Set<string>();
  let oldPath: string | undefined;
  for (const line of patch.split('\n')) {
    const git = DIFF_GIT.exec(line);
    if (git) {
      out.add(git[2]);
      continue;
    }
    const o = OLD_PATH.exec(line);
    if (o) {
      oldPath = o[1];
      continue;
    }
    const n = NEW_PATH.exec(line);
    if (n && oldPath !== undefined) {
      const path = n[1] === '/dev/null' ? oldPath : n[1];
      if (path !== '/dev/null') out.add(path);
      oldPath = undefined;
    }
  }
  return [...out];
}

// `def name`, `class Name`, `function name`, `func (r *T) Name`, `fn name`, `type Name struct`, or a C-like `name(`.
const DEFINITION =
  /\b(?:def|class|function|func|fn|sub|module|interface|struct|enum|trait|impl|type)\s+(?:\([^)]*\)\s*)?([A-Za-z_$][\w$]*)|([A-Za-z_$][\w$]*)\s*\(/;
const ADDED_DEFINITION = /^[+-]\s*(?:export\s+)?(?:async\s+)?(?:def|class|function|func|fn)\s/;
const KEYWORDS = new Set(['if', 'for', 'while', 'switch', 'catch', 'return', 'with', 'elif', 'print', 'assert', 'super']);

/**
 * Functions and classes a diff touches: the enclosing definition git names in each hunk header
 * (`@@ -1,2 +1,2 @@ def foo(`), plus definitions added or removed inside hunks.
 */
export function patchSymbols(patch: string): string[] {
  const out = new Set<string>();
  let inHunk = false;
  for (const line of patch.split('\n')) {
    const h = HUNK.exec(line);
    if (h) {
      inHunk = true;
      addSymbol(out, h[1]);
    } else if (line.startsWith('diff --git ')) {
      inHunk = false;
    } else if (inHunk && ADDED_DEFINITION.test(line)) {
      addSymbol(out, line.slice(1));
    }
  }
  return [...out];
}

function addSymbol(out: Set<string>, text: string): void {
  const m = DEFINITION.exec(text);
  const name = m?.[1] ?? m?.[2];
  if (name && name.length > 1 && !KEYWORDS.has(name)) out.add(name);
}

/**
 * Whether a path is a test file: under a `test`/`tests`/`testing` folder, or named `test_*.py`,
 * `*_test.*` or `*.test.*`. Tests are touched by unrelated fixes alike, so they say little about
 * which code a repair was about.
 */
export function isTestPath(path: string): boolean {
  const parts = path.split('/');
  const name = parts[parts.length - 1];
  return (
    parts.slice(0, -1).some((d) => d === 'test' || d === 'tests' || d === 'testing') ||
    /^test_.*\.py$/.test(name) ||
    /_test\./.test(name) ||
    /\.test\./.test(name)
  );
}
