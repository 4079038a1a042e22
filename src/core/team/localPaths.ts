// Absolute paths never go into the repository: the checkout's own path becomes relative, a home
// folder becomes `~`, and other users' home folders (/home/x, /Users/x, C:\Users\x) become `~` too.
// Applied to every string of a record before it is written to `.dejafix/`.

export interface PathRoots {
  /** The repository's root folder (absolute). */
  root: string;
  /** The user's home folder. */
  home?: string;
}

const OTHER_HOMES = /(?:\/home\/[^/\s"'`:]+|\/Users\/[^/\s"'`:]+|[A-Za-z]:\\Users\\[^\\\s"'`:]+|\/root)(?=[/\\]|\b)/g;

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Returns the text with local absolute paths removed. */
export function scrubPathsInText(text: string, roots: PathRoots): string {
  let t = text;
  const root = roots.root.replace(/[/\\]+$/, '');
  if (root.length > 1) t = t.replace(new RegExp(`${escape(root)}(?:[/\\\\]|(?![\\w.-]))`, 'g'), (m) => (/[/\\]$/.test(m) ? '' : '.'));
  const home = roots.home?.replace(/[/\\]+$/, '');
  if (home && home.length > 1) t = t.replace(new RegExp(`${escape(home)}(?![\\w.-])`, 'g'), '~');
  return t.replace(OTHER_HOMES, '~');
}

/** Scrubs every string in a record (deeply); lists the top-level fields that changed. */
export function scrubPaths<T>(value: T, roots: PathRoots): { value: T; changed: string[] } {
  const changed = new Set<string>();
  const walk = (v: unknown, field: string): unknown => {
    if (typeof v === 'string') {
      const s = scrubPathsInText(v, roots);
      if (s !== v) changed.add(field);
      return s;
    }
    if (Array.isArray(v)) return v.map((x) => walk(x, field));
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, field || k)]));
    return v;
  };
  return { value: walk(value, '') as T, changed: [...changed].sort() };
}
