// Who is sharing: a configured team name wins, else the repository's git user.name/user.email.
import { runGit } from '../capture/safeGit';

async function gitConfig(cwd: string, key: string): Promise<string | undefined> {
  try {
    return (await runGit(cwd, ['config', '--get', key], { timeout: 5000, filters: false })).trim() || undefined;
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
