// Finding and printing the logs that explain a failed run.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

export function tail(file: string, lines: number): string {
  if (!existsSync(file)) return `(${file} does not exist)`;
  const all = readFileSync(file, 'utf8').split('\n');
  return (all.length > lines ? [`… (${all.length - lines} earlier lines in ${file})`] : []).concat(all.slice(-lines)).join('\n');
}

/** Extension-host logs under the user-data-dir: remoteexthost.log and the output channels of extensions. */
export function extensionHostLogs(userDataDir: string): string[] {
  const logs = join(userDataDir, 'logs');
  if (!existsSync(logs)) return [];
  return readdirSync(logs, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.log') && /exthost/i.test(f))
    .map((f) => join(logs, f))
    .filter((f) => statSync(f).size > 0)
    .sort();
}

export function printFailureLogs(userDataDir: string, codeServerLog: string, browserLog: string): void {
  const files = extensionHostLogs(userDataDir);
  if (files.length === 0) process.stdout.write(`  (no extension-host log under ${join(userDataDir, 'logs')})\n`);
  for (const f of files) process.stdout.write(`\n----- extension-host log ${f}\n${tail(f, 150)}\n`);
  process.stdout.write(`\n----- code-server output ${codeServerLog}\n${tail(codeServerLog, 60)}\n`);
  process.stdout.write(`\n----- browser console ${browserLog}\n${tail(browserLog, 60)}\n`);
}
