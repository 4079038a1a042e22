// Conversions between domain records and table rows. Optional fields are stored as null and
// come back absent, so a record read back is identical to the one written.
import type { Attempt, AttemptOutcome } from '../model/attempt';
import type { Episode, EpisodeOutcome } from '../model/episode';
import type { Insight, InsightRole, InsightStatus } from '../model/insight';
import { codeText } from '../model/code';
import type { OriginKind, Provenance } from '../model/provenance';

export type Row = Record<string, unknown>;

/** The text the episodes' full-text index covers. */
export function episodeIssueText(e: Pick<Episode, 'issue' | 'errorSignature'>): string {
  return [e.issue.title, e.issue.body, e.errorSignature].filter(Boolean).join('\n');
}

export function episodeToRow(e: Episode, now: string): Row {
  return {
    id: e.id,
    repo: e.repo,
    title: e.issue.title,
    body: e.issue.body,
    issueUrl: e.issue.url ?? null,
    issueNumber: e.issue.number ?? null,
    errorSignature: e.errorSignature,
    finalPatch: e.finalPatch,
    files: e.files,
    symbols: e.symbols,
    outcome: e.outcome,
    source: e.source,
    createdAt: e.createdAt,
    issueText: episodeIssueText(e),
    updatedAt: now,
    reproTest: e.reproTest,
    sourceId: e.sourceId ?? null,
    endedAt: e.endedAt ?? null,
    code: codeText(e.files, e.symbols),
    ...provenanceToRow(e.provenance),
  };
}

export function rowToEpisode(r: Row, attempts: Attempt[]): Episode {
  const e: Episode = {
    id: str(r.id),
    repo: str(r.repo),
    issue: { title: str(r.title), body: str(r.body) },
    errorSignature: str(r.errorSignature),
    attempts,
    finalPatch: str(r.finalPatch),
    reproTest: str(r.reproTest),
    files: strs(r.files),
    symbols: strs(r.symbols),
    outcome: str(r.outcome) as EpisodeOutcome,
    source: str(r.source),
    createdAt: str(r.createdAt),
  };
  if (r.issueUrl != null) e.issue.url = str(r.issueUrl);
  if (r.issueNumber != null) e.issue.number = Number(r.issueNumber);
  if (r.sourceId != null) e.sourceId = str(r.sourceId);
  if (r.endedAt != null) e.endedAt = str(r.endedAt);
  const p = rowToProvenance(r);
  if (p) e.provenance = p;
  return e;
}

export function attemptToRow(a: Attempt): Row {
  return { ...a };
}

export function rowToAttempt(r: Row): Attempt {
  return {
    id: str(r.id),
    episodeId: str(r.episodeId),
    patch: str(r.patch),
    command: str(r.command),
    exitCode: r.exitCode == null ? null : Number(r.exitCode),
    outputTail: str(r.outputTail),
    at: str(r.at),
    by: str(r.by),
    outcome: str(r.outcome) as AttemptOutcome,
  };
}

export function insightToRow(i: Insight): Row {
  return {
    id: i.id,
    text: i.text,
    role: i.role,
    scope: i.scope,
    importance: BigInt(i.importance),
    evidenceEpisodes: i.evidence.episodes,
    evidenceFiles: i.evidence.files,
    status: i.status,
    createdAt: i.createdAt,
    updatedAt: i.updatedAt,
    lastUsedAt: i.lastUsedAt ?? null,
    stale: i.stale ?? null,
    helpful: i.feedback?.helpful ?? null,
    unhelpful: i.feedback?.unhelpful ?? null,
    ...provenanceToRow(i.provenance),
  };
}

export function rowToInsight(r: Row): Insight {
  const i: Insight = {
    id: str(r.id),
    text: str(r.text),
    role: str(r.role) as InsightRole,
    scope: str(r.scope),
    importance: Number(r.importance ?? 0),
    evidence: { episodes: strs(r.evidenceEpisodes), files: strs(r.evidenceFiles) },
    status: str(r.status) as InsightStatus,
    createdAt: str(r.createdAt),
    updatedAt: str(r.updatedAt),
  };
  if (r.lastUsedAt != null) i.lastUsedAt = str(r.lastUsedAt);
  if (r.stale != null) i.stale = str(r.stale);
  if (r.helpful != null || r.unhelpful != null) i.feedback = { helpful: Number(r.helpful ?? 0), unhelpful: Number(r.unhelpful ?? 0) };
  const p = rowToProvenance(r);
  if (p) i.provenance = p;
  return i;
}

function provenanceToRow(p: Provenance | undefined): Row {
  return { origin: p?.origin ?? null, sharedBy: p?.sharedBy ?? null, sharedAt: p?.sharedAt ?? null, sharedFrom: p?.sharedFrom ?? null };
}

function rowToProvenance(r: Row): Provenance | undefined {
  if (r.origin == null) return undefined;
  const p: Provenance = { origin: str(r.origin) as OriginKind };
  if (r.sharedBy != null) p.sharedBy = str(r.sharedBy);
  if (r.sharedAt != null) p.sharedAt = str(r.sharedAt);
  if (r.sharedFrom != null) p.sharedFrom = str(r.sharedFrom);
  return p;
}

function str(v: unknown): string {
  return v == null ? '' : String(v);
}

/** List columns come back as Arrow vectors. */
export function strs(v: unknown): string[] {
  if (v == null) return [];
  const arr = Array.isArray(v) ? v : (v as { toArray(): unknown[] }).toArray();
  return Array.from(arr, (x) => String(x));
}

/** Quotes a string for a Lance SQL filter. */
export function sqlString(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}
