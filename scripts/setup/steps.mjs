// Small helpers for the setup script: timed steps, commands logged to a file, stamps for idempotency.
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const secs = (ms) => `${(ms / 1000).toFixed(1)} s`;

/** Runs `fn` as a named step and prints what it did and how long it took. */
export async function step(name, fn) {
  const t0 = Date.now();
  process.stdout.write(`-- ${name} ...\n`);
  try {
    const value = await fn();
    const note = typeof value === 'string' ? value : value?.note;
    process.stdout.write(`   ${name}: ${note || 'done'} (${secs(Date.now() - t0)})\n`);
    return value;
  } catch (err) {
    process.stdout.write(`   ${name}: FAILED after ${secs(Date.now() - t0)}\n`);
    throw err;
  }
}

/**
 * Runs a command; its output goes to `log` (appended). On failure the last lines of the log are printed
 * and the promise rejects with a message naming the command.
 */
export function run(cmd, args, { cwd, env, log, capture = false } = {}) {
  return new Promise((resolve, reject) => {
    const out = log ? createWriteStream(log, { flags: 'a' }) : null;
    out?.write(`\n$ (cd ${cwd ?? process.cwd()}) ${cmd} ${args.join(' ')}\n`);
    const child = spawn(cmd, args, { cwd, env: env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    const take = (chunk) => {
      if (capture) text += chunk;
      out?.write(chunk);
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    child.on('error', (err) => {
      out?.end();
      reject(new Error(`cannot start ${cmd}: ${err.message}`));
    });
    child.on('close', (code) => {
      const finish = () => {
        if (code === 0) return resolve(text);
        const tail = log && existsSync(log) ? readFileSync(log, 'utf8').split('\n').slice(-40).join('\n') : text;
        reject(new Error(`${cmd} ${args.join(' ')} exited with ${code}${log ? ` (log: ${log})` : ''}\n${tail}`));
      };
      if (out) out.end(finish);
      else finish();
    });
  });
}

/** A stamp file records that a step finished, with the inputs it ran with. */
export class Stamps {
  constructor(dir) {
    this.dir = dir;
  }
  has(name, value = 'ok') {
    const file = join(this.dir, name);
    return existsSync(file) && readFileSync(file, 'utf8') === value;
  }
  set(name, value = 'ok') {
    mkdirSync(this.dir, { recursive: true });
    writeFileSync(join(this.dir, name), value);
  }
}
