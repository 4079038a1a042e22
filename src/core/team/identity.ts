// Who is sharing: a configured team name wins, else the repository's git user.name/user.email.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

async function gitConfig(cwd: string, key: string): Promise<string | undefined> {
  try {
    const { stdout } = await run('git', ['config', '--get', key], { cwd, timeout: 5000 });
    return stdout.trim() || undefined;
  } catch {
    return undefined;
  }
}

/** `Name <email>`, `Name`, or `unknown` when nothing is configured. */
export async function sharerIdentity(cwd: string, configured?: string): Promise<string> {
  const name = configured?.trim();
  if (name) return name.replace(/[\r\n\t]/g, ' ').slice(0, 300);
  const [user, email] = await Promise.all([gitConfig(cwd, 'user.name'), gitConfig(cwd, 'user.email')]);
  const who = [user, email && `<${email}>`].filter(Boolean).join(' ');
  return (who || 'unknown').slice(0, 300);
}
