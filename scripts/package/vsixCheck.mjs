// Checks a packed VSIX for this machine's own target as a user gets it: unzipped into a temp folder
// (outside the repository), its CLI (dist/cli.js, the same core as the extension) imports the demo
// memory with the offline model and recalls with vectors. That goes through the product's loader:
// LanceDB's library is unpacked from its .br next to it, then, with the extension folder read-only,
// into a per-user cache instead.
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  createWriteStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { COMPRESSED_FIELD } from './native.mjs';

const ISSUE = 'CSV export fails with TypeError in csv_export.py when the issue date column is empty';
const NOBODY = 65534;

/** Extracts `extension/**` of the VSIX (a zip) into `dest` with yauzl, @vscode/vsce's own reader. */
async function unzip(vsix, dest) {
  const req = createRequire(createRequire(import.meta.url).resolve('@vscode/vsce'));
  const yauzl = req('yauzl');
  const zip = await new Promise((ok, fail) => yauzl.open(vsix, { lazyEntries: true }, (e, z) => (e ? fail(e) : ok(z))));
  await new Promise((ok, fail) => {
    zip.on('error', fail);
    zip.on('end', ok);
    zip.on('entry', (entry) => {
      if (!entry.fileName.startsWith('extension/') || entry.fileName.endsWith('/') || entry.fileName.includes('..')) return zip.readEntry();
      const out = join(dest, entry.fileName);
      mkdirSync(dirname(out), { recursive: true });
      zip.openReadStream(entry, (e, stream) => {
        if (e) return fail(e);
        pipeline(stream, createWriteStream(out)).then(() => zip.readEntry(), fail);
      });
    });
    zip.readEntry();
  });
  return join(dest, 'extension');
}

function cli(ext, args, env, uid) {
  const started = Date.now();
  try {
    const stdout = execFileSync(process.execPath, [join(ext, 'dist/cli.js'), ...args], {
      cwd: dirname(ext),
      env: { ...process.env, DEJAFIX_STORE: '', ...env },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(uid === undefined ? {} : { uid, gid: uid }),
    });
    return { stdout, seconds: (Date.now() - started) / 1000 };
  } catch (e) {
    throw new Error(`dejafix ${args[0]} from the unpacked VSIX failed:\n${e.stderr || e.message}`);
  }
}

function recallsDemo(ext, store, env, uid, embedder) {
  const r = cli(
    ext,
    ['recall', '--store', store, '--json', '--embedder', embedder, '--repo', 'github.com/acme/invoice-service', ISSUE],
    env,
    uid,
  );
  const ids = (JSON.parse(r.stdout).results ?? []).map((x) => x.episodeId);
  // with vectors the demo's CSV repair ranks first; by wording alone it is among the first few
  const found = embedder === 'builtin' ? ids[0] === 'demo-ep-01' : ids.slice(0, 3).includes('demo-ep-01');
  if (!found)
    throw new Error(
      `recall (--embedder ${embedder}) from the unpacked VSIX ranked ${ids.join(', ')}; expected demo-ep-01 ${embedder === 'builtin' ? 'first' : 'in the first 3'}`,
    );
  const top = JSON.parse(r.stdout).results[0];
  if (embedder === 'builtin' && !(top.why.parts.vector > 0))
    throw new Error(`recall from the unpacked VSIX used no vectors: ${JSON.stringify(top.why)}`);
  return r.seconds;
}

export async function checkVsix(vsix, platformPackage) {
  const root = mkdtempSync(join(tmpdir(), 'dejafix-vsix-check-'));
  try {
    chmodSync(root, 0o755); // the read-only run below is an unprivileged user's when this runs as root
    const ext = await unzip(vsix, root);
    const pkgDir = join(ext, 'node_modules', platformPackage.name);
    const manifest = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
    const packed = manifest[COMPRESSED_FIELD];
    const library = join(pkgDir, manifest.main);
    if (!packed || existsSync(library) || !existsSync(join(pkgDir, packed.file))) {
      throw new Error(
        `the VSIX should hold ${packed?.file ?? `${manifest.main}.br`} and no ${manifest.main} in ${platformPackage.name}: ${readdirSync(pkgDir).join(', ')}`,
      );
    }
    // 1. As installed: unpacked next to the .br on first use; the offline model embeds the demo.
    const env = { XDG_CACHE_HOME: join(root, 'cache'), HOME: root };
    const store = join(root, 'store');
    const imported = cli(ext, ['import', '--store', store, join(ext, 'demo/memory.jsonl')], env).seconds;
    if (statSync(library).size !== packed.bytes) throw new Error(`${library} was not unpacked to ${packed.bytes} bytes`);
    const recalled = recallsDemo(ext, store, env, undefined, 'builtin');
    process.stdout.write(
      `  unpacked VSIX: import of the demo memory ${imported.toFixed(1)} s (LanceDB library unpacked, model loaded), recall with vectors ${recalled.toFixed(1)} s\n`,
    );

    // 2. A read-only extension folder: the library goes to the per-user cache, nothing next to the .br.
    if (process.platform === 'win32') return; // no chmod / uid switch there
    rmSync(library);
    const asRoot = process.getuid?.() === 0;
    const uid = asRoot ? NOBODY : undefined;
    const roEnv = { XDG_CACHE_HOME: join(root, 'ro-cache'), HOME: join(root, 'ro-home') };
    const roStore = join(root, 'ro-store');
    for (const d of [roEnv.XDG_CACHE_HOME, roEnv.HOME, roStore]) {
      mkdirSync(d);
      if (asRoot) chownSync(d, NOBODY, NOBODY);
    }
    execFileSync('chmod', ['-R', 'a-w', ext]);
    try {
      const ro = cli(ext, ['import', '--store', roStore, '--embedder', 'none', join(ext, 'demo/memory.jsonl')], roEnv, uid).seconds;
      recallsDemo(ext, roStore, roEnv, uid, 'none');
      if (existsSync(library)) throw new Error(`${library} was written although the folder is read-only`);
      const cached = join(roEnv.XDG_CACHE_HOME, 'dejafix', 'native');
      if (!existsSync(cached) || readdirSync(cached).length !== 1)
        throw new Error(`nothing was unpacked into the per-user cache ${cached}`);
      process.stdout.write(
        `  read-only unpacked VSIX${asRoot ? ' (as uid 65534)' : ''}: library unpacked into the per-user cache, import + recall ok (${ro.toFixed(1)} s)\n`,
      );
    } finally {
      execFileSync('chmod', ['-R', 'u+w', ext]);
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
