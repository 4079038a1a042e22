// The code side of an issue or a repair, as words a full-text index can match: file paths split
// into their parts, and identifiers split at camelCase and snake_case boundaries, so that
// `QuerySet.union()` in an issue meets `django/db/models/query.py` and `def union(` in a patch.

/** `getFOODisplay` → `get FOO Display`; `get_foo_display` → `get foo display`. */
export function identifierParts(identifier: string): string[] {
  return identifier
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter((p) => p.length >= 2);
}

const IDENTIFIER = /[A-Za-z_][A-Za-z0-9_]*/g;
/** Identifiers whose parts are words of their own: camelCase, PascalCase with two humps, snake_case. */
const COMPOUND = /[a-z0-9][A-Z]|[A-Za-z0-9]_[A-Za-z0-9]/;

/** The parts of every compound identifier in `text` (the identifiers themselves are already words). */
export function compoundParts(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(IDENTIFIER)) if (COMPOUND.test(m[0])) out.push(...identifierParts(m[0]));
  return out;
}

/** Text for the code field of an episode: its files and symbols, plus their identifier parts. */
export function codeText(files: string[], symbols: string[]): string {
  const base = [...files, ...symbols].join(' ');
  return [base, ...compoundParts(base)].join(' ');
}
