import { z } from 'zod';

/** Normalises any parseable time to the canonical UTC form `YYYY-MM-DDTHH:mm:ss.sssZ`, which sorts as text. */
export function toIso(value: string | number | Date): string {
  const d = value instanceof Date ? value : new Date(value);
  const t = d.getTime();
  if (Number.isNaN(t)) throw new Error(`not a valid time: ${JSON.stringify(String(value)).slice(0, 80)}`);
  return d.toISOString();
}

/** A zod string that must be a parseable time; the output is the canonical ISO form. */
export const isoTime = z.string().transform((s, ctx) => {
  const t = Date.parse(s);
  if (Number.isNaN(t)) {
    ctx.addIssue({ code: 'custom', message: `not a valid ISO time: ${JSON.stringify(s.slice(0, 40))}` });
    return z.NEVER;
  }
  return new Date(t).toISOString();
});
