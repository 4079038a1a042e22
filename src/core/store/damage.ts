// Turns what LanceDB says about a store it cannot read (a Rust error chain with source paths) into
// one line a user can act on: which table is damaged, or which folder is not readable, and what to
// run next. Used by every front door (CLI, MCP server, editor) and by `doctor`.
import { errorText } from '../util/errors';
import { StoreError, isPermissionError } from './errors';

/** Error texts that mean a table's files are missing, cut short or not valid Lance data. */
const DAMAGE: [RegExp, string][] = [
  [/Table '[^']+' was not found|Dataset at path \S+ was not found|_versions\b.*not found/i, 'its folder or version history is missing'],
  [/_indices\/\S+ not found|_indices\/\S+: No such file|Object at location \S*_indices/i, 'an index file is missing'],
  [/Not found: \S+\/data\/\S+\.lance|Object at location \S+\/data\/\S+ not found/i, 'a data file is missing'],
  [/\.manifest|file size is too small|manifest/i, 'a version manifest is damaged'],
  [/Not a directory \(os error 20\)/i, 'a file stands where its folder belongs'],
  [/failed to fill whole buffer|unexpected end of file|UnexpectedEof/i, 'a data file is cut short'],
  [
    /failed to decode|Protobuf|out of range|invalid (data|file|page|buffer)|corrupt|checksum|not a valid lance|magic/i,
    'a data file holds invalid bytes',
  ],
];

/** The table an error text names (`…/attempts.lance/…` or `Table 'attempts'`), if any. */
export function tableNamed(text: string): string | undefined {
  return /([A-Za-z0-9_-]+)\.lance(?:\/|\b)/.exec(text)?.[1] ?? /Table '([^']+)'/.exec(text)?.[1];
}

/** What is wrong with the store, when `e` says the store's files are damaged. */
export function damageOf(e: unknown): { table?: string; what: string } | undefined {
  const text = e instanceof Error ? `${e.message} ${String((e as { cause?: unknown }).cause ?? '')}` : String(e);
  if (e instanceof StoreError) return undefined;
  const hit = DAMAGE.find(([re]) => re.test(text));
  return hit ? { table: tableNamed(text), what: hit[1] } : undefined;
}

export function doctorHint(dir: string): string {
  return `run \`dejafix doctor --store ${JSON.stringify(dir).slice(1, -1)}\` to check and repair it`;
}

export function permissionMessage(dir: string, path = dir): string {
  return `cannot read the store at ${dir}: permission denied${path !== dir ? ` on ${path}` : ''} — fix with \`chmod -R u+rwX ${dir}\` (or run as the user who owns it)`;
}

/**
 * The StoreError a front door should report for `e`, met while using the store in `dir`; `e`
 * itself when it is already one, undefined when it is not a store failure at all.
 */
export function asStoreError(e: unknown, dir: string): StoreError | undefined {
  if (e instanceof StoreError) return e;
  if (isPermissionError(e)) {
    const path = /(?:on|file|location|path) (\/\S+?)[:,]? /.exec(errorText(e))?.[1];
    return new StoreError('permission', permissionMessage(dir, path && path.startsWith(dir) ? path : dir), { cause: e });
  }
  const d = damageOf(e);
  if (!d) return undefined;
  const table = d.table ? `the ${d.table} table` : 'a table';
  return new StoreError('damaged', `the store at ${dir} is damaged: ${table} cannot be read (${d.what}); ${doctorHint(dir)}`, {
    cause: e,
    table: d.table,
  });
}
