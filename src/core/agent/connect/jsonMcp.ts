// Dejafix's MCP server entry in an agent's JSON config (`.mcp.json`, `.cursor/mcp.json`,
// `.vscode/mcp.json`, Cline's settings): added, replaced or removed with jsonc-parser's edits, so
// every other server, setting, comment and the file's own formatting stay as they were.
import { applyEdits, modify, parse, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { ConfigMergeError } from './mergeError';

export const SERVER_NAME = 'dejafix';
type Json = Record<string, unknown>;
const FORMAT = { formattingOptions: { insertSpaces: true, tabSize: 2, eol: '\n' } };

function lineOf(text: string, offset: number): number {
  return text.slice(0, offset).split('\n').length;
}

/** The parsed document (an object), or a clear error naming the file; '' or no file is {}. */
export function parseJsonObject(text: string | undefined, file: string): Json {
  if (text === undefined || !text.trim()) return {};
  const errors: ParseError[] = [];
  const v: unknown = parse(text, errors, { allowTrailingComma: true, disallowComments: false });
  if (errors.length) {
    const e = errors[0];
    throw new ConfigMergeError(
      `${file} is not valid JSON (${printParseErrorCode(e.error)} at line ${lineOf(text, e.offset)}); fix it first — Dejafix does not overwrite it`,
    );
  }
  if (!v || typeof v !== 'object' || Array.isArray(v))
    throw new ConfigMergeError(`${file} does not hold a JSON object; fix it first — Dejafix does not overwrite it`);
  return v as Json;
}

function serversOf(doc: Json, key: string, file: string): Json | undefined {
  const servers = doc[key];
  if (servers === undefined) return undefined;
  if (!servers || typeof servers !== 'object' || Array.isArray(servers))
    throw new ConfigMergeError(`"${key}" in ${file} is not an object; fix it first — Dejafix does not overwrite it`);
  return servers as Json;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * The file with `entry` as `<key>.dejafix`. Settings the user gave our entry (env, timeouts,
 * autoApprove…) are kept; the entry's own keys (command, args…) are Dejafix's. Unchanged text when
 * the entry is already there as it would be written.
 */
export function addJsonServer(text: string | undefined, key: string, entry: Json, file: string): string {
  const doc = parseJsonObject(text, file);
  const old = serversOf(doc, key, file)?.[SERVER_NAME];
  const kept = old && typeof old === 'object' && !Array.isArray(old) ? (old as Json) : {};
  const merged = {
    ...entry,
    ...kept,
    ...Object.fromEntries(Object.entries(entry).filter(([k]) => k === 'command' || k === 'args' || k === 'type')),
  };
  if (old !== undefined && same(old, merged)) return text ?? '';
  const base = text !== undefined && text.trim() ? text : '{}\n';
  const out = applyEdits(base, modify(base, [key, SERVER_NAME], merged, FORMAT));
  return out.endsWith('\n') ? out : `${out}\n`;
}

/** The file without `<key>.dejafix` (and without `<key>` when that leaves it empty); undefined when nothing is left. */
export function removeJsonServer(text: string | undefined, key: string, file: string): string | undefined {
  if (text === undefined) return undefined;
  const doc = parseJsonObject(text, file);
  const servers = serversOf(doc, key, file);
  if (!servers || !(SERVER_NAME in servers)) return text;
  let out = applyEdits(text, modify(text, [key, SERVER_NAME], undefined, FORMAT));
  if (Object.keys(servers).length === 1) out = applyEdits(out, modify(out, [key], undefined, FORMAT));
  return Object.keys(parseJsonObject(out, file)).length ? out : undefined;
}
