// Files a checkout tracks that are not the project's own code: copies of other projects (vendor/,
// third_party/, extern/, node_modules/ …), minified or version-named bundles (app.min.js,
// jquery-3.5.1.js) and generated stubs (protobuf). A fix rarely goes there, and their vocabularies are
// large enough to outrank the project's files for an issue (sphinx's underscore-1.13.1.js was its
// checkout's best match for an autodoc issue); a Go vendor/ tree can also fill MAX_FILES before the
// project's own. The checkout's index leaves them out, like tests. The rules follow GitHub linguist's
// vendored and generated paths, kept to the unambiguous ones.

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

export function isVendoredPath(path: string): boolean {
  const parts = path.split('/');
  const name = parts[parts.length - 1];
  for (let i = 0; i < parts.length - 1; i++) if (VENDOR_DIRS.has(parts[i].toLowerCase())) return true;
  return BUNDLE.test(name) || GENERATED.test(name);
}
