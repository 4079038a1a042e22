#!/usr/bin/env node
// npm start [-- --port 8080] [--vsix]
// Dejafix in a real VS Code in your browser: builds the extension and installs the build folder into
// code-server (`npm run setup` installs it under .cache/) without packaging — the extension folder holds
// the fresh bundles and links the repository's node_modules (--vsix packages and installs a real VSIX
// instead, minutes slower). Seeds a store with the demo memory and opens a fresh copy of demo/workspace
// (a small project with a failing test) at http://127.0.0.1:8080 until Ctrl+C. Everything it writes is
// under .dejafix-demo/.
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  cpSync,
  createWriteStream,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';

const repoRoot = resolve(import.meta.dirname, '..');
const demo = join(repoRoot, '.dejafix-demo');
const { values } = parseArgs({
  options: {
    port: { type: 'string', default: process.env.PORT || '8080' },
    vsix: { type: 'boolean', default: false },
  },
});
const port = Number(values.port);
if (!Number.isInteger(port) || port < 1 || port > 65535) fail(`--port must be a port number, got ${values.port}`);

function fail(message) {
  process.stderr.write(`npm start: ${message}\n`);
  process.exit(1);
}

function run(cmd, args, opts = {}) {
  execFileSync(cmd, args, { cwd: repoRoot, stdio: 'inherit', ...opts });
}

/** The paths `npm run setup` wrote, or undefined when setup has not run (or its files are gone). */
function setupEnv() {
  const file = join(repoRoot, '.cache/env.json');
  if (!existsSync(file)) return undefined;
  const env = JSON.parse(readFileSync(file, 'utf8'));
  return [env.node, env.codeServerEntry].every((p) => p && existsSync(p)) ? env : undefined;
}

function portFree(p) {
  return new Promise((res) => {
    const srv = createServer();
    srv.once('error', () => res(false));
    srv.listen(p, '127.0.0.1', () => srv.close(() => res(true)));
  });
}

async function waitHealthy(url, child, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) fail(`code-server exited with ${child.exitCode} while starting (log: ${join(demo, 'code-server.log')})`);
    const ok = await globalThis.fetch(new URL('healthz', url), { signal: globalThis.AbortSignal.timeout(2000) }).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await sleep(250);
  }
  fail(`code-server did not answer ${url} within ${timeoutMs / 1000} s (log: ${join(demo, 'code-server.log')})`);
}

if (!(await portFree(port))) fail(`port ${port} on 127.0.0.1 is in use (another npm start?); stop it or pass --port <n>`);

// 1. code-server, Node 22 and chromium (idempotent; quick when already installed)
let env = setupEnv();
if (!env) {
  process.stdout.write('code-server is not installed yet: running npm run setup (once, a few minutes)…\n');
  run('npm', ['run', 'setup']);
  env = setupEnv() ?? fail('npm run setup finished but .cache/env.json is still missing or incomplete');
}

// 2. build (seconds); --vsix also packages the VSIX for this machine (minutes: compression, checks)
const startedAt = Date.now();
const { name, publisher, version } = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
let vsix;
if (values.vsix) {
  const target = `${process.platform}-${process.arch}`;
  vsix = join(repoRoot, 'dist-vsix', `${name}-${target}-${version}.vsix`);
  run(process.execPath, ['scripts/package.mjs', '--target', target]);
} else {
  // A warm start skips the build when nothing it reads changed (content hash of the sources).
  const hashFile = join(demo, 'build.sha256');
  const hash = contentHash(['src', 'media', 'package.json', 'package-lock.json', 'scripts/build.mjs', 'tsconfig.json']);
  const built = ['dist/extension.js', 'dist/cli.js', 'dist/webview/main.js'].every((f) => existsSync(join(repoRoot, f)));
  if (built && existsSync(hashFile) && readFileSync(hashFile, 'utf8') === hash) {
    process.stdout.write('Build is up to date (sources unchanged since the last npm start).\n');
  } else {
    process.stdout.write('Building (scripts/build.mjs)…\n');
    run(process.execPath, ['scripts/build.mjs']);
    mkdirSync(demo, { recursive: true });
    writeFileSync(hashFile, hash);
  }
}

/** sha256 over the paths and bytes of files and folders (relative to the repository), in a stable order. */
function contentHash(entries) {
  const h = createHash('sha256');
  for (const rel of entries) {
    const abs = join(repoRoot, rel);
    if (!existsSync(abs)) continue;
    const files = statSync(abs).isDirectory()
      ? readdirSync(abs, { recursive: true, withFileTypes: true })
          .filter((d) => d.isFile())
          .map((d) => join(d.parentPath ?? d.path, d.name))
          .sort()
      : [abs];
    for (const f of files) h.update(f.slice(repoRoot.length)).update('\0').update(readFileSync(f)).update('\0');
  }
  return h.digest('hex');
}

// 3. a fresh demo: user data, the extension, the store with the demo memory, the workspace
const userData = join(demo, 'code-server/user-data');
const extensions = join(demo, 'code-server/extensions');
const store = join(demo, 'store');
const workspace = join(demo, 'workspace');
for (const dir of [userData, store, workspace, extensions]) rmSync(dir, { recursive: true, force: true });
mkdirSync(join(userData, 'User'), { recursive: true });
mkdirSync(extensions, { recursive: true });
const settings = {
  'workbench.startupEditor': 'readme',
  'workbench.tips.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'git.openRepositoryInParentFolders': 'never',
};
writeFileSync(join(userData, 'User/settings.json'), JSON.stringify(settings, null, 2));
// code-server is a remote window: machine-scoped settings (dejafix.store.path) count only here.
mkdirSync(join(userData, 'Machine'), { recursive: true });
writeFileSync(join(userData, 'Machine/settings.json'), JSON.stringify({ 'dejafix.store.path': store }, null, 2));
const config = join(demo, 'code-server/config.yaml');
writeFileSync(config, 'auth: none\ncert: false\n');
const csArgs = ['--config', config, '--user-data-dir', userData, '--extensions-dir', extensions];
if (vsix) {
  process.stdout.write(`Installing ${vsix} into code-server…\n`);
  run(env.node, [env.codeServerEntry, ...csArgs, '--install-extension', vsix, '--force'], { stdio: ['ignore', 'ignore', 'inherit'] });
} else {
  installBuildFolder(join(extensions, `${publisher}.${name}-${version}`));
}

/**
 * Installs the build as an unpacked extension: VS Code registers a folder found in an empty extensions
 * directory (it writes extensions.json itself on first scan). The manifest, bundles and media are
 * copied (a rebuild does not change a running demo); node_modules links the repository's (LanceDB's
 * native library, the lazily loaded packages, the embedding model).
 */
function installBuildFolder(dir) {
  mkdirSync(dir, { recursive: true });
  for (const entry of ['package.json', 'README.md', 'CHANGELOG.md', 'LICENSE', 'dist', 'media', 'demo/memory.jsonl']) {
    const from = join(repoRoot, entry);
    if (existsSync(from)) cpSync(from, join(dir, entry), { recursive: true, filter: (src) => !src.includes(`${join('dist', 'test')}`) });
  }
  symlinkSync(join(repoRoot, 'node_modules'), join(dir, 'node_modules'), 'dir');
  process.stdout.write(`Installed the build folder as ${dir} (${((Date.now() - startedAt) / 1000).toFixed(0)} s since start)\n`);
}

// The seeded store (import + embedding, ~10 s) is cached, keyed by the demo memory, the CLI build and
// the day: the demo's dates are moved so its newest record is two days old (lessons are not stale).
const today = new Date().toISOString().slice(0, 10);
const newest = new Date(Date.parse(today) - 2 * 86_400_000).toISOString();
const seedKey = createHash('sha256')
  .update(readFileSync(join(repoRoot, 'demo/memory.jsonl')))
  .update(readFileSync(join(repoRoot, 'dist/cli.js')))
  .update(today)
  .digest('hex')
  .slice(0, 16);
const seeded = join(demo, `seeded-store-${seedKey}`);
if (!existsSync(seeded)) {
  process.stdout.write('Seeding the demo memory (demo/memory.jsonl)…\n');
  for (const old of readdirSync(demo).filter((n) => n.startsWith('seeded-store-')))
    rmSync(join(demo, old), { recursive: true, force: true });
  const tmp = `${seeded}.tmp`;
  rmSync(tmp, { recursive: true, force: true });
  run(process.execPath, ['dist/cli.js', 'import', '--store', tmp, '--shift-dates', newest, 'demo/memory.jsonl'], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  renameSync(tmp, seeded);
}
cpSync(seeded, store, { recursive: true });

cpSync(join(repoRoot, 'demo/workspace'), workspace, { recursive: true });
const git = (...args) => execFileSync('git', args, { cwd: workspace, stdio: 'ignore' });
git('init', '-q', '-b', 'main');
// The demo memory's repairs are from this (made-up) repository, so they rank as this project's own.
git('remote', 'add', 'origin', 'https://github.com/acme/invoice-service.git');
git('add', '-A');
git(
  '-c',
  'user.name=Dejafix Demo',
  '-c',
  'user.email=demo@dejafix.invalid',
  'commit',
  '-q',
  '-m',
  'invoice-service with a failing CSV export test',
);

// 4. serve until Ctrl+C (trusted workspace: Dejafix records test runs only in trusted ones)
const log = createWriteStream(join(demo, 'code-server.log'));
const child = spawn(
  env.node,
  [
    env.codeServerEntry,
    ...csArgs,
    '--auth',
    'none',
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-getting-started-override',
    '--disable-workspace-trust',
    workspace,
  ],
  {
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // its own process group: stopping it also stops the extension host
  },
);
child.stdout.pipe(log);
child.stderr.pipe(log);
const stop = () => {
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    // already gone
  }
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
process.on('exit', stop);
const url = `http://127.0.0.1:${port}/`;
await waitHealthy(url, child, 60_000);
process.stdout.write(`
Dejafix is running in VS Code (code-server ${env.codeServerVersion}), ready in ${((Date.now() - startedAt) / 1000).toFixed(0)} s:

    ${url}

  workspace  ${workspace}
             a fresh copy of demo/workspace; \`python3 -m unittest\` has one failing test
  memory     ${store}
             the demo memory: 12 past repairs and 4 lessons
  try        Command Palette (Ctrl+Shift+P) → "Dejafix: Open Issue…" →
             "CSV export fails with TypeError in csv_export.py when the issue date column is empty"
  log        ${join(demo, 'code-server.log')}

Press Ctrl+C to stop.
`);
child.on('exit', (code, signal) => {
  log.end();
  process.stdout.write(`code-server stopped${signal ? ` (${signal})` : ''}.\n`);
  process.exit(signal === 'SIGTERM' || signal === 'SIGINT' ? 0 : (code ?? 0));
});
