#!/usr/bin/env node
// Installs what the real-VS-Code integration tests need, idempotently, cached under .cache/:
// Debian packages (chromium, ripgrep, build tools), Node 22, and code-server by the recipe in scripts/setup/codeServer.mjs.
// Writes .cache/env.json (paths the test runner reads) and .cache/bin/code-server (a wrapper).
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ensureAptPackages } from './setup/apt.mjs';
import { CODE_SERVER_VERSION, ensureCodeServer } from './setup/codeServer.mjs';
import { ensureNode22 } from './setup/node22.mjs';
import { step } from './setup/steps.mjs';

const repo = resolve(import.meta.dirname, '..');
const cache = join(repo, '.cache');
const log = join(cache, 'setup.log');
mkdirSync(cache, { recursive: true });
writeFileSync(log, `setup started ${new Date().toISOString()}\n`);

function which(cmd) {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

/** The first line of a command's output that matches `pattern` (code-server also prints a library's advert). */
function lineOf(cmd, args, pattern) {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr || r.stdout}`);
  const line = r.stdout.split('\n').find((l) => pattern.test(l));
  if (!line) throw new Error(`${cmd} ${args.join(' ')} printed no line matching ${pattern}:\n${r.stdout}`);
  return line.trim();
}

const t0 = Date.now();
console.log(`Dejafix setup: code-server ${CODE_SERVER_VERSION}, Node 22, chromium (cache: ${cache}, log: ${log})`);
try {
  await step('Debian packages', () => ensureAptPackages(log));
  const node = await step('Node 22', () => ensureNode22(cache, log));
  const rg = which('rg');
  if (!rg) throw new Error('rg not found on PATH although ripgrep is installed');
  const cs = await ensureCodeServer(cache, node, rg, log);
  const chromium = which('chromium');
  if (!chromium) throw new Error('chromium not found on PATH although the chromium package is installed');

  const wrapper = join(cache, 'bin/code-server');
  mkdirSync(join(cache, 'bin'), { recursive: true });
  // Without CODE_SERVER_CONFIG, code-server writes ~/.config/code-server/config.yaml (with a password).
  const config = join(cache, 'code-server-config.yaml');
  writeFileSync(config, 'auth: none\nbind-addr: 127.0.0.1:8080\ncert: false\n');
  writeFileSync(
    wrapper,
    `#!/bin/sh\nexport CODE_SERVER_CONFIG="\${CODE_SERVER_CONFIG:-${config}}"\nexec "${node.bin}" "${cs.entry}" "$@"\n`,
  );
  chmodSync(wrapper, 0o755);

  await step('verify', async () => {
    const version = lineOf(wrapper, ['--version'], new RegExp(`^${CODE_SERVER_VERSION.replaceAll('.', '\\.')} `));
    const chrome = lineOf(chromium, ['--version'], /chromium/i);
    console.log(`   code-server ${version}\n   ${chrome}`);
    return 'ok';
  });
  const env = { codeServerVersion: CODE_SERVER_VERSION, node: node.bin, codeServerEntry: cs.entry, codeServer: wrapper, chromium };
  writeFileSync(join(cache, 'env.json'), JSON.stringify(env, null, 2) + '\n');
  console.log(`Setup finished in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
} catch (err) {
  console.error(`\nSetup failed: ${err instanceof Error ? err.message : err}`);
  process.exit(1);
}
