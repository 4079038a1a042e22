// Debian packages the real-VS-Code harness needs, installed only when missing.
import { spawnSync } from 'node:child_process';
import { run } from './steps.mjs';

/** chromium drives the workbench; ripgrep replaces code-server's GitHub download; the rest builds native modules. */
export const APT_PACKAGES = ['chromium', 'ripgrep', 'libkrb5-dev', 'python3', 'make', 'g++', 'pkg-config'];

function installed(pkg) {
  const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.includes('install ok installed');
}

function hasCommand(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

/** Installs the missing packages with apt-get (directly as root, else through sudo). */
export async function ensureAptPackages(log) {
  if (!hasCommand('dpkg-query')) throw new Error('dpkg-query not found: the setup script supports Debian/Ubuntu only');
  const missing = APT_PACKAGES.filter((p) => !installed(p));
  if (missing.length === 0) return `already installed: ${APT_PACKAGES.join(', ')}`;
  const isRoot = process.getuid?.() === 0;
  if (!isRoot && !hasCommand('sudo')) {
    throw new Error(`missing Debian packages ${missing.join(' ')}; run as root or install sudo`);
  }
  const prefix = isRoot ? [] : ['sudo', '-n'];
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const apt = (args) =>
    prefix.length ? run(prefix[0], [...prefix.slice(1), 'apt-get', ...args], { env, log }) : run('apt-get', args, { env, log });
  await apt(['-o', 'DPkg::Lock::Timeout=600', 'update']);
  await apt(['-o', 'DPkg::Lock::Timeout=600', 'install', '-y', '--no-install-recommends', ...missing]);
  return `installed ${missing.join(', ')}`;
}
