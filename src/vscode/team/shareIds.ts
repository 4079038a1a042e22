// Which records a Share command is about, from its argument (palette, panel, tests). No VS Code here.

/** Ids from a command argument: an id, a list of ids, `{ ids }`, `{ episodeId }` or `{ insightId }`. */
export function idsFrom(arg: unknown): string[] | undefined {
  const ok = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= 200;
  if (ok(arg)) return [arg];
  if (Array.isArray(arg)) return arg.filter(ok).slice(0, 500);
  if (arg && typeof arg === 'object') {
    const o = arg as Record<string, unknown>;
    if (Array.isArray(o.ids)) return o.ids.filter(ok).slice(0, 500);
    for (const k of ['episodeId', 'insightId', 'id']) if (ok(o[k])) return [o[k] as string];
  }
  return undefined;
}
