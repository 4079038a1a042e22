// Ships LanceDB's native library brotli-compressed: in the staged platform package, `<main>` becomes
// `<main>.br` and package.json records the unpacked size and SHA-256 under COMPRESSED_FIELD.
// src/core/store/lanceUnpack.ts unpacks it before LanceDB is first required. Linux libraries lose
// their static symbol table first (`strip --strip-unneeded`; the dynamic symbols Node needs stay).
// Results are cached in .cache/vsix-packages/compressed/, keyed by the library's SHA-256 and the settings.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, constants } from 'node:zlib';

/** The package.json field src/core/store/lanceUnpack.ts reads (COMPRESSED_FIELD there). */
export const COMPRESSED_FIELD = 'dejafixCompressedBinary';
/**
 * Brotli with a large window (brotli's large-window format; lanceUnpack.ts enables it in its decoder,
 * which holds up to the window, 64 MiB, while unpacking for about a second). Two levels:
 * - `fast` (quality 5, the default): linux-x64's stripped library (141 MB) → 40.3 MB in 8 s of CPU;
 * - `best` (quality 10): → 33.0 MB in about 230 s of CPU (Zopfli-style search; 393 s on a loaded CI box).
 * package.mjs packs with `fast` and repacks a target with `best` only when its VSIX is over the budget;
 * `--compression best` makes the smallest VSIXs (a release). Measured in bench/RESULTS.md ("Packaging time").
 */
export const QUALITY = { fast: 5, best: 10 };
const WINDOW_BITS = 26;
const params = (quality) => ({
  [constants.BROTLI_PARAM_QUALITY]: quality,
  [constants.BROTLI_PARAM_LGWIN]: WINDOW_BITS,
  [constants.BROTLI_PARAM_LARGE_WINDOW]: 1,
});

const sha256 = (data) => createHash('sha256').update(data).digest('hex');
const isElf = (data) => data.length > 4 && data.readUInt32BE(0) === 0x7f454c46;

/** The stripped library, or a reason why not (no `strip`, or one that does not know this architecture). */
function stripped(library, scratch) {
  try {
    execFileSync('strip', ['--strip-unneeded', '-o', scratch, library], { stdio: ['ignore', 'ignore', 'pipe'] });
    return { data: readFileSync(scratch) };
  } catch (e) {
    return {
      reason: String(e.stderr || e.message)
        .trim()
        .split('\n')[0],
    };
  } finally {
    rmSync(scratch, { force: true });
  }
}

/** The compressed library and what it unpacks to, from the cache or made now. */
function compressed(library, platformPackage, target, cacheDir, quality) {
  const input = readFileSync(library);
  const key = `${platformPackage.name.replace('/', '+')}@${platformPackage.version}-${sha256(input).slice(0, 16)}-q${quality}w${WINDOW_BITS}L`;
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
  process.stdout.write(
    `  compressing ${basename(library)} (${(data.length / 1e6).toFixed(0)} MB, brotli ${quality}${quality >= 10 ? '; takes minutes, once' : ''})…\n`,
  );
  const br = brotliCompressSync(data, { params: { ...params(quality), [constants.BROTLI_PARAM_SIZE_HINT]: data.length } });
  const back = brotliDecompressSync(br, { params: { [constants.BROTLI_DECODER_PARAM_LARGE_WINDOW]: 1 } });
  if (!back.equals(data)) throw new Error(`brotli round trip of ${library} gave different bytes`);
  const meta = { bytes: data.length, sha256: sha256(data), note };
  writeFileSync(`${brFile}.tmp`, br);
  renameSync(`${brFile}.tmp`, brFile);
  writeFileSync(metaFile, JSON.stringify(meta, null, 2) + '\n');
  return { br, meta, before: input.length, cached: false };
}

/**
 * Replaces the library of the staged platform package (`stagePkgDir`) with `<main>.br`, compressed at
 * `level` (a key of QUALITY). Returns sizes in bytes for the report.
 */
export function compressNative({ stagePkgDir, platformPackage, target, cacheDir, level = 'fast' }) {
  const quality = QUALITY[level];
  if (quality === undefined) throw new Error(`unknown compression level ${level}; known: ${Object.keys(QUALITY).join(', ')}`);
  const started = Date.now();
  const manifestPath = join(stagePkgDir, 'package.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  if (typeof manifest.main !== 'string' || !manifest.main.endsWith('.node')) {
    throw new Error(`${platformPackage.name}'s package.json has main ${JSON.stringify(manifest.main)}, not a .node library`);
  }
  const library = join(stagePkgDir, manifest.main);
  const { br, meta, before, cached } = compressed(library, platformPackage, target, cacheDir, quality);
  const file = `${basename(library)}.br`;
  writeFileSync(join(stagePkgDir, file), br);
  rmSync(library);
  manifest[COMPRESSED_FIELD] = { file, bytes: meta.bytes, sha256: meta.sha256 };
  writeFileSync(manifestPath, JSON.stringify(manifest, null, 2) + '\n');
  process.stdout.write(
    `  LanceDB native library: ${(before / 1e6).toFixed(1)} MB → ${meta.note} → ${file} ${(br.length / 1e6).toFixed(1)} MB` +
      ` (brotli ${quality}, ${cached ? 'cached' : `${((Date.now() - started) / 1000).toFixed(0)} s`})\n`,
  );
  return { before, unpacked: meta.bytes, compressed: br.length, quality, seconds: (Date.now() - started) / 1000, cached };
}
