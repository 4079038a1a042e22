// The files an issue points at without writing their repository path: a traceback's
// `File "/…/site-packages/pkg/mod.py"` (the installed copy of a repository file), a relative path,
// a dotted module name (`django.db.models.query` → django/db/models/query.py) and an import line
// (`from sympy.core.mul import Mul`). Resolved against the files recall's candidates touched, so an
// issue that points at code an earlier repair changed says so even when no shared word ranks it.

const SOURCE = 'py|pyx|pyi|js|jsx|mjs|ts|tsx|go|rs|java|kt|rb|php|c|cc|cpp|h|hpp|cs|swift|scala';
// A path starts where a run of path characters starts (the lookbehind) and is at most 300 long, so a
// hostile run of 16,000 path characters costs one bounded try, not one per position.
const PATH = new RegExp(String.raw`(?<![\w./\\-])[\w./\\-]{1,300}\.(?:${SOURCE})\b`, 'g');
const FILE_NAME = new RegExp(String.raw`\.(?:${SOURCE})$`);
const DOTTED = /\b[A-Za-z_][A-Za-z0-9_]{0,80}(?:\.[A-Za-z_][A-Za-z0-9_]{0,80}){1,11}/g;
/** At most this many module parts are read (a/b/c/…): deeper names are not module paths. */
const MAX_PARTS = 8;
/** At most this many paths and module files are kept: an issue points at a handful, not thousands. */
const MAX_POINTERS = 500;
// Spaces and tabs only (not \s, which spans lines: a run of blank lines would be re-scanned from each one).
const IMPORT = /^[ \t]*from[ \t]+([\w.]{1,200})[ \t]+import[ \t]+\(?([\w, \t]{1,400})/gm;

export interface Pointers {
  /** Paths as written, made repository-relative where the form says how (site-packages, eggs, ./). */
  paths: string[];
  /** Module names read as files: each prefix of two or more parts as a/b.py and a/b/__init__.py. */
  modules: Set<string>;
}

/** What the issue points at (computed once per recall). */
export function pointersIn(text: string): Pointers {
  const paths = new Set<string>();
  for (const m of text.matchAll(PATH)) {
    const p = m[0]
      .replace(/\\/g, '/')
      .replace(/^.*\/(?:site|dist)-packages\//, '')
      .replace(/^.*\.egg\//, '')
      .replace(/^\.?\//, '');
    if (p.includes('/') || /^[\w-]+\.\w+$/.test(p)) paths.add(p);
    if (paths.size >= MAX_POINTERS) break;
  }
  const modules = new Set<string>();
  for (const m of text.matchAll(DOTTED)) {
    if (modules.size >= MAX_POINTERS) break;
    const parts = m[0].split('.').slice(0, MAX_PARTS);
    if (FILE_NAME.test(`.${parts[parts.length - 1]}`)) continue; // a file name: a path above
    for (let k = 2; k <= parts.length; k++) {
      const base = parts.slice(0, k).join('/');
      modules.add(`${base}.py`);
      modules.add(`${base}/__init__.py`);
    }
  }
  for (const m of text.matchAll(IMPORT)) {
    if (modules.size >= MAX_POINTERS) break;
    const mod = m[1].split('.').join('/');
    for (const name of m[2].split(',').map((s) => s.trim())) if (name) modules.add(`${mod}/${name}.py`);
  }
  return { paths: [...paths], modules };
}

/**
 * How firmly the issue points at `file` (0–1): 1 for a path or module that resolves to it (also
 * with the package prefix left out or an install prefix in front), 1/n for a bare file name shared
 * by n of the candidates' files, else 0. `sameName` counts the candidates' files by file name.
 */
export function pointsAt(p: Pointers, file: string, sameName: ReadonlyMap<string, number>): number {
  if (p.modules.has(file)) return 1;
  const base = file.split('/').pop() ?? file;
  let best = 0;
  for (const path of p.paths) {
    if (path.includes('/')) {
      if (path === file || file.endsWith(`/${path}`) || path.endsWith(`/${file}`)) return 1;
    } else if (path === base) best = Math.max(best, 1 / Math.max(1, sameName.get(base) ?? 1));
  }
  if (best < 1 && base.endsWith('.py') && base !== '__init__.py') for (const m of p.modules) if (file.endsWith(`/${m}`)) return 1;
  return best;
}
