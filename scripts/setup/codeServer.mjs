// code-server (VS Code in the browser) from npm, by the recipe below. A plain
// `npm install code-server` fails offline (its postinstall downloads ripgrep from GitHub), so the
// package is unpacked and its dependencies installed and rebuilt step by step; each step leaves a stamp.
import { copyFileSync, chmodSync, existsSync, lstatSync, mkdirSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { run, step, Stamps } from './steps.mjs';

export const CODE_SERVER_VERSION = '4.103.2';

function npmEnv(node) {
  return {
    ...process.env,
    PATH: `${dirname(node.bin)}:${process.env.PATH}`,
    npm_config_nodedir: node.nodedir,
    npm_config_yes: 'true',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
    npm_config_update_notifier: 'false',
  };
}

/** code-server's ripgrep package downloads its binary from GitHub; Debian's rg takes its place. */
function ensureRipgrep(vscode, rgPath) {
  const rgDest = join(vscode, 'node_modules/@vscode/ripgrep/bin/rg');
  if (existsSync(rgDest)) return;
  mkdirSync(dirname(rgDest), { recursive: true });
  copyFileSync(rgPath, rgDest);
  chmodSync(rgDest, 0o755);
}

function ensureSymlink(dir) {
  const link = join(dir, 'node_modules.asar');
  if (existsSync(link) || isLink(link)) return;
  symlinkSync('node_modules', link);
}

function isLink(p) {
  try {
    return lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
}

/** Installs code-server under `<cacheDir>/code-server-<version>/package`; returns its entry script. */
export async function ensureCodeServer(cacheDir, node, rgPath, log) {
  const root = join(cacheDir, `code-server-${CODE_SERVER_VERSION}`);
  const pkg = join(root, 'package');
  const vscode = join(pkg, 'lib/vscode');
  const stamps = new Stamps(join(root, 'stamps'));
  const env = npmEnv(node);
  const nodeStamp = `${node.bin} ${node.nodedir}`;
  const npm = (args, cwd) => run('npm', args, { cwd, env, log });

  const steps = ['deps-top', 'deps-vscode', 'rebuild-vscode', 'rebuild-argon2', 'deps-extensions'];
  if (stamps.has('unpacked') && steps.every((n) => stamps.has(n, nodeStamp))) {
    await step(`code-server ${CODE_SERVER_VERSION}`, async () => {
      ensureRipgrep(vscode, rgPath);
      ensureSymlink(pkg);
      ensureSymlink(vscode);
      return `cached in ${root}`;
    });
    return { entry: join(pkg, 'out/node/entry.js'), root };
  }
  if (!stamps.has('unpacked')) {
    await step(`download and unpack code-server@${CODE_SERVER_VERSION}`, async () => {
      rmSync(root, { recursive: true, force: true });
      mkdirSync(root, { recursive: true });
      await npm(['pack', `code-server@${CODE_SERVER_VERSION}`, '--pack-destination', root, '--silent'], root);
      const tgz = readdirSync(root).find((f) => f.endsWith('.tgz'));
      if (!tgz) throw new Error(`npm pack code-server@${CODE_SERVER_VERSION} produced no tarball`);
      await run('tar', ['-xzf', tgz], { cwd: root, log });
      rmSync(join(root, tgz));
      stamps.set('unpacked');
    });
  }
  const once = async (name, label, fn) => {
    if (stamps.has(name, nodeStamp)) return;
    await step(label, fn);
    stamps.set(name, nodeStamp);
  };
  await once('deps-top', 'npm install code-server dependencies (no scripts)', () =>
    npm(['install', '--omit=dev', '--ignore-scripts', '--no-package-lock'], pkg),
  );
  await once('deps-vscode', 'npm install lib/vscode dependencies (no scripts)', () =>
    npm(['install', '--omit=dev', '--ignore-scripts', '--no-package-lock'], vscode),
  );

  ensureRipgrep(vscode, rgPath);
  await once('rebuild-vscode', 'npm rebuild in lib/vscode (node-pty, spdlog, kerberos, …)', () => npm(['rebuild'], vscode));
  await once('rebuild-argon2', 'npm rebuild argon2', () => npm(['rebuild', 'argon2'], pkg));
  ensureSymlink(pkg);
  ensureSymlink(vscode);
  await once('deps-extensions', 'npm install built-in extensions dependencies', () =>
    npm(['install', '--omit=dev', '--no-package-lock'], join(vscode, 'extensions')),
  );
  return { entry: join(pkg, 'out/node/entry.js'), root };
}
