// Files a checkout tracks that are not the project's own code, in GitHub linguist's three kinds:
// vendored (copies of other projects in vendor/, third_party/, extern/, node_modules/ …, minified or
// version-named bundles such as app.min.js or jquery-3.5.1.js), generated (protobuf stubs) and
// documentation (the top-level docs/, examples/, demos/, samples/ and man/ folders, and
// documentation/ or javadoc/ anywhere). A fix rarely goes there, and their vocabularies are large
// enough to outrank the project's files for an issue (sphinx's underscore-1.13.1.js was its checkout's
// best match for an autodoc issue, its doc/ examples third for another); a Go vendor/ tree can also
// fill MAX_FILES before the project's own. The checkout's index leaves them out, like tests. The rules
// are linguist's default paths, kept to the unambiguous ones; the repository's own `.gitattributes`
// marks (linguistMarks.ts) decide each kind first.

export type LinguistKind = 'vendored' | 'generated' | 'documentation';
export const LINGUIST_KINDS: readonly LinguistKind[] = ['vendored', 'generated', 'documentation'];
/** What a repository's marks say of a path, kind by kind: true = it is of that kind, false = it is not; absent = the rules decide. */
export type KindMarks = Partial<Record<LinguistKind, boolean>>;

/** Folders holding someone else's code (any depth, exact name). */
const VENDOR_DIRS = new Set([
  'vendor',
  'vendored',
  '_vendor',
  'third_party',
  'third-party',
  'thirdparty',
  '3rdparty',
  'extern',
  'externals',
  'node_modules',
  'bower_components',
  'site-packages',
  'dist-packages',
]);

/** Minified bundles, and library copies named with their x.y.z version (jquery-3.5.1.js). */
const BUNDLE = /(?:[.-]min|[.-]v?\d+\.\d+\.\d+(?:[.-]min)?)\.(?:js|mjs|cjs)$/i;
/** Generated protocol-buffer stubs. */
const GENERATED = /(?:_pb2(?:_grpc)?\.pyi?|\.pb(?:\.gw)?\.go|\.pb\.(?:cc|h))$/;
/** linguist's documentation folders: these at the top of the checkout, the last two at any depth. */
const DOCUMENTATION = /^(?:[Dd]ocs?|[Ee]xamples|[Dd]emos?|[Ss]amples?|[Mm]an)\/|(?:^|\/)(?:[Dd]ocumentation|[Jj]avadoc)\//;

/** Whether the rules give `path` (repository-relative) the `kind`. */
function byRule(path: string, kind: LinguistKind): boolean {
  if (kind === 'documentation') return DOCUMENTATION.test(path);
  const parts = path.split('/');
  const name = parts[parts.length - 1];
  if (kind === 'generated') return GENERATED.test(name);
  for (let i = 0; i < parts.length - 1; i++) if (VENDOR_DIRS.has(parts[i].toLowerCase())) return true;
  return BUNDLE.test(name);
}

/**
 * Whether the checkout's index leaves `path` out: it is of some kind, by the repository's mark for that
 * kind where it has one (`linguist-vendored=false` keeps a file in `extern/`, yet a documentation or
 * generated one stays out), else by the rules.
 */
export function notOwnCode(path: string, marks: KindMarks = {}): boolean {
  return LINGUIST_KINDS.some((kind) => marks[kind] ?? byRule(path, kind));
}
