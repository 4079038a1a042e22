// JSON with object keys sorted, so equal records compare equal whatever their key order. Its own file (no
// imports): the editor's share preview uses it at load time, and share.ts would pull zod and the store in.

export function stableJson(v: unknown, indent?: number): string {
  return JSON.stringify(
    v,
    (_k, val: unknown) =>
      val && typeof val === 'object' && !Array.isArray(val)
        ? Object.fromEntries(Object.entries(val).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)))
        : val,
    indent,
  );
}
