// Where a memory came from, in words, without zod (the editor loads this at activation): the
// reader's own, a teammate's, the repository's .dejafix/ folder, or an import.

export const originKinds = ['you', 'teammate', 'repository', 'import'] as const;
export type OriginKind = (typeof originKinds)[number];

/** The fields of a record's provenance this file reads (the full schema is in provenance.ts). */
interface ProvenanceLike {
  origin: OriginKind;
  sharedBy?: string;
  sharedAt?: string;
}

/** The origin of a record: its stored provenance, else an import by its source, else the user's own. */
export function originOf(r: { provenance?: ProvenanceLike; source?: string }): OriginKind {
  if (r.provenance) return r.provenance.origin;
  return r.source?.startsWith('import:') ? 'import' : 'you';
}

/** A one-line description for cards and tool results: "you", "teammate Ann <a@x> (2026-12-01)". */
export function describeOrigin(r: { provenance?: ProvenanceLike; source?: string }): string {
  const origin = originOf(r);
  const p = r.provenance;
  if (!p || origin === 'you' || origin === 'import') return origin;
  const who = p.sharedBy ? ` ${p.sharedBy}` : '';
  const when = p.sharedAt ? ` (${p.sharedAt.slice(0, 10)})` : '';
  return `${origin}${who}${when}`;
}
