// Where a memory came from: the person who shared it, when, from which repository, and what kind
// of origin it has for the reader (their own, a teammate's, the repository's .dejafix/ folder, an import).
import { z } from 'zod';
import { originKinds } from './origin';
import { isoTime } from './time';

export { originKinds, type OriginKind } from './origin';

export const provenanceSchema = z.object({
  origin: z.enum(originKinds),
  /** `Name <email>` of who shared it (git identity or the configured team name). */
  sharedBy: z.string().max(300).optional(),
  sharedAt: isoTime.optional(),
  /** The repository it was shared from (normalised remote or folder name). */
  sharedFrom: z.string().max(500).optional(),
});
export type Provenance = z.infer<typeof provenanceSchema>;

export { describeOrigin, originOf } from './origin';
