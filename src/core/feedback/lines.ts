// Feedback and the recall log as Dejafix JSONL lines, so `dejafix export` / `import` carry them:
//   {"kind":"feedback","id":…,"subject":…,"subjectKind":…,"type":…,"sessionId":…,"queryHash":…,"at":…,"by":…}
//   {"kind":"recall","id":…,"sessionId":…,"queryHash":…,"episodes":[…],"insights":[…],"source":…,"at":…}
// A feedback row's id is its key (feedback.ts): an imported line's id must be the one its fields make,
// so a hand-edited or hostile line cannot forge a credit under another row's key. Queries stay hashes.
import { z } from 'zod';
import { isoTime } from '../model/time';
import { FEEDBACK_KINDS } from './feedback';
import { CREDIT_KINDS, isTeamRowId, SEP, type FeedbackRow, type RecallLogRow } from '../store/feedbackLog';

/** No control characters (SEP is one): ids, sessions and names stay single, splittable parts. */
const part = (max: number) =>
  z
    .string()
    .max(max)
    // eslint-disable-next-line no-control-regex
    .regex(/^[^\u0000-\u001f\u007f]*$/, 'must not hold control characters');
const hash = z.string().regex(/^([0-9a-f]{16})?$/, 'must be a 16-digit hex query hash or empty');
const MARKER = /^credited:(resolved|failed|abandoned)$/;
const ID_MISMATCH = 'feedback id does not match its fields (ids are keys: a line may not choose its own)';

export const feedbackLineSchema = z
  .object({
    id: z.string().min(1).max(1_000),
    subject: part(200),
    subjectKind: z.enum(['episode', 'insight', '']),
    type: z.string().max(40),
    sessionId: part(200),
    queryHash: hash,
    at: isoTime,
    by: part(200).default(''),
  })
  .strict();

export const recallLineSchema = z
  .object({
    id: z.string().min(1).max(1_000),
    sessionId: part(200),
    queryHash: hash,
    episodes: z.array(part(200).min(1)).max(100),
    insights: z.array(part(200).min(1)).max(100),
    source: part(60),
    at: isoTime,
  })
  .strict();

/** Why a feedback row cannot be stored (its id is not the key its fields make), or undefined. */
export function feedbackRowProblem(r: z.output<typeof feedbackLineSchema>): string | undefined {
  if (MARKER.test(r.type)) {
    if (r.subject || r.subjectKind) return 'a session marker has no subject';
    if (!r.sessionId) return 'a session marker needs its sessionId';
    return r.id === ['done', r.sessionId].join(SEP) ? undefined : ID_MISMATCH;
  }
  // A teammate's credit mirrored by team sync (core/team/feedbackSync.ts): `m␟<by>␟<16 hex>`, no session or query.
  if (r.id.startsWith(`m${SEP}`)) {
    if (!r.by || !isTeamRowId(r.id, r.by)) return ID_MISMATCH;
    if (!CREDIT_KINDS.has(r.type)) return "a teammate's row is a credit (helped, harmed or used)";
    return r.subject && r.subjectKind === 'episode' ? undefined : "a teammate's credit needs the episode it is about";
  }
  const scope = r.sessionId || (r.queryHash ? `q:${r.queryHash}` : '');
  if (!scope) return 'feedback needs a sessionId or a queryHash';
  if (!r.subject || !r.subjectKind) return 'feedback needs a subject and its subjectKind';
  let want: string;
  if ((FEEDBACK_KINDS as readonly string[]).includes(r.type)) want = ['ev', scope, r.subject, r.type].join(SEP);
  else if (CREDIT_KINDS.has(r.type)) want = ['cr', scope, r.subject].join(SEP);
  else return `unknown feedback type ${JSON.stringify(r.type.slice(0, 40))}`;
  if (r.id !== want) return ID_MISMATCH;
  return undefined;
}

export function feedbackRowOf(r: z.output<typeof feedbackLineSchema>): FeedbackRow {
  return {
    id: r.id,
    subject: r.subject,
    subjectKind: r.subjectKind,
    kind: r.type,
    sessionId: r.sessionId,
    queryHash: r.queryHash,
    at: r.at,
    by: r.by,
  };
}

/** Why a recall-log row cannot be stored, or undefined. */
export function recallRowProblem(r: z.output<typeof recallLineSchema>): string | undefined {
  const [tag, scope, h, ...rest] = r.id.split(SEP);
  if (tag !== 'log' || !scope || h !== r.queryHash || rest.length) return 'recall id does not match its fields';
  if (r.sessionId && scope !== r.sessionId) return 'recall id does not match its session';
  return undefined;
}

export function recallRowOf(r: z.output<typeof recallLineSchema>): RecallLogRow {
  return { ...r, episodes: JSON.stringify(r.episodes), insights: JSON.stringify(r.insights) };
}

export function feedbackLine(r: FeedbackRow): string {
  const { kind, ...rest } = r;
  return JSON.stringify({ kind: 'feedback', ...rest, type: kind });
}

export function recallLine(r: RecallLogRow): string {
  return JSON.stringify({ kind: 'recall', ...r, episodes: ids(r.episodes), insights: ids(r.insights) });
}

function ids(json: string): string[] {
  try {
    const v = JSON.parse(json) as unknown;
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}
