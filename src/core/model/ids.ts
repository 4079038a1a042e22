import { createHash } from 'node:crypto';

/**
 * A stable id for a record that came from somewhere else, so importing the same record twice
 * updates it instead of duplicating it.
 */
export function stableId(prefix: string, ...parts: string[]): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(p).update('\u0000');
  return `${prefix}_${h.digest('hex').slice(0, 20)}`;
}
