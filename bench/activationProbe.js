// One measurement, in a fresh process: load dist/extension.js and call activate() with a VS Code
// API whose every member is an inert function (what activation touches is registration only), and
// print the times as JSON. Spawned by bench/activation.ts. Fails if activation loaded a heavy library,
// from node_modules or from the chunks it is bundled into (dist/lazy/*.js).
const Module = require('node:module');
const path = require('node:path');

const errors = [];
function inert(name) {
  if (name.endsWith('createOutputChannel()')) return channel();
  const fn = function () {
    return inert(`${name}()`);
  };
  return new Proxy(fn, {
    get(_t, prop) {
      if (prop === 'then') return name.endsWith('()') ? (ok) => Promise.resolve(ok?.(undefined)) : undefined;
      if (prop === Symbol.toPrimitive) return () => name;
      if (prop === 'dispose') return () => undefined;
      if (prop === 'event') return () => ({ dispose() {} });
      return inert(`${name}.${String(prop)}`);
    },
    set: () => true,
    defineProperty: () => true,
    construct() {
      return inert(`new ${name}`);
    },
  });
}

// The API's namespaces and classes, each inert. (esbuild copies a CommonJS module's own keys, so
// they must be real properties, not only answers of a proxy.)
function channel() {
  const c = inert('channel');
  return new Proxy(c, { get: (t, p) => (p === 'error' ? (m) => errors.push(m) : t[p]) });
}
const shim = { __esModule: true };
for (const k of [
  'window',
  'workspace',
  'commands',
  'tasks',
  'extensions',
  'lm',
  'chat',
  'env',
  'languages',
  'authentication',
  'Uri',
  'EventEmitter',
  'Disposable',
  'StatusBarAlignment',
  'TaskGroup',
  'ShellExecution',
  'ProcessExecution',
  'ProgressLocation',
  'ConfigurationTarget',
  'LanguageModelChatMessage',
  'LanguageModelChatToolMode',
  'LanguageModelToolCallPart',
  'LanguageModelError',
  'LanguageModelTextPart',
  'LanguageModelToolResult',
  'MarkdownString',
  'ThemeIcon',
  'McpStdioServerDefinition',
  'CancellationTokenSource',
])
  shim[k] = inert(k);
// Settings read at activation get their defaults.
const workspace = shim.workspace;
shim.workspace = new Proxy({}, { get: (_t, p) => (p === 'getConfiguration' ? () => ({ get: () => undefined }) : workspace[p]) });

const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return request === 'vscode' ? 'vscode' : resolve.call(this, request, ...rest);
};
require.cache.vscode = { id: 'vscode', filename: 'vscode', loaded: true, exports: shim };

const t0 = performance.now();
const ext = require(path.join(__dirname, '../dist/extension.js'));
const loaded = performance.now();
const context = {
  subscriptions: [],
  extensionPath: path.join(__dirname, '..'),
  extensionUri: inert('extensionUri'),
  globalStorageUri: inert('globalStorageUri'),
  workspaceState: inert('workspaceState'),
  globalState: inert('globalState'),
  secrets: inert('secrets'),
};
ext.activate(context);
const done = performance.now();
if (errors.length) throw new Error(`activation logged errors: ${errors.join('\n')}`);
const heavy = Object.keys(require.cache).filter((f) =>
  /@lancedb|apache-arrow|@anthropic-ai|@energetic-ai|@secretlint|[\\/]zod[\\/]|@modelcontextprotocol|[\\/]dist[\\/]lazy[\\/]/.test(f),
);
if (heavy.length) throw new Error(`activation loaded heavy modules: ${heavy.slice(0, 3).join(', ')}`);
process.stdout.write(
  JSON.stringify({ loadMs: loaded - t0, activateMs: done - loaded, totalMs: done - t0, registrations: context.subscriptions.length }),
);
// Work activate() schedules (e.g. background team sync timers) would keep this process alive: the probe is done.
process.exit(0);
