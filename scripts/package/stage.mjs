// Builds one target's staging folder: the extension's own files plus exactly the runtime packages in
// node_modules (without maps, TypeScript sources and declarations, docs and tests).
import { cpSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';

/** Top-level entries copied into the staging folder; `.vscodeignore` (an allow-list) decides what is packed. */
const EXTENSION_ENTRIES = ['package.json', 'README.md', 'CHANGELOG.md', 'LICENSE', '.vscodeignore', 'dist', 'media', 'demo'];

/** Not needed at runtime in any package. */
const JUNK_FILE = /(\.map|\.tsbuildinfo|\.[mc]?ts|^(README|CHANGELOG|HISTORY|CONTRIBUTING)(\.[a-z]+)?)$/i;
/** `node_modules` inside a package: its nested dependencies are copied as packages of their own. */
const JUNK_DIR = new Set(['node_modules', 'test', 'tests', '__tests__', 'example', 'examples', 'docs', '.github']);
/** Package-specific files nothing here loads: @anthropic-ai/tokenizer uses only `tiktoken/lite`. */
const UNUSED = { tiktoken: ['encoders', 'tiktoken_bg.wasm'] };

function copyPackage(srcDir, destDir, name) {
  const unused = new Set((UNUSED[name] ?? []).map((p) => join(srcDir, p)));
  cpSync(srcDir, destDir, {
    recursive: true,
    filter: (src) => {
      if (src === srcDir) return true;
      if (unused.has(src)) return false;
      if (statSync(src).isDirectory()) return !JUNK_DIR.has(basename(src));
      return !JUNK_FILE.test(basename(src));
    },
  });
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
