// Packaging guards (scripts/package/): a VSIX over 60 MB or 400 files fails the build, counted on the
// written zip (checkBudget); and the staged node_modules is one `npm list --production` accepts — the
// command @vscode/vsce runs to collect it — while leaving out what nothing loads (Arrow's command-line
// tool and its packages, @swc/helpers, @types). npm test packages the real VSIX with both.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { unpackTo } from '../../src/core/store/lanceUnpack';

const repoRoot = resolve(__dirname, '../..');

interface Budget {
  DEFAULT_BUDGET_MB: number;
  MAX_FILES: number;
  checkBudget(path: string, opts?: { budgetMb?: number; maxFiles?: number }): Promise<{ bytes: number; files: number; problems: string[] }>;
}
interface Package {
  dir: string;
  name: string;
  version: string;
}
interface RuntimeDeps {
  RUNTIME_ROOTS: string[];
  runtimePackages(roots: string[], repoRoot: string): Package[];
}
interface Stage {
  stage(o: { repoRoot: string; stageDir: string; packages: Package[]; platformPackage: Package; roots: string[] }): void;
}
const load = <T>(rel: string): Promise<T> => import(join(repoRoot, rel)) as Promise<T>;

/** Writes a zip of `entries` (name → bytes) with yazl, the writer @vscode/vsce uses. */
async function zip(path: string, entries: [string, Buffer][], folders: string[] = []): Promise<void> {
  const req = createRequire(createRequire(join(repoRoot, 'package.json')).resolve('@vscode/vsce'));
  const yazl = req('yazl') as {
    ZipFile: new () => {
      addBuffer(b: Buffer, n: string): void;
      addEmptyDirectory(n: string): void;
      end(): void;
      outputStream: NodeJS.ReadableStream;
    };
  };
  const z = new yazl.ZipFile();
  for (const f of folders) z.addEmptyDirectory(f);
  for (const [name, data] of entries) z.addBuffer(data, name);
  z.end();
  await new Promise<void>((ok, fail) => z.outputStream.pipe(createWriteStream(path)).on('close', ok).on('error', fail));
}

const files = (n: number): [string, Buffer][] =>
  Array.from({ length: n }, (_, i) => [`extension/node_modules/p${i % 7}/f${i}.js`, Buffer.from(`module.exports = ${i};\n`)]);

describe('VSIX budget (scripts/package/budget.mjs)', () => {
  let dir: string;
  let budget: Budget;
  before(async () => {
    budget = await load<Budget>('scripts/package/budget.mjs');
    dir = mkdtempSync(join(tmpdir(), 'dejafix-budget-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('is 60 MB and 400 files per VSIX', () => {
    assert.equal(budget.DEFAULT_BUDGET_MB, 60);
    assert.equal(budget.MAX_FILES, 400);
  });

  for (const [n, over] of [
    [1, false],
    [399, false],
    [400, false],
    [401, true],
    [1000, true],
  ] as const) {
    it(`${n} files (folder entries not counted) ${over ? 'fail' : 'pass'}`, async () => {
      const vsix = join(dir, `n${n}.vsix`);
      await zip(vsix, files(n), ['extension/', 'extension/node_modules/', 'extension/dist/']);
      const r = await budget.checkBudget(vsix);
      assert.equal(r.files, n);
      assert.deepEqual(r.problems, over ? [`${n} files, over the 400-file budget`] : []);
    });
  }

  it('a VSIX over the byte budget fails, naming its size; one under passes', async () => {
    const vsix = join(dir, 'big.vsix');
    // random bytes do not compress: the zip is a little over 1.5 MB
    await zip(vsix, [['extension/dist/blob.bin', randomBytes(1_500_000)]]);
    const over = await budget.checkBudget(vsix, { budgetMb: 1 });
    assert.ok(over.bytes > 1_500_000);
    assert.deepEqual(over.problems, [`${(over.bytes / 1e6).toFixed(1)} MB, over the 1 MB budget`]);
    assert.deepEqual((await budget.checkBudget(vsix, { budgetMb: 2 })).problems, []);
    const both = await budget.checkBudget(vsix, { budgetMb: 1, maxFiles: 0 });
    assert.equal(both.problems.length, 2);
  });

  it('a file that is not a zip is an error, not a pass', async () => {
    const bad = join(dir, 'bad.vsix');
    writeFileSync(bad, 'not a zip');
    await assert.rejects(budget.checkBudget(bad));
    await assert.rejects(budget.checkBudget(join(dir, 'missing.vsix')), /ENOENT/);
  });
});

describe('VSIX staging (scripts/package/stage.mjs)', function () {
  this.timeout(180_000);
  let stageDir: string;
  let packages: Package[];
  before(async () => {
    // the bundles the staging copies (dist/) exist after a build; npm test builds first
    assert.ok(existsSync(join(repoRoot, 'dist/extension.js')), 'run node scripts/build.mjs first');
    const { RUNTIME_ROOTS, runtimePackages } = await load<RuntimeDeps>('scripts/package/runtimeDeps.mjs');
    const { stage } = await load<Stage>('scripts/package/stage.mjs');
    packages = runtimePackages(RUNTIME_ROOTS, repoRoot);
    stageDir = mkdtempSync(join(tmpdir(), 'dejafix-stage-'));
    // a stand-in for LanceDB's native package (its manifest only: the library is 160 MB)
    const lance = JSON.parse(readFileSync(join(repoRoot, 'node_modules/@lancedb/lancedb/package.json'), 'utf8')) as {
      optionalDependencies: Record<string, string>;
    };
    const name = '@lancedb/lancedb-linux-x64-gnu';
    const fake = join(stageDir, '..', `${stageDir.split('/').pop()}-native`);
    mkdirSync(fake, { recursive: true });
    writeFileSync(
      join(fake, 'package.json'),
      JSON.stringify({ name, version: lance.optionalDependencies[name], main: 'lancedb.linux-x64-gnu.node' }),
    );
    stage({
      repoRoot,
      stageDir,
      packages,
      platformPackage: { name, version: lance.optionalDependencies[name], dir: fake },
      roots: RUNTIME_ROOTS,
    });
    rmSync(fake, { recursive: true, force: true });
  });
  after(() => rmSync(stageDir, { recursive: true, force: true }));

  it("passes vsce's dependency listing (npm list --production)", () => {
    const r = spawnSync('npm', ['list', '--production', '--parseable', '--depth=99999', '--loglevel=error'], {
      cwd: stageDir,
      encoding: 'utf8',
    });
    assert.equal(r.status, 0, r.stderr);
    const listed = r.stdout
      .trim()
      .split('\n')
      .filter((l) => l.includes('node_modules'));
    assert.ok(
      listed.some((l) => l.endsWith('node_modules/apache-arrow')),
      listed.join('\n'),
    );
  });

  it('leaves out what nothing loads: Arrow’s command-line tool, its packages, @swc/helpers, @types', () => {
    const names = packages.map((p) => p.name);
    for (const gone of ['@swc/helpers', '@types/node', 'command-line-args', 'command-line-usage', 'json-bignum', 'chalk']) {
      assert.ok(!names.includes(gone), `${gone} is walked as a runtime package`);
      assert.ok(!existsSync(join(stageDir, 'node_modules', gone)), `${gone} is staged`);
    }
    const arrow = JSON.parse(readFileSync(join(stageDir, 'node_modules/apache-arrow/package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
      bin?: unknown;
    };
    assert.deepEqual(Object.keys(arrow.dependencies).sort(), ['flatbuffers', 'tslib']);
    assert.equal(arrow.bin, undefined);
    assert.ok(!existsSync(join(stageDir, 'node_modules/apache-arrow/bin')));
    assert.ok(!existsSync(join(stageDir, 'node_modules/apache-arrow/Arrow.node.mjs')));
    // the bundled packages are not in node_modules: they are chunks in dist/lazy/
    for (const bundled of ['zod', '@anthropic-ai/sdk', '@secretlint/core', 'tiktoken'])
      assert.ok(!existsSync(join(stageDir, 'node_modules', bundled)), `${bundled} is staged`);
  });

  it('what is staged still loads: Arrow from the staged node_modules, outside the repository', () => {
    const out = execFileSync(
      process.execPath,
      [
        '-e',
        "const a = require('apache-arrow'); process.stdout.write(String(a.tableFromArrays({ x: Int32Array.from([1, 2, 3]) }).numRows))",
      ],
      { cwd: stageDir, encoding: 'utf8' },
    );
    assert.equal(out, '3');
  });
});

interface Native {
  QUALITY: Record<string, number>;
  compressNative(o: { stagePkgDir: string; platformPackage: Package; target: string; cacheDir: string; level?: string }): {
    before: number;
    unpacked: number;
    compressed: number;
    quality: number;
    cached: boolean;
  };
}

describe('LanceDB library compression levels (scripts/package/native.mjs)', function () {
  this.timeout(120_000);
  let root: string;
  let native: Native;
  // a library stand-in that compresses like code: repeated structure with random parts
  const library = Buffer.concat(
    Array.from({ length: 64 }, (_, i) => Buffer.concat([Buffer.from(`section ${i % 5} `.repeat(500)), randomBytes(2000)])),
  );
  before(async () => {
    native = await load<Native>('scripts/package/native.mjs');
    root = mkdtempSync(join(tmpdir(), 'dejafix-native-'));
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  function stagedPackage(name: string): string {
    const dir = join(root, name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: '@lancedb/lancedb-fake', version: '1.0.0', main: 'lib.node' }));
    writeFileSync(join(dir, 'lib.node'), library);
    return dir;
  }

  for (const level of ['fast', 'best']) {
    it(`${level}: the staged .br unpacks, with the product's decoder, to the library; a second pack comes from the cache`, async () => {
      const platformPackage = { name: '@lancedb/lancedb-fake', version: '1.0.0', dir: '' };
      const cacheDir = join(root, 'cache');
      const opts = { platformPackage, target: 'win32-x64', cacheDir, level };
      const first = native.compressNative({ ...opts, stagePkgDir: stagedPackage(`${level}-1`) });
      assert.equal(first.quality, native.QUALITY[level]);
      assert.equal(first.cached, false);
      assert.ok(first.compressed < library.length / 2, `${first.compressed} bytes`);
      const dir = stagedPackage(`${level}-2`);
      const second = native.compressNative({ ...opts, stagePkgDir: dir });
      assert.equal(second.cached, true);
      assert.ok(!existsSync(join(dir, 'lib.node')), 'the library itself is not staged');
      const { dejafixCompressedBinary: packed } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
        dejafixCompressedBinary: { file: string; bytes: number; sha256: string };
      };
      await unpackTo(join(dir, packed.file), join(dir, 'lib.node'), packed);
      assert.ok(readFileSync(join(dir, 'lib.node')).equals(library));
    });
  }

  it('best is the higher quality; an unknown level is refused', () => {
    assert.ok(native.QUALITY.best > native.QUALITY.fast);
    const platformPackage = { name: '@lancedb/lancedb-fake', version: '1.0.0', dir: '' };
    assert.throws(
      () =>
        native.compressNative({
          stagePkgDir: stagedPackage('bad'),
          platformPackage,
          target: 'win32-x64',
          cacheDir: join(root, 'cache'),
          level: 'ultra',
        }),
      /unknown compression level ultra; known: fast, best/,
    );
  });
});
