// Ships LanceDB's native library brotli-compressed: in the staged platform package, `<main>` becomes
// `<main>.br` and package.json records the unpacked size and SHA-256 under COMPRESSED_FIELD.
// src/core/store/lanceUnpack.ts unpacks it before LanceDB is first required. Linux libraries lose
// their static symbol table first (`strip --strip-unneeded`; the dynamic symbols Node needs stay).
// Compressing takes minutes, so results are cached in .cache/vsix-packages/compressed/.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, constants } from 'node:zlib';

/** The package.json field src/core/store/lanceUnpack.ts reads (COMPRESSED_FIELD there). */
export const COMPRESSED_FIELD = 'dejafixCompressedBinary';
/**
 * Brotli quality 10 with a large window (brotli's large-window format; lanceUnpack.ts enables it
 * in its decoder). Measured: linux-x64 library (stripped, 141 MB), 16 MiB window: quality 9 →
 * 36.8 MiB in 68 s, 10 → 32.8 MiB in 229 s; win32-x64 (174 MB), quality 10: 16 MiB window → 37.5 MB,
 * 64 MiB → 35.6 MB, 256 MiB → 35.3 MB. Unpacking takes ~1 s; the decoder holds up to the window
 * (64 MiB) meanwhile.
 */
const QUALITY = 10;
const WINDOW_BITS = 26;
const PARAMS = {
  [constants.BROTLI_PARAM_QUALITY]: QUALITY,
  [constants.BROTLI_PARAM_LGWIN]: WINDOW_BITS,
  [constants.BROTLI_PARAM_LARGE_WINDOW]: 1,
};

const sha256 = (data) => createHash('sha256').update(data).digest('hex');
const isElf = (data) => data.length > 4 && data.readUInt32BE(0) === 0x7f454c46;

/** The stripped library, or a reason why not (no `strip`, or one that does not know this architecture). */
function stripped(library, scratch) {
  try {
    execFileSync('strip', ['--strip-unneeded', '-o', scratch, library], { stdio: ['ignore', 'ignore', 'pipe'] });
    return { data: readFileSync(scratch) };
  } catch (e) {
    return { reason: String(e.stderr || e.message).trim().split('\n')[0] };
  } finally {
    rmSync(scratch, { force: true });
  }
}

/** The compressed library and what it unpacks to, from the cache or made now. */
function compressed(library, platformPackage, target, cacheDir) {
  const input = readFileSync(library);
  const key = `${platformPackage.name.replace('/', '+')}@${platformPackage.version}-${sha256(input).slice(0, 16)}-q${QUALITY}w${WINDOW_BITS}L`;
  const brFile = join(cacheDir, `${key}.br`);
  const metaFile = join(cacheDir, `${key}.json`);
  if (existsSync(brFile) && existsSync(metaFile)) {
    return { br: readFileSync(brFile), meta: JSON.parse(readFileSync(metaFile, 'utf8')), before: input.length, cached: true };
  }
  mkdirSync(cacheDir, { recursive: true });
  let data = input;
  let note = 'not a Linux ELF library: not stripped';
  if (target.startsWith('linux-') && isElf(input)) {
    const s = stripped(library, join(cacheDir, `${key}.stripping`));
    data = s.data ?? input;
    note = s.data ? `stripped ${((input.length - data.length) / 1e6).toFixed(1)} MB` : `not stripped (${s.reason})`;
  }
  process.stdout.write(`  compressing ${basename(library)} (${(data.length / 1e6).toFixed(0)} MB, brotli ${QUALITY}; takes minutes, once)…\n`);
  const br = brotliCompressSync(data, { params: { ...PARAMS, [constants.BROTLI_PARAM_SIZE_HINT]: data.length } });
  const back = brotliDecompressSync(br, { params: { [constants.BROTLI_DECODER_PARAM_LARGE_WINDOW]: 1 } });
  if (!back.equals(data)) throw new Error(`brotli round trip of ${library} gave different bytes`);
  const meta = { bytes: data.length, sha256: sha256(data), note };
  writeFileSync(`${brFile}.tmp`, br);
  renameSync(`${brFile}.tmp`, brFile);
  writeFileSync(metaFile, JSON.stringify(meta, null, 2) + '\n');
  return { br, meta, before: input.length, cached: false };
}

/**
 * Replaces the library of the staged platform package (`stagePkgDir`) with `<main>.br`.
 * Returns sizes in bytes for the report.
 */
export function compressNative({ stagePkgDir, platformPackage, target, cacheDir }) {
  const started = Date.now();
  const manifestPath = join(stagePkgDir, 'package.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  if (typeof manifest.main !== 'string' || !manifest.main.endsWith('.node')) {
    throw new Error(`${platformPackage.name}'s package.json has main ${JSON.stringify(manifest.main)}, not a .node library`);
  }
  const library = join(stagePkgDir, manifest.main);
  const { br, meta, before, cached } = compressed(library, platformPackage, target, cacheDir);
  const file = `${basename(library)}.br`;
  writeFileSync(join(stagePkgDir, file), br);
  rmSync(library);
  manifest[COMPRESSED_FIELD] = { file, bytes: meta.bytes, sha256: meta.sha256 };
  writeFileSync(manifestPath, JSON.stringify(manifest, null, 2) + '\n');
  process.stdout.write(
    `  LanceDB native library: ${(before / 1e6).toFixed(1)} MB → ${meta.note} → ${file} ${(br.length / 1e6).toFixed(1)} MB` +
      ` (${cached ? 'cached' : `${((Date.now() - started) / 1000).toFixed(0)} s`})\n`,
  );
  return { before, unpacked: meta.bytes, compressed: br.length };
}
