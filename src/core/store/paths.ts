import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * The per-user store shared by the CLI and the editor: `DEJAFIX_STORE` when set, otherwise the
 * platform's per-user data folder (`$XDG_DATA_HOME/dejafix/store`, `~/Library/Application
 * Support/dejafix/store`, `%APPDATA%\dejafix\store`).
 */
export function defaultStoreDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env.DEJAFIX_STORE) return env.DEJAFIX_STORE;
  const home = env.HOME || env.USERPROFILE || homedir();
  if (platform === 'win32') return join(env.APPDATA || join(home, 'AppData', 'Roaming'), 'dejafix', 'store');
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'dejafix', 'store');
  return join(env.XDG_DATA_HOME || join(home, '.local', 'share'), 'dejafix', 'store');
}
