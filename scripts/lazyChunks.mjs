// The packages the extension and the agent hook load only when first needed, and the esbuild plugin
// that turns their imports into requires of chunks in dist/lazy/ (scripts/build.mjs builds the chunks).
/**
 * Packages the extension loads only when first needed: bundled into chunks of their own in dist/lazy/
 * (packages that share state, such as secretlint's core and profiler, share a chunk), so the VSIX ships
 * them as a few files instead of thousands in node_modules, and the extension bundle stays small.
 */
export const LAZY_CHUNKS = {
  zod: ['zod'],
  anthropic: ['@anthropic-ai/sdk', '@anthropic-ai/tokenizer'],
  secretlint: ['@secretlint/core', '@secretlint/profiler', '@secretlint/secretlint-rule-preset-recommend'],
};
const chunkOf = new Map(Object.entries(LAZY_CHUNKS).flatMap(([chunk, specs]) => specs.map((s) => [s, chunk])));
const escape = (s) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** In the extension bundle, `require('zod')` becomes `require('./lazy/zod.js')['zod']`, evaluated when first reached. */
export const lazyChunks = {
  name: 'lazy-chunks',
  setup(b) {
    b.onResolve({ filter: /^\.\/lazy\// }, (a) => ({ path: a.path, external: true }));
    b.onResolve({ filter: new RegExp(`^(${[...chunkOf.keys()].map(escape).join('|')})$`) }, (a) => ({
      path: a.path,
      namespace: 'lazy-shim',
    }));
    b.onLoad({ filter: /.*/, namespace: 'lazy-shim' }, (a) => ({
      contents: `module.exports = require('./lazy/${chunkOf.get(a.path)}.js')[${JSON.stringify(a.path)}];`,
      loader: 'js',
    }));
  },
};
