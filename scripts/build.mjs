// Bundles the extension entry and the CLI with esbuild.
// LanceDB is external: its native loader cannot be bundled (it loads a platform-specific .node file by path).
import { build } from 'esbuild';
import { chmod, copyFile, mkdir, readFile } from 'node:fs/promises';
import { LAZY_CHUNKS, lazyChunks } from './lazyChunks.mjs';

const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'));

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  external: ['vscode', '@lancedb/lancedb', 'apache-arrow'],
  logLevel: 'warning',
  define: { DEJAFIX_VERSION: JSON.stringify(pkg.version) },
  // jsonc-parser's default (UMD) build requires its parts by computed paths that esbuild cannot follow.
  alias: { 'jsonc-parser': 'jsonc-parser/lib/esm/main.js' },
};

await Promise.all([
  // The banner marks when the extension host starts evaluating the bundle (activation time includes it).
  // Large libraries stay outside the extension bundle and load from node_modules on first use, so
  // the extension host parses ~0.3 MB at startup instead of ~4 MB (bench:activation).
  build({
    ...common,
    minify: true,
    entryPoints: ['src/vscode/extension.ts'],
    outfile: 'dist/extension.js',
    plugins: [lazyChunks],
    banner: { js: 'globalThis.__dejafixLoadStart = performance.now();' },
  }),
  ...Object.entries(LAZY_CHUNKS).map(([chunk, specs]) =>
    build({
      ...common,
      minify: true,
      outfile: `dist/lazy/${chunk}.js`,
      stdin: {
        contents: `module.exports = {${specs.map((s) => `${JSON.stringify(s)}: require(${JSON.stringify(s)})`).join(', ')}};`,
        resolveDir: '.',
        loader: 'js',
      },
    }),
  ),
  // The side panel runs in a webview (a browser): its own bundle, no Node, no externals.
  build({
    entryPoints: ['src/webview/main.ts'],
    outfile: 'dist/webview/main.js',
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    minify: true,
    sourcemap: true,
    logLevel: 'warning',
  }),
  build({
    ...common,
    entryPoints: ['src/cli/main.ts'],
    outfile: 'dist/cli.js',
    banner: { js: '#!/usr/bin/env node' },
  }),
  // The agent hook runs once per tool call: a small bundle of its own that needs no LanceDB, model
  // or SDK (bench:hooks). It loads dist/cli.js beside it only for recall and the session's commit.
  build({
    ...common,
    minify: true,
    entryPoints: ['src/cli/hookMain.ts'],
    outfile: 'dist/hook.js',
    plugins: [lazyChunks],
  }),
  // Integration tests run inside the extension host (test/integration/README.md); mocha stays external.
  build({
    ...common,
    entryPoints: ['test/integration/index.ts', 'test/integration/suite*/**/*.test.ts'],
    outbase: 'test/integration',
    outdir: 'dist/test/integration',
    external: [...common.external, 'mocha', 'azurite'],
  }),
]);
await chmod('dist/cli.js', 0o755);
// The Claude tokenizer loads its WebAssembly from beside the bundle; without it, token counts
// silently fall back to an estimate (outside a checkout, e.g. in the VSIX).
await mkdir('dist', { recursive: true });
await copyFile('node_modules/tiktoken/lite/tiktoken_bg.wasm', 'dist/tiktoken_bg.wasm');
await mkdir('dist/lazy', { recursive: true });
await copyFile('node_modules/tiktoken/lite/tiktoken_bg.wasm', 'dist/lazy/tiktoken_bg.wasm');
// The hook's fast path (POSIX sh: hands tool-call events to the warm server without starting Node).
await copyFile('src/cli/hook/hook.sh', 'dist/hook.sh');
await chmod('dist/hook.sh', 0o755);
