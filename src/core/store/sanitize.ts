// Everything that is written to the store passes through here first: EVERY string field of a
// record (ids, repository, source, issue, commands, output, patches, files, symbols, scope…) has
// terminal codes stripped and secrets redacted, repository remotes are reduced to host/owner/name
// without credentials, binary patch payloads dropped, oversized text clipped. Each change is
// reported as a note. The store's write methods call it, so no entry point can bypass it.
import type { Attempt } from '../model/attempt';
import type { Episode, Issue } from '../model/episode';
import type { Insight } from '../model/insight';
import { normaliseRemote } from '../capture/repoId';
import { redact } from '../redact';
import { toIso } from '../model/time';

/**
 * Size limits, in characters. A repair demonstration longer than this is not useful in a prompt
 * (a 200k-token context holds ~800k characters in all), and keeping it whole would bloat every
 * read. The head is kept, since a diff's first hunks name the files and functions.
 */
export const LIMITS = {
  title: 500,
  text: 256 * 1024,
  patch: 1024 * 1024,
  outputTail: 64 * 1024,
  listItem: 1000,
  listLength: 2000,
} as const;

export interface Sanitized<T> {
  value: T;
  notes: string[];
}

const BINARY_PATCH = /^GIT binary patch\n(?:.*\n?)*?(?=^diff --git |(?![\s\S]))/gm;

/** Drops the base85 payload of `GIT binary patch` sections, keeping the file headers. */
export function stripBinaryPatches(patch: string): string {
  if (!patch.includes('GIT binary patch')) return patch;
  return patch.replace(BINARY_PATCH, 'GIT binary patch\n[binary patch omitted by Dejafix]\n');
}

class Cleaner {
  readonly notes: string[] = [];
  constructor(private readonly where: string) {}

  async text(field: string, value: string, limit: number, keep: 'head' | 'tail' = 'head'): Promise<string> {
    // NUL bytes never belong in a memory and break text tools downstream. Redaction runs on the
    // whole text before clipping, so a secret cut at the limit cannot survive in part.
    const r = await redact(value.toWellFormed().replaceAll('\u0000', ''));
    if (r.findings.length > 0) {
      const rules = [...new Set(r.findings.map((f) => f.rule))].join(', ');
      this.notes.push(`${this.where}: redacted ${r.findings.length} secret(s) in ${field} (${rules})`);
    }
    let v = r.text;
    if (v.length > limit) {
      const cut = v.length - limit;
      this.notes.push(`${this.where}: ${field} is ${fmtSize(v.length)}; kept the ${keep === 'head' ? 'first' : 'last'} ${fmtSize(limit)}`);
      v =
        keep === 'head'
          ? `${v.slice(0, limit)}\n[… ${cut} characters truncated by Dejafix]`
          : `[… ${cut} characters truncated by Dejafix]\n${v.slice(v.length - limit)}`;
    }
    return v;
  }

  /** A short field (id, name, source): redacted, then clipped without a note marker. */
  async short(field: string, value: string, limit: number = LIMITS.title): Promise<string> {
    const v = await this.text(field, value, Number.MAX_SAFE_INTEGER);
    return v.length > limit ? v.slice(0, limit) : v;
  }

  /** A repository: a remote URL becomes `host/owner/name` (credentials dropped), then redacted. */
  async repo(field: string, value: string): Promise<string> {
    return this.short(field, normaliseRepo(value), LIMITS.listItem);
  }

  async patch(field: string, value: string): Promise<string> {
    const stripped = stripBinaryPatches(value);
    if (stripped !== value) this.notes.push(`${this.where}: ${field} has a binary patch; kept its file headers only`);
    return this.text(field, stripped, LIMITS.patch);
  }

  async list(field: string, values: string[]): Promise<string[]> {
    const out: string[] = [];
    for (const item of values.slice(0, LIMITS.listLength)) out.push(await this.short(field, item, LIMITS.listItem));
    if (values.length > LIMITS.listLength) this.notes.push(`${this.where}: ${field} has ${values.length} items; kept ${LIMITS.listLength}`);
    return out;
  }
}

/**
 * `https://user:token@github.com/o/r.git`, `git@github.com:o/r.git`, `user:token@host/o/r` →
 * `github.com/o/r`; anything else (a folder name, `owner/name`, an id) is kept as it is.
 */
export function normaliseRepo(value: string): string {
  const v = value.trim();
  const noUser = v.replace(/^(?![a-z][a-z0-9+.-]*:\/\/)[^@\s/]*:[^@\s]*@(?=[^@\s]+\/)/i, '');
  if (noUser !== v) return normaliseRemote(`https://${noUser}`) ?? noUser;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(v) || /^[^@/\s]+@[^:/\s]+:(?!\/)/.test(v)) return normaliseRemote(v) ?? v;
  return value;
}

export async function sanitizeAttempt(a: Attempt, cleaner?: Cleaner): Promise<Sanitized<Attempt>> {
  const c = cleaner ?? new Cleaner(`attempt ${(await redact(a.id)).text.slice(0, 200)}`);
  const value: Attempt = {
    ...a,
    id: await c.short('id', a.id, 200),
    episodeId: await c.short('episodeId', a.episodeId, 200),
    patch: await c.patch('patch', a.patch),
    command: await c.text('command', a.command, LIMITS.text),
    outputTail: await c.text('outputTail', a.outputTail, LIMITS.outputTail, 'tail'),
    at: toIso(a.at),
    by: await c.short('by', a.by),
  };
  return { value, notes: c.notes };
}

export async function sanitizeEpisode(e: Episode): Promise<Sanitized<Episode>> {
  const c = new Cleaner(`episode ${(await redact(e.sourceId ?? e.id)).text.slice(0, 200)}`);
  const attempts: Attempt[] = [];
  for (const a of e.attempts) attempts.push((await sanitizeAttempt(a, c)).value);
  const value: Episode = {
    ...e,
    id: await c.short('id', e.id, 200),
    repo: await c.repo('repo', e.repo),
    source: await c.short('source', e.source),
    ...(e.sourceId !== undefined ? { sourceId: await c.short('sourceId', e.sourceId) } : {}),
    issue: {
      ...e.issue,
      title: await c.text('title', e.issue.title, LIMITS.title),
      body: await c.text('body', e.issue.body, LIMITS.text),
      ...(e.issue.url !== undefined ? { url: await c.text('url', e.issue.url, LIMITS.listItem) } : {}),
    },
    errorSignature: await c.text('errorSignature', e.errorSignature, LIMITS.listItem),
    attempts,
    finalPatch: await c.patch('finalPatch', e.finalPatch),
    reproTest: await c.patch('reproTest', e.reproTest),
    files: await c.list('files', e.files),
    symbols: await c.list('symbols', e.symbols),
    // Times are compared as text (`before`), so they must all be in the one canonical form.
    createdAt: toIso(e.createdAt),
    ...(e.endedAt !== undefined ? { endedAt: toIso(e.endedAt) } : {}),
  };
  return { value, notes: c.notes };
}

export async function sanitizeInsight(i: Insight): Promise<Sanitized<Insight>> {
  const c = new Cleaner(`insight ${(await redact(i.id)).text.slice(0, 200)}`);
  const value: Insight = {
    ...i,
    id: await c.short('id', i.id, 200),
    text: await c.text('text', i.text, LIMITS.text),
    scope: await c.repo('scope', i.scope),
    evidence: { episodes: await c.list('evidence.episodes', i.evidence.episodes), files: await c.list('evidence.files', i.evidence.files) },
    ...(i.stale !== undefined ? { stale: await c.text('stale', i.stale, LIMITS.listItem) } : {}),
    createdAt: toIso(i.createdAt),
    updatedAt: toIso(i.updatedAt),
    ...(i.lastUsedAt !== undefined ? { lastUsedAt: toIso(i.lastUsedAt) } : {}),
  };
  return { value, notes: c.notes };
}

/** What an open repair session (kept in the store by the MCP server) says about itself. */
export interface SessionHeaderFields {
  id: string;
  repo: string;
  issue: Issue;
  source: string;
  agent: string;
  owner?: string;
  folder?: string;
  baseCommit?: string;
  startedAt: string;
  updatedAt: string;
}

/** An open session's header: the same rules as an episode's issue, repository and source. */
export async function sanitizeSessionHeader<T extends SessionHeaderFields>(h: T): Promise<Sanitized<T>> {
  const c = new Cleaner(`session ${(await redact(h.id)).text.slice(0, 200)}`);
  const value: T = {
    ...h,
    id: await c.short('id', h.id, 200),
    repo: await c.repo('repo', h.repo),
    issue: {
      ...h.issue,
      title: await c.text('title', h.issue.title, LIMITS.title),
      body: await c.text('body', h.issue.body, LIMITS.text),
      ...(h.issue.url !== undefined ? { url: await c.text('url', h.issue.url, LIMITS.listItem) } : {}),
    },
    source: await c.short('source', h.source),
    agent: await c.short('agent', h.agent),
    ...(h.owner !== undefined ? { owner: await c.short('owner', h.owner) } : {}),
    ...(h.folder !== undefined ? { folder: await c.short('folder', h.folder, LIMITS.listItem) } : {}),
    ...(h.baseCommit !== undefined ? { baseCommit: await c.short('baseCommit', h.baseCommit, 200) } : {}),
    startedAt: toIso(h.startedAt),
    updatedAt: toIso(h.updatedAt),
  };
  return { value, notes: c.notes };
}

/** An issue title as a session or episode stores it (to compare a title given again with a stored one). */
export async function sanitizeTitle(title: string): Promise<string> {
  return new Cleaner('title').text('title', title, LIMITS.title);
}

/** Sanitises records in order, one per id (the last one given wins), collecting the notes. */
export async function sanitizeAll<T extends { id: string }>(
  items: T[],
  clean: (item: T) => Promise<Sanitized<T>>,
): Promise<{ values: T[]; notes: string[] }> {
  const byId = new Map<string, T>();
  for (const it of items) byId.set(it.id, it);
  const values: T[] = [];
  const notes: string[] = [];
  for (const it of byId.values()) {
    const s = await clean(it);
    values.push(s.value);
    notes.push(...s.notes);
  }
  return { values, notes };
}

function fmtSize(chars: number): string {
  return chars >= 1024 * 1024 ? `${(chars / 1024 / 1024).toFixed(1)} M chars` : `${Math.round(chars / 1024)} K chars`;
}
