// LanceDB's native package for a VSIX target: the installed one for this machine, otherwise fetched
// once with `npm pack` from the npm registry into .cache/vsix-packages/ and unpacked there.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/** VS Code target → LanceDB platform package suffix (LanceDB has no darwin-x64 build). */
export const TARGETS = {
  'linux-x64': 'linux-x64-gnu',
  'linux-arm64': 'linux-arm64-gnu',
  'darwin-arm64': 'darwin-arm64',
  'win32-x64': 'win32-x64-msvc',
};

function readJson(file) {
  return JSON.parse(readFileSync(file, 'utf8'));
}

/** `{ name, version, dir }` of the native package for `target`, downloading it when needed. */
export function lancePlatformPackage(target, repoRoot) {
  const suffix = TARGETS[target];
  if (!suffix) throw new Error(`unknown target ${target}; known: ${Object.keys(TARGETS).join(', ')}`);
  const lance = readJson(join(repoRoot, 'node_modules/@lancedb/lancedb/package.json'));
  const name = `@lancedb/lancedb-${suffix}`;
  const version = lance.optionalDependencies?.[name];
  if (!version) throw new Error(`@lancedb/lancedb ${lance.version} lists no ${name} in its optionalDependencies`);

  const installed = join(repoRoot, 'node_modules', name);
  if (existsSync(join(installed, 'package.json')) && readJson(join(installed, 'package.json')).version === version) {
    return { name, version, dir: installed };
  }
  const cache = join(repoRoot, '.cache/vsix-packages');
  const dir = join(cache, `${name.replace('/', '+')}@${version}`);
  const done = join(dir, 'package', 'package.json');
  if (!existsSync(done)) {
    mkdirSync(cache, { recursive: true });
    const tarball = join(cache, `lancedb-lancedb-${suffix}-${version}.tgz`);
    if (!existsSync(tarball)) {
      process.stdout.write(`  fetching ${name}@${version} from the npm registry (npm pack)…\n`);
      execFileSync('npm', ['pack', `${name}@${version}`, '--pack-destination', cache, '--loglevel=error'], {
        stdio: ['ignore', 'ignore', 'inherit'],
      });
    }
    if (!existsSync(tarball)) throw new Error(`npm pack did not write ${tarball}`);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    execFileSync('tar', ['-xzf', tarball, '-C', dir]);
    rmSync(tarball); // the unpacked copy is the cache
  }
  const manifest = readJson(done);
  if (manifest.name !== name || manifest.version !== version) {
    throw new Error(`${done} is ${manifest.name}@${manifest.version}, expected ${name}@${version}; delete ${dir} and retry`);
  }
  return { name, version, dir: join(dir, 'package') };
}
