// Which repository a workspace folder belongs to, in the form episodes are stored under:
// `host/owner/name` from its git remote (any URL shape, credentials dropped), else the folder name.

/** `git@github.com:acme/app.git`, `https://u:p@github.com/acme/app`, `ssh://git@host:22/a/b.git` → `github.com/acme/app`. */
export function normaliseRemote(url: string): string | undefined {
  const u = url.trim();
  if (!u) return undefined;
  let host: string;
  let path: string;
  const scp = /^(?:[^@/\s]+@)?([^:/\s]+):(?!\/)(.+)$/.exec(u);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(u)) {
    let parsed: URL;
    try {
      parsed = new URL(u);
    } catch {
      return undefined;
    }
    if (parsed.protocol === 'file:') return undefined;
    host = parsed.hostname;
    path = parsed.pathname;
  } else if (scp) {
    host = scp[1];
    path = scp[2];
  } else {
    return undefined;
  }
  const clean = path.replace(/^\/+|\/+$/g, '').replace(/\.git$/i, '');
  if (!host || !clean) return undefined;
  return `${host.toLowerCase()}/${clean}`.replace(/\/{2,}/g, '/');
}

/** Reads the `origin` remote (else the first one) from a `.git/config` file's text. */
export function remoteFromGitConfig(config: string): string | undefined {
  const remotes = new Map<string, string>();
  let current: string | undefined;
  for (const line of config.split(/\r?\n/)) {
    const section = /^\s*\[\s*remote\s+"([^"]+)"\s*\]/.exec(line);
    if (section) {
      current = section[1];
      continue;
    }
    if (/^\s*\[/.test(line)) current = undefined;
    const url = /^\s*url\s*=\s*(.+?)\s*$/.exec(line);
    if (current && url && !remotes.has(current)) remotes.set(current, url[1]);
  }
  return remotes.get('origin') ?? remotes.values().next().value;
}

export function repoIdFor(remoteUrl: string | undefined, folderName: string): string {
  return (remoteUrl && normaliseRemote(remoteUrl)) || folderName;
}

/** Whether two repository ids name the same repository: `github.com/acme/app` and `acme/app` do. */
export function sameRepository(a: string, b: string): boolean {
  const bare = (r: string) => r.toLowerCase().replace(/^[^/]+\.[^/]+\/(?=[^/]+\/[^/]+$)/, '');
  return bare(a) === bare(b);
}
