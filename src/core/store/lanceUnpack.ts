import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, readdirSync, readFileSync, statSync, unlinkSync } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { constants, createBrotliDecompress } from 'node:zlib';
import { silentLogger, type Logger } from '../util/logger';
import { isPermissionError } from './errors';
import { DejafixError } from '../util/errors';

// The VSIX ships LanceDB's native library brotli-compressed (scripts/package/native.mjs; brotli's
// large-window format, which the decoder must be told to accept): the platform package holds
// `<main>.br` instead of `<main>`, and its package.json says so under COMPRESSED_FIELD. Before
// LanceDB is first required, the library is unpacked next to the .br (or, when that folder is
// read-only, into a per-user cache that LanceDB is then pointed at).

/** What the packaging writes into the platform package's package.json. */
export const COMPRESSED_FIELD = 'dejafixCompressedBinary';

export interface CompressedBinary {
  /** The compressed file, relative to the package folder: `<main>.br`. */
  file: string;
  /** Size and SHA-256 (hex) of the unpacked library. */
  bytes: number;
  sha256: string;
}

export interface NativePackage {
  name: string;
  version: string;
  dir: string;
  /** Where LanceDB looks for the library: the package's `main`. */
  library: string;
  compressed?: CompressedBinary;
}

export class NativeUnpackError extends DejafixError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, { code: 'native-unpack', cause: options?.cause });
    this.name = 'NativeUnpackError';
  }
}

/** A temp file of a process that died while unpacking is removed after this long. */
const STALE_TEMP_MS = 10 * 60_000;

function readJson(file: string): Record<string, unknown> {
  return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
}

function compressedOf(manifest: Record<string, unknown>): CompressedBinary | undefined {
  const c = manifest[COMPRESSED_FIELD] as Partial<CompressedBinary> | undefined;
  if (c === undefined) return undefined;
  if (
    !c ||
    typeof c !== 'object' ||
    typeof c.file !== 'string' ||
    basename(c.file) !== c.file ||
    !(Number.isSafeInteger(c.bytes) && (c.bytes as number) > 0) ||
    !/^[0-9a-f]{64}$/.test(String(c.sha256))
  ) {
    throw new NativeUnpackError(
      `The ${COMPRESSED_FIELD} entry of ${String(manifest.name)}'s package.json is malformed; reinstall Dejafix.`,
    );
  }
  return c as CompressedBinary;
}

/**
 * LanceDB's platform packages for this machine (`@lancedb/lancedb-<platform>-<arch>…` among its
 * optional dependencies) that are installed next to `@lancedb/lancedb`, resolved from `from`.
 */
export function findNativePackages(from: string, platform = process.platform, arch = process.arch): NativePackage[] {
  const req = createRequire(from);
  let dir = dirname(req.resolve('@lancedb/lancedb'));
  while (!existsSync(join(dir, 'package.json')) || readJson(join(dir, 'package.json')).name !== '@lancedb/lancedb') {
    if (dirname(dir) === dir)
      throw new NativeUnpackError(`Found no package.json of @lancedb/lancedb above ${req.resolve('@lancedb/lancedb')}.`);
    dir = dirname(dir);
  }
  const lance = readJson(join(dir, 'package.json'));
  const names = Object.keys((lance.optionalDependencies as Record<string, string> | undefined) ?? {}).filter((n) =>
    n.startsWith(`@lancedb/lancedb-${platform}-${arch}`),
  );
  const lanceReq = createRequire(join(dir, 'package.json'));
  const found: NativePackage[] = [];
  for (const name of names) {
    let manifestPath: string;
    try {
      manifestPath = lanceReq.resolve(`${name}/package.json`);
    } catch {
      continue; // not installed (npm installs only the one for this machine)
    }
    const manifest = readJson(manifestPath);
    const pkgDir = dirname(manifestPath);
    const main = typeof manifest.main === 'string' ? manifest.main : '';
    if (!main) continue;
    found.push({ name, version: String(manifest.version), dir: pkgDir, library: join(pkgDir, main), compressed: compressedOf(manifest) });
  }
  return found;
}

/** The per-user cache folder (`$XDG_CACHE_HOME/dejafix`, `~/Library/Caches/dejafix`, `%LOCALAPPDATA%\dejafix\cache`). */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  const home = env.HOME || env.USERPROFILE || homedir();
  if (platform === 'win32') return join(env.LOCALAPPDATA || join(home, 'AppData', 'Local'), 'dejafix', 'cache');
  if (platform === 'darwin') return join(home, 'Library', 'Caches', 'dejafix');
  return join(env.XDG_CACHE_HOME || join(home, '.cache'), 'dejafix');
}

async function isComplete(file: string, expected: CompressedBinary): Promise<boolean> {
  return stat(file).then(
    (s) => s.isFile() && s.size === expected.bytes,
    () => false,
  );
}

/** Removes temp files of `target` left by a process that died while unpacking. */
function removeStaleTemps(target: string): void {
  const prefix = `${basename(target)}.`;
  try {
    for (const f of readdirSync(dirname(target))) {
      if (!f.startsWith(prefix) || !f.endsWith('.tmp')) continue;
      const path = join(dirname(target), f);
      if (Date.now() - statSync(path).mtimeMs > STALE_TEMP_MS) unlinkSync(path);
    }
  } catch {
    // best effort: another process may have removed it first
  }
}

/**
 * Decompresses `source` to `target` through a temp file in the same folder, checking size and
 * SHA-256, then renames it into place. When another process got there first, its file is used.
 * Returns false when `target` was already complete.
 */
export async function unpackTo(source: string, target: string, expected: CompressedBinary): Promise<boolean> {
  if (await isComplete(target, expected)) return false;
  await mkdir(dirname(target), { recursive: true });
  removeStaleTemps(target);
  const temp = `${target}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
  const hash = createHash('sha256');
  let bytes = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk);
      bytes += chunk.length;
      done(null, chunk);
    },
  });
  try {
    await pipeline(
      createReadStream(source),
      createBrotliDecompress({ params: { [constants.BROTLI_DECODER_PARAM_LARGE_WINDOW]: 1 } }),
      tap,
      createWriteStream(temp, { flags: 'wx', mode: 0o755 }),
    );
    const sha256 = hash.digest('hex');
    if (bytes !== expected.bytes || sha256 !== expected.sha256) {
      throw new Error(
        `the result is ${bytes} bytes with SHA-256 ${sha256.slice(0, 12)}…, expected ${expected.bytes} bytes with ${expected.sha256.slice(0, 12)}…`,
      );
    }
    if (await isComplete(target, expected)) return true; // another process won the race
    try {
      await rename(temp, target);
    } catch (e) {
      // Windows refuses to replace a library another process has loaded: that one is complete.
      if (!(await isComplete(target, expected))) throw e;
    }
    return true;
  } catch (e) {
    if (isPermissionError(e)) throw e;
    throw new NativeUnpackError(
      `Could not unpack LanceDB's native library ${source} to ${target}: ${(e as Error).message}. Reinstall Dejafix; if it persists, report it.`,
      { cause: e },
    );
  } finally {
    await rm(temp, { force: true });
  }
}

export interface PrepareOptions {
  /** File `@lancedb/lancedb` is resolved from (default: this module). */
  from?: string;
  /** Used when the package folder is read-only (default: defaultCacheDir()). */
  cacheDir?: string;
  log?: Logger;
}

/**
 * Makes sure LanceDB's native library for this machine exists. Returns `undefined` when LanceDB
 * will find it by itself, or the path of the copy in the per-user cache when the package folder
 * was read-only (load it with NAPI_RS_NATIVE_LIBRARY_PATH).
 */
export async function prepareLanceNative(options: PrepareOptions = {}): Promise<string | undefined> {
  const log = options.log ?? silentLogger;
  const candidates = findNativePackages(options.from ?? __filename);
  const pkg = candidates.find((p) => p.compressed && existsSync(join(p.dir, p.compressed.file)));
  if (!pkg?.compressed || (await isComplete(pkg.library, pkg.compressed))) return undefined;
  const source = join(pkg.dir, pkg.compressed.file);
  const started = Date.now();
  try {
    await unpackTo(source, pkg.library, pkg.compressed);
    log.info(
      `Unpacked LanceDB's native library (${(pkg.compressed.bytes / 1e6).toFixed(0)} MB) in ${Date.now() - started} ms: ${pkg.library}`,
    );
    return undefined;
  } catch (e) {
    if (!isPermissionError(e)) throw e;
  }
  const cached = join(
    options.cacheDir ?? defaultCacheDir(),
    'native',
    `${pkg.name.replace('/', '+')}@${pkg.version}-${pkg.compressed.sha256.slice(0, 16)}`,
    basename(pkg.library),
  );
  let unpacked: boolean;
  try {
    unpacked = await unpackTo(source, cached, pkg.compressed);
  } catch (e) {
    if (e instanceof NativeUnpackError) throw e;
    throw new NativeUnpackError(
      `LanceDB's native library cannot be unpacked: ${pkg.dir} is read-only and so is the cache folder (${(e as Error).message}).`,
      { cause: e },
    );
  }
  if (unpacked)
    log.info(
      `Unpacked LanceDB's native library into the per-user cache in ${Date.now() - started} ms (${pkg.dir} is read-only): ${cached}`,
    );
  return cached;
}
