// The command line an agent's hook settings run for Dejafix: `sh "<hook.sh>" "<node>" "<hook.js>"
// <agent> …` — the sh fast path that hands tool calls to the warm server without starting Node and
// falls back to `"<node>" "<hook.js>" <agent> …` — or that Node command itself on Windows (no POSIX
// sh there) or when there is no hook.sh. `script` is dist/hook.js or the editor's launcher.

/** Quoted for a POSIX shell (and readable: plain paths in double quotes, as before). */
export function shQuote(s: string): string {
  return /^[\w@%+=:,./ -]*$/.test(s) ? JSON.stringify(s) : `'${s.replace(/'/g, `'\\''`)}'`;
}

export function hookCommand(
  p: { node: string; script: string; sh?: string },
  args: string,
  platform: NodeJS.Platform = process.platform,
): string {
  // Windows: quoted as before (JSON strings); there is no POSIX sh to run the fast path.
  if (platform === 'win32') return `${JSON.stringify(p.node)} ${JSON.stringify(p.script)} ${args}`;
  const node = `${shQuote(p.node)} ${shQuote(p.script)} ${args}`;
  return p.sh ? `sh ${shQuote(p.sh)} ${node}` : node;
}
