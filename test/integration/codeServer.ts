// Starts and stops one code-server process for one integration run.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { createServer } from 'node:net';
import type { SetupEnv } from './env';

export interface CodeServerOptions {
  userDataDir: string;
  extensionsDir: string;
  /** false → starts without --disable-workspace-trust, so the workspace is untrusted (with startupPrompt "never"). */
  trust: boolean;
  /** Extra environment for code-server and so for the extension host. */
  env: Record<string, string>;
  /** code-server's own stdout/stderr go here. */
  logFile: string;
  /** code-server's config file (else it creates ~/.config/code-server/config.yaml). */
  configFile: string;
}

export interface CodeServer {
  url: string;
  authority: string;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function baseArgs(port: number, o: CodeServerOptions): string[] {
  return [
    '--auth',
    'none',
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-getting-started-override',
    '--config',
    o.configFile,
    '--user-data-dir',
    o.userDataDir,
    '--extensions-dir',
    o.extensionsDir,
    ...(o.trust ? ['--disable-workspace-trust'] : []),
  ];
}

/** Runs `code-server <args>` to completion (e.g. --install-extension) with the run's dirs. */
export function codeServerCommand(setup: SetupEnv, o: CodeServerOptions, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      setup.node,
      [setup.codeServerEntry, '--config', o.configFile, '--user-data-dir', o.userDataDir, '--extensions-dir', o.extensionsDir, ...args],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`code-server ${args.join(' ')} exited with ${code}:\n${out}`))));
  });
}

async function waitHealthy(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`code-server exited with ${child.exitCode} while starting`);
    try {
      const res = await fetch(new URL('healthz', url), { signal: AbortSignal.timeout(2000) });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`code-server did not answer ${url}healthz within ${timeoutMs / 1000} s`);
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

export async function startCodeServer(setup: SetupEnv, o: CodeServerOptions): Promise<CodeServer> {
  const port = await freePort();
  const log = createWriteStream(o.logFile);
  // Its own process group, so stopping it also ends the extension host and other children.
  const child = spawn(setup.node, [setup.codeServerEntry, ...baseArgs(port, o)], {
    env: { ...process.env, ...o.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) killGroup(child, 'SIGTERM');
    const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
    killGroup(child, 'SIGKILL'); // children that outlived the main process
  };
  const url = `http://127.0.0.1:${port}/`;
  try {
    await waitHealthy(url, child, 60_000);
  } catch (err) {
    await stop();
    throw err;
  }
  return { url, authority: `127.0.0.1:${port}`, stop };
}
