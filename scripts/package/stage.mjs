// Builds one target's staging folder: the extension's own files plus exactly the runtime packages in
// node_modules (without maps, TypeScript sources and declarations, docs and tests).
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { notShipped } from './runtimeDeps.mjs';

/** Top-level entries copied into the staging folder; `.vscodeignore` (an allow-list) decides what is packed. */
const EXTENSION_ENTRIES = ['package.json', 'README.md', 'CHANGELOG.md', 'LICENSE', '.vscodeignore', 'dist', 'media', 'demo'];

/** Not needed at runtime in any package. */
const JUNK_FILE = /(\.map|\.tsbuildinfo|\.[mc]?ts|^(README|CHANGELOG|HISTORY|CONTRIBUTING)(\.[a-z]+)?)$/i;
/** `node_modules` inside a package: its nested dependencies are copied as packages of their own. */
const JUNK_DIR = new Set([
  'node_modules',
  'test',
  'tests',
  '__tests__',
  'example',
  'examples',
  'docs',
  '.github',
  'coverage',
  '.nyc_output',
]);
/**
 * Package-specific files nothing here loads: flatbuffers' ESM build; Arrow's command-line tool and its
 * UMD bundles (Node's `require` resolves Arrow to Arrow.node.js, which loads Arrow.dom.js).
 */
const UNUSED = {
  flatbuffers: ['mjs'],
  'apache-arrow': ['bin', 'Arrow.es2015.min.js', 'Arrow.esnext.min.js', 'Arrow.externs.es2015.min.js', 'Arrow.externs.esnext.min.js'],
};
/**
 * Files nothing loads, by package: LanceDB and the bundles `require()` Arrow, whose exports map sends
 * require to the CommonJS `.js` files, never to the `.mjs` twins.
 */
const UNUSED_FILE = { 'apache-arrow': /\.mjs$/ };

function copyPackage(srcDir, destDir, name) {
  const unused = new Set((UNUSED[name] ?? []).map((p) => join(srcDir, p)));
  cpSync(srcDir, destDir, {
    recursive: true,
    filter: (src) => {
      if (src === srcDir) return true;
      if (unused.has(src)) return false;
      if (statSync(src).isDirectory()) return !JUNK_DIR.has(basename(src));
      return !JUNK_FILE.test(basename(src)) && !UNUSED_FILE[name]?.test(basename(src));
    },
  });
  dropUnshippedDependencies(join(destDir, 'package.json'));
}

/**
 * vsce lists node_modules with `npm list --production`, which fails on a declared dependency that is
 * missing: a staged manifest declares only what is staged (runtimeDeps.mjs' notShipped entries removed,
 * and a command-line tool that is not shipped). Returns the dependency names removed.
 */
export function dropUnshippedDependencies(manifestPath) {
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  const dropped = [];
  // a command-line tool whose files are not staged (Arrow's bin/)
  const bins = typeof manifest.bin === 'string' ? [manifest.bin] : Object.values(manifest.bin ?? {});
  const hadBin = bins.some((b) => !existsSync(join(dirname(manifestPath), b)));
  if (hadBin) delete manifest.bin;
  for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies']) {
    for (const name of Object.keys(manifest[field] ?? {})) {
      if (!notShipped(name, manifest.name)) continue;
      delete manifest[field][name];
      dropped.push(name);
    }
  }
  if (dropped.length || hadBin) writeFileSync(manifestPath, JSON.stringify(manifest, null, 2) + '\n');
  return dropped;
}

/**
 * @param repoRoot the repository
 * @param stageDir emptied and filled
 * @param packages from runtimePackages(): `{ dir, name, version }` relative to repoRoot
 * @param platformPackage `{ name, version, dir }` with `dir` absolute: LanceDB's native package for the target
 * @param roots the package names the extension requires directly (the staged package.json's dependencies)
 */
export function stage({ repoRoot, stageDir, packages, platformPackage, roots }) {
  rmSync(stageDir, { recursive: true, force: true });
  mkdirSync(stageDir, { recursive: true });
  for (const entry of EXTENSION_ENTRIES) {
    cpSync(join(repoRoot, entry), join(stageDir, entry), {
      recursive: true,
      // the integration test bundles are never packed; skip copying them at all
      filter: (src) => !src.startsWith(join(repoRoot, 'dist', 'test')),
    });
  }
  for (const p of packages) copyPackage(join(repoRoot, p.dir), join(stageDir, p.dir), p.name);
  cpSync(platformPackage.dir, join(stageDir, 'node_modules', platformPackage.name), { recursive: true });

  // vsce collects node_modules through `npm list --production`: the staged manifest declares exactly
  // the shipped packages (the others are bundled into dist/), and no dev dependencies or scripts.
  const manifest = JSON.parse(readFileSync(join(stageDir, 'package.json'), 'utf8'));
  const version = (name) => packages.find((p) => p.dir === `node_modules/${name}`)?.version;
  manifest.dependencies = Object.fromEntries(roots.map((name) => [name, version(name)]));
  delete manifest.devDependencies;
  delete manifest.scripts;
  writeFileSync(join(stageDir, 'package.json'), JSON.stringify(manifest, null, 2) + '\n');
}
