// Dejafix's `[mcp_servers.dejafix]` table in Codex's config.toml, edited as text so comments, key
// order and every other table stay as they were: added at the end, replaced in place (keeping the
// user's own keys of our table and its sub-tables, e.g. env), or removed with its sub-tables.
import { ConfigMergeError } from './mergeError';
import { SERVER_NAME } from './jsonMcp';

export interface ServerCommand {
  command: string;
  args: string[];
}

// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/g;

export function tomlString(s: string): string {
  return `"${s
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(CONTROL_CHARS, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}"`;
}

export function codexTable(server: ServerCommand): string {
  return `[mcp_servers.${SERVER_NAME}]\ncommand = ${tomlString(server.command)}\nargs = [${server.args.map(tomlString).join(', ')}]\n`;
}

const OUR_HEADER = /^\s*\[\s*mcp_servers\s*\.\s*(?:dejafix|"dejafix")\s*\]\s*(?:#.*)?$/;
const OUR_SUBTABLE = /^\s*\[\s*mcp_servers\s*\.\s*(?:dejafix|"dejafix")\s*\./;
const ANY_HEADER = /^\s*\[/;
const INLINE_OURS = /^\s*mcp_servers\s*\.\s*(?:dejafix|"dejafix")\s*[.=]/;

function ourSpan(lines: string[], file: string): { start: number; end: number } | undefined {
  if (lines.some((l) => INLINE_OURS.test(l)))
    throw new ConfigMergeError(`${file} defines mcp_servers.dejafix with dotted keys; edit it by hand`);
  const start = lines.findIndex((l) => OUR_HEADER.test(l));
  if (start < 0) return undefined;
  if (lines.slice(start + 1).some((l) => OUR_HEADER.test(l)))
    throw new ConfigMergeError(`${file} has [mcp_servers.dejafix] twice; fix it first`);
  let end = start + 1;
  while (end < lines.length && !(ANY_HEADER.test(lines[end]) && !OUR_SUBTABLE.test(lines[end]))) end++;
  return { start, end };
}

export function addCodexServer(existing: string | undefined, server: ServerCommand, file = 'config.toml'): string {
  const text = existing ?? '';
  const lines = text.split('\n');
  const span = ourSpan(lines, file);
  if (!span) return `${text}${text && !text.endsWith('\n') ? '\n' : ''}${text.trim() ? '\n' : ''}${codexTable(server)}`;
  const { start, end } = span;
  const inner = lines.slice(start + 1, end);
  const sub = inner.findIndex((l) => OUR_SUBTABLE.test(l));
  const body = sub >= 0 ? inner.slice(0, sub) : inner;
  if (body.some((l) => /^\s*args\s*=\s*\[[^\]]*$/.test(l)))
    throw new ConfigMergeError(`${file}: its [mcp_servers.dejafix] has a multi-line args array; edit it by hand`);
  const own = body.filter((l) => !/^\s*(command|args)\s*=/.test(l) && l.trim());
  const rest = sub >= 0 ? inner.slice(sub) : [];
  while (rest.length && !rest.at(-1)!.trim()) rest.pop();
  const block = [...codexTable(server).trimEnd().split('\n'), ...own, ...(rest.length ? ['', ...rest] : [])];
  return [...lines.slice(0, start), ...block, ...(end < lines.length ? ['', ...lines.slice(end)] : [''])].join('\n');
}

/** The file without our table and its sub-tables; undefined when nothing else was in it. */
export function removeCodexServer(existing: string | undefined, file = 'config.toml'): string | undefined {
  if (existing === undefined) return undefined;
  const lines = existing.split('\n');
  const span = ourSpan(lines, file);
  if (!span) return existing;
  let { start, end } = span;
  while (end > start + 1 && !lines[end - 1].trim()) end--;
  // The blank line connect put before the table goes with it.
  if (start > 0 && !lines[start - 1].trim()) start--;
  // At the top of the file, the blank lines after it go instead.
  if (start === 0) while (end < lines.length - 1 && !lines[end].trim()) end++;
  const out = [...lines.slice(0, start), ...lines.slice(end)].join('\n');
  return out.trim() ? out : undefined;
}
