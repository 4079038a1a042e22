// Node 22 for code-server (VS Code 1.103 runs on Node 22), from the npm package node-<os>-<arch>@22:
// a plain binary plus the `include/node` headers node-gyp needs to build native modules offline.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { run } from './steps.mjs';

const MAJOR = 22;

function nodeVersion(bin) {
  const r = spawnSync(bin, ['--version'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

/** A Node 22 binary with headers: this machine's Node when it qualifies, else the cached npm package. */
export async function ensureNode22(cacheDir, log) {
  const sysPrefix = dirname(dirname(process.execPath));
  if (Number(process.versions.node.split('.')[0]) === MAJOR && existsSync(join(sysPrefix, 'include/node/node.h'))) {
    return { bin: process.execPath, nodedir: sysPrefix, note: `this machine's node v${process.versions.node}` };
  }
  const dir = join(cacheDir, `node${MAJOR}`);
  const pkgDir = join(dir, 'package');
  const bin = join(pkgDir, 'bin/node');
  const have = existsSync(bin) && existsSync(join(pkgDir, 'include/node/node.h')) ? nodeVersion(bin) : null;
  if (have) return { bin, nodedir: pkgDir, note: `cached ${have}` };

  const name = `node-${process.platform}-${process.arch}@${MAJOR}`;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  await run('npm', ['pack', name, '--pack-destination', dir, '--silent'], { cwd: dir, log });
  const tgz = readdirSync(dir).find((f) => f.endsWith('.tgz'));
  if (!tgz) throw new Error(`npm pack ${name} produced no tarball in ${dir}`);
  await run('tar', ['-xzf', tgz], { cwd: dir, log });
  rmSync(join(dir, tgz));
  const version = nodeVersion(bin);
  if (!version) throw new Error(`${bin} does not run after unpacking ${name}`);
  return { bin, nodedir: pkgDir, note: `unpacked ${name} → ${version}` };
}
