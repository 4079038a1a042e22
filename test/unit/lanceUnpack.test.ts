// LanceDB's native library ships brotli-compressed in the VSIX and is unpacked before LanceDB is
// first required (src/core/store/lanceUnpack.ts). Tested on fake platform packages in temp folders
// (same layout, a 24 MB payload), with real processes racing, a read-only package folder (as an
// unprivileged user when the tests run as root), corrupt archives, and LanceDB's own loader.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { brotliCompressSync, constants } from 'node:zlib';
import {
  COMPRESSED_FIELD,
  defaultCacheDir,
  findNativePackages,
  NativeUnpackError,
  prepareLanceNative,
  unpackTo,
} from '../../src/core/store/lanceUnpack';

const repoRoot = resolve(__dirname, '../..');
const UNPACK_MODULE = join(repoRoot, 'src/core/store/lanceUnpack.ts');
const FAKE = `@lancedb/lancedb-${process.platform}-${process.arch}-fake`;
const isRoot = process.getuid?.() === 0;
const NOBODY = 65534;

/** 24 MB that compress (like code does): random words from a small alphabet. */
function payload(): Buffer {
  const out = Buffer.alloc(24 * 1024 * 1024);
  let x = 12345;
  for (let i = 0; i < out.length; i++) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    out[i] = 97 + ((x >>> 16) % 16);
  }
  return out;
}
const PAYLOAD = payload();
const BR = brotliCompressSync(PAYLOAD, { params: { [constants.BROTLI_PARAM_QUALITY]: 1 } });
const SHA = createHash('sha256').update(PAYLOAD).digest('hex');

interface Layout {
  root: string;
  pkgDir: string;
  library: string;
  from: string;
  cacheDir: string;
}

/** node_modules/@lancedb/{lancedb, lancedb-<platform>-<arch>-fake} as the VSIX lays them out. */
function layout(root: string, br: Buffer = BR, field: unknown = { file: 'lib.node.br', bytes: PAYLOAD.length, sha256: SHA }): Layout {
  const scope = join(root, 'node_modules/@lancedb');
  mkdirSync(join(scope, 'lancedb/dist'), { recursive: true });
  writeFileSync(
    join(scope, 'lancedb/package.json'),
    JSON.stringify({
      name: '@lancedb/lancedb',
      version: '0.0.0',
      main: 'dist/index.js',
      optionalDependencies: { [FAKE]: '1.0.0', '@lancedb/lancedb-plan9-mips': '1.0.0' },
    }),
  );
  writeFileSync(join(scope, 'lancedb/dist/index.js'), 'module.exports = {};');
  const pkgDir = join(root, 'node_modules', FAKE);
  mkdirSync(pkgDir, { recursive: true });
  writeFileSync(
    join(pkgDir, 'package.json'),
    JSON.stringify({ name: FAKE, version: '1.0.0', main: 'lib.node', [COMPRESSED_FIELD]: field }),
  );
  writeFileSync(join(pkgDir, 'lib.node.br'), br);
  const cacheDir = join(root, 'cache');
  mkdirSync(cacheDir);
  return { root, pkgDir, library: join(pkgDir, 'lib.node'), from: join(root, 'extension.js'), cacheDir };
}

const temps = (dir: string): string[] => readdirSync(dir).filter((f) => f.endsWith('.tmp'));

interface ChildResult {
  ok: boolean;
  path?: string | null;
  /** This process decompressed the library (it did not find it complete). */
  unpacked?: boolean;
  name?: string;
  message?: string;
}

/** prepareLanceNative in a separate process; with `go`, it waits for that file to appear first. */
function child(l: Layout, opts: { go?: string; uid?: number; onReady?: () => void } = {}): Promise<ChildResult> {
  const code = `
    const fs = require('node:fs');
    const { prepareLanceNative } = require(${JSON.stringify(UNPACK_MODULE)});
    const go = ${JSON.stringify(opts.go ?? null)};
    (async () => {
      if (go) { process.stdout.write('ready\\n'); while (!fs.existsSync(go)) await new Promise((r) => setTimeout(r, 2)); }
      try {
        let unpacked = false;
        const log = { debug() {}, warn() {}, error() {}, info(m) { unpacked ||= m.startsWith('Unpacked'); } };
        const path = await prepareLanceNative({ from: ${JSON.stringify(l.from)}, cacheDir: ${JSON.stringify(l.cacheDir)}, log });
        process.stdout.write(JSON.stringify({ ok: true, path: path ?? null, unpacked }) + '\\n');
      } catch (e) {
        process.stdout.write(JSON.stringify({ ok: false, name: e.name, message: e.message }) + '\\n');
      }
    })();`;
  return new Promise((done, fail) => {
    const p = spawn(process.execPath, ['--require', 'tsx/cjs', '-e', code], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(opts.uid !== undefined ? { uid: opts.uid, gid: opts.uid } : {}),
    });
    let out = '';
    let err = '';
    p.stdout.on('data', (d: Buffer) => {
      out += d;
      if (out.startsWith('ready\n') && opts.onReady) {
        opts.onReady();
        opts.onReady = undefined;
      }
    });
    p.stderr.on('data', (d: Buffer) => (err += d));
    p.on('error', fail);
    p.on('close', () => {
      const last = out.trim().split('\n').pop() ?? '';
      try {
        done(JSON.parse(last) as ChildResult);
      } catch {
        fail(new Error(`child printed ${JSON.stringify(out)}; stderr: ${err}`));
      }
    });
  });
}

describe('lanceUnpack: LanceDB native library shipped compressed', function () {
  this.timeout(120_000);
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'dejafix-unpack-'));
    chmodSync(root, 0o755); // readable by the unprivileged user of the read-only test
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('does nothing for an npm install (the library is there, nothing compressed)', async () => {
    const found = findNativePackages(UNPACK_MODULE);
    assert.ok(found.length >= 1, 'the installed platform package is found');
    for (const p of found) {
      assert.ok(p.name.startsWith(`@lancedb/lancedb-${process.platform}-${process.arch}`), p.name);
      assert.equal(p.compressed, undefined);
      assert.ok(statSync(p.library).size > 1e6, p.library);
    }
    const before = statSync(found[0].library).mtimeMs;
    assert.equal(await prepareLanceNative({ from: UNPACK_MODULE, cacheDir: join(root, 'cache') }), undefined);
    assert.equal(statSync(found[0].library).mtimeMs, before);
    assert.deepEqual(readdirSync(root), []);
  });

  it('unpacks next to the .br once, checks it, leaves no temp file, and keeps it afterwards', async () => {
    const l = layout(root);
    const found = findNativePackages(l.from);
    assert.deepEqual(
      found.map((p) => p.name),
      [FAKE],
    ); // the other platform's package is not installed
    assert.equal(await prepareLanceNative({ from: l.from, cacheDir: l.cacheDir }), undefined);
    assert.ok(readFileSync(l.library).equals(PAYLOAD));
    if (process.platform !== 'win32') assert.equal(statSync(l.library).mode & 0o100, 0o100, 'executable by its owner');
    assert.deepEqual(temps(l.pkgDir), []);
    assert.deepEqual(readdirSync(l.cacheDir), [], 'the cache is not used when the package folder is writable');
    const { ino, mtimeMs } = statSync(l.library);
    assert.equal(await prepareLanceNative({ from: l.from, cacheDir: l.cacheDir }), undefined);
    assert.deepEqual([statSync(l.library).ino, statSync(l.library).mtimeMs], [ino, mtimeMs]);
  });

  it('reads the large-window brotli the packaging writes', async () => {
    const large = brotliCompressSync(PAYLOAD, {
      params: { [constants.BROTLI_PARAM_QUALITY]: 1, [constants.BROTLI_PARAM_LARGE_WINDOW]: 1, [constants.BROTLI_PARAM_LGWIN]: 26 },
    });
    const l = layout(root, large);
    assert.equal(await prepareLanceNative({ from: l.from, cacheDir: l.cacheDir }), undefined);
    assert.ok(readFileSync(l.library).equals(PAYLOAD));
  });

  it('replaces a truncated library and removes temp files of dead processes, not fresh ones', async () => {
    const l = layout(root);
    writeFileSync(l.library, PAYLOAD.subarray(0, 1000));
    const stale = join(l.pkgDir, 'lib.node.4242-deadbeef.tmp');
    const fresh = join(l.pkgDir, 'lib.node.4343-cafebabe.tmp');
    writeFileSync(stale, 'x');
    writeFileSync(fresh, 'y');
    const hourAgo = new Date(Date.now() - 3600_000);
    utimesSync(stale, hourAgo, hourAgo);
    await prepareLanceNative({ from: l.from, cacheDir: l.cacheDir });
    assert.ok(readFileSync(l.library).equals(PAYLOAD));
    assert.deepEqual(temps(l.pkgDir), ['lib.node.4343-cafebabe.tmp']);
  });

  it('lets racing processes all succeed with one complete library (the losers use the winner’s)', async () => {
    const l = layout(root);
    const go = join(root, 'go');
    let ready = 0;
    const n = 4;
    const results = await Promise.all(
      Array.from({ length: n }, () => child(l, { go, onReady: () => ++ready === n && writeFileSync(go, '') })),
    );
    assert.deepEqual(
      results.map((r) => ({ ...r, unpacked: undefined })),
      Array.from({ length: n }, () => ({ ok: true, path: null, unpacked: undefined })),
    );
    // all started together, so usually several decompress at once (4 of 4 here); at least one had to
    assert.ok(results.some((r) => r.unpacked));
    assert.ok(readFileSync(l.library).equals(PAYLOAD));
    assert.deepEqual(temps(l.pkgDir), []);
  });

  it('two unpacks at once in one process both resolve to the same complete file', async () => {
    const l = layout(root);
    const expected = { file: 'lib.node.br', bytes: PAYLOAD.length, sha256: SHA };
    const source = join(l.pkgDir, 'lib.node.br');
    const written = await Promise.all([unpackTo(source, l.library, expected), unpackTo(source, l.library, expected)]);
    assert.deepEqual(written, [true, true]);
    assert.ok(readFileSync(l.library).equals(PAYLOAD));
    assert.deepEqual(temps(l.pkgDir), []);
    assert.equal(await unpackTo(source, l.library, expected), false);
  });

  it('unpacks into the per-user cache when the package folder is read-only', async () => {
    const l = layout(root);
    chmodSync(l.pkgDir, 0o555);
    // As root, permission bits do not stop writes: run as an unprivileged user instead.
    if (isRoot) chownSync(l.cacheDir, NOBODY, NOBODY);
    const uid = isRoot ? NOBODY : undefined;
    const first = await child(l, { uid });
    assert.equal(first.ok, true, first.message);
    assert.equal(first.unpacked, true);
    assert.ok(
      first.path?.startsWith(join(l.cacheDir, 'native', `${FAKE.replace('/', '+')}@1.0.0-${SHA.slice(0, 16)}`)),
      String(first.path),
    );
    assert.ok(readFileSync(first.path!).equals(PAYLOAD));
    assert.deepEqual(readdirSync(l.pkgDir).sort(), ['lib.node.br', 'package.json'], 'nothing written in the package folder');
    const { mtimeMs } = statSync(first.path!);
    const again = await child(l, { uid });
    assert.deepEqual(again, { ...first, unpacked: false });
    assert.equal(statSync(first.path!).mtimeMs, mtimeMs, 'the cached copy is reused');
  });

  it('says clearly when both the package folder and the cache are read-only', async () => {
    const l = layout(root);
    chmodSync(l.pkgDir, 0o555);
    chmodSync(l.cacheDir, 0o555);
    const r = await child(l, { uid: isRoot ? NOBODY : undefined });
    assert.equal(r.ok, false);
    assert.equal(r.name, 'NativeUnpackError');
    assert.match(
      r.message!,
      /LanceDB's native library cannot be unpacked: .*lancedb-.*-fake is read-only and so is the cache folder \(.*EACCES/,
    );
  });

  it('fails with a clear error on a corrupt, truncated or wrong archive, leaving nothing behind', async () => {
    const corrupt = Buffer.from(BR);
    for (let i = 100; i < corrupt.length; i += 997) corrupt[i] ^= 0x5a;
    const cases: [string, Buffer, RegExp][] = [
      ['corrupt', corrupt, /Could not unpack LanceDB's native library .*lib\.node\.br to .*lib\.node: .*Reinstall Dejafix/],
      ['truncated', BR.subarray(0, BR.length >> 1), /Could not unpack .*(unexpected end|Decompression failed)/i],
      [
        'other content',
        brotliCompressSync(Buffer.from('not the library')),
        /the result is 15 bytes with SHA-256 .*, expected 25165824 bytes/,
      ],
      ['empty', Buffer.alloc(0), /Could not unpack .*(unexpected end|Decompression failed)/i],
    ];
    for (const [what, br, message] of cases) {
      const dir = join(root, what.replace(' ', '-'));
      const l = layout(dir, br);
      await assert.rejects(prepareLanceNative({ from: l.from, cacheDir: l.cacheDir }), (e: Error) => {
        assert.ok(e instanceof NativeUnpackError, `${what}: ${e.name}`);
        assert.match(e.message, message, what);
        return true;
      });
      assert.deepEqual(readdirSync(l.pkgDir).sort(), ['lib.node.br', 'package.json'], what);
      assert.deepEqual(readdirSync(l.cacheDir), [], what);
    }
  });

  it('rejects a malformed package.json entry before touching any file', async () => {
    const bad = [
      { file: '../../evil.br', bytes: 1, sha256: SHA },
      { file: 'lib.node.br', bytes: -1, sha256: SHA },
      { file: 'lib.node.br', bytes: PAYLOAD.length, sha256: 'abc' },
      'lib.node.br',
    ];
    for (const [i, field] of bad.entries()) {
      const l = layout(join(root, String(i)), BR, field);
      assert.throws(
        () => findNativePackages(l.from),
        /dejafixCompressedBinary entry of .*-fake's package\.json is malformed; reinstall Dejafix/,
        JSON.stringify(field),
      );
    }
  });

  it('picks the per-user cache folder of each platform', () => {
    assert.equal(defaultCacheDir({ HOME: '/home/u' }, 'linux'), '/home/u/.cache/dejafix');
    assert.equal(defaultCacheDir({ HOME: '/home/u', XDG_CACHE_HOME: '/c' }, 'linux'), '/c/dejafix');
    assert.equal(defaultCacheDir({ HOME: '/Users/u' }, 'darwin'), '/Users/u/Library/Caches/dejafix');
    assert.equal(defaultCacheDir({ USERPROFILE: 'C:/Users/u', LOCALAPPDATA: 'C:/L' }, 'win32'), join('C:/L', 'dejafix', 'cache'));
  });

  it('LanceDB loads its library from NAPI_RS_NATIVE_LIBRARY_PATH (how a cached copy is used)', function () {
    const [installed] = findNativePackages(UNPACK_MODULE);
    const copy = join(root, 'copy.node');
    copyFileSync(installed.library, copy);
    const code = `
      const lance = require('@lancedb/lancedb');
      lance.connect(${JSON.stringify(join(root, 'db'))}).then(async (db) => {
        await db.createTable('t', [{ id: 1 }]);
        const maps = require('node:fs').readFileSync('/proc/self/maps', 'utf8');
        process.stdout.write(JSON.stringify({ tables: await db.tableNames(), fromCopy: maps.includes(${JSON.stringify(copy)}), fromInstalled: maps.includes(${JSON.stringify(installed.library)}) }));
      });`;
    const run = (path: string): string =>
      execFileSync(process.execPath, ['-e', code], {
        cwd: repoRoot,
        env: { ...process.env, NAPI_RS_NATIVE_LIBRARY_PATH: path },
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    if (process.platform === 'linux') {
      assert.deepEqual(JSON.parse(run(copy)), { tables: ['t'], fromCopy: true, fromInstalled: false });
    }
    assert.throws(() => run(join(root, 'missing.node')), /Cannot find module .*missing\.node|Failed to load native binding/);
  });
});
