// Where a memory came from: the person who shared it, when, from which repository, and what kind
// of origin it has for the reader (their own, a teammate's, the repository's .dejafix/ folder, an import).
import { z } from 'zod';
import { isoTime } from './time';

export const originKinds = ['you', 'teammate', 'repository', 'import'] as const;
export type OriginKind = (typeof originKinds)[number];

export const provenanceSchema = z.object({
  origin: z.enum(originKinds),
  /** `Name <email>` of who shared it (git identity or the configured team name). */
  sharedBy: z.string().max(300).optional(),
  sharedAt: isoTime.optional(),
  /** The repository it was shared from (normalised remote or folder name). */
  sharedFrom: z.string().max(500).optional(),
});
export type Provenance = z.infer<typeof provenanceSchema>;

/** The origin of a record: its stored provenance, else an import by its source, else the user's own. */
export function originOf(r: { provenance?: Provenance; source?: string }): OriginKind {
  if (r.provenance) return r.provenance.origin;
  return r.source?.startsWith('import:') ? 'import' : 'you';
}

/** A one-line description for cards and tool results: "you", "teammate Ann <a@x> (2026-12-01)". */
export function describeOrigin(r: { provenance?: Provenance; source?: string }): string {
  const origin = originOf(r);
  const p = r.provenance;
  if (!p || origin === 'you' || origin === 'import') return origin;
  const who = p.sharedBy ? ` ${p.sharedBy}` : '';
  const when = p.sharedAt ? ` (${p.sharedAt.slice(0, 10)})` : '';
  return `${origin}${who}${when}`;
}
