import { access, constants, stat } from 'node:fs/promises';
import type { Attempt } from '../model/attempt';
import type { Episode } from '../model/episode';
import type { Insight } from '../model/insight';
import type { Counts, ExperienceStore } from '../store/store';
import { feedbackRows, recallLogRows, type FeedbackRow, type RecallLogRow } from '../store/feedbackLog';
import { readLines } from './lines';
import { LineError, type Parsed } from './records';
import { DejafixError } from '../util/errors';

export interface LineProblem {
  line: number;
  reason: string;
}

export interface ImportProgress {
  linesRead: number;
  batchesCommitted: number;
  recordsCommitted: number;
  errors: number;
}

export interface ImportReport extends ImportProgress {
  episodes: Counts;
  attempts: Counts;
  insights: Counts;
  /** Feedback and recall-log rows written (Dejafix JSONL). */
  feedback: number;
  recalls: number;
  errorLines: LineProblem[];
  /** Redactions and truncations, one line each. */
  notes: string[];
}

export interface ImportOptions {
  /** Records per committed batch; a crash keeps whole batches only. */
  batchSize?: number;
  onProgress?: (p: ImportProgress) => void;
  /** Errors beyond this many are counted but not kept in the report. */
  maxErrorLines?: number;
}

export const DEFAULT_BATCH = 1000;

/** Reads a JSONL file through `parse` into the store in batches. Bad lines are reported, good ones kept. */
export async function importLines(
  store: ExperienceStore,
  file: string,
  parse: (text: string) => Parsed,
  opts: ImportOptions = {},
): Promise<ImportReport> {
  await assertReadableFile(file);
  const batchSize = Math.max(1, opts.batchSize ?? DEFAULT_BATCH);
  const maxErrors = opts.maxErrorLines ?? 1000;
  const report: ImportReport = {
    linesRead: 0,
    batchesCommitted: 0,
    recordsCommitted: 0,
    errors: 0,
    episodes: { inserted: 0, updated: 0 },
    attempts: { inserted: 0, updated: 0 },
    insights: { inserted: 0, updated: 0 },
    feedback: 0,
    recalls: 0,
    errorLines: [],
    notes: [],
  };
  let episodes: Episode[] = [];
  let attempts: Attempt[] = [];
  let insights: Insight[] = [];
  let feedback: FeedbackRow[] = [];
  let recalls: RecallLogRow[] = [];
  const pending = () => episodes.length + attempts.length + insights.length + feedback.length + recalls.length;

  const flush = async () => {
    if (pending() === 0) return;
    const n = pending();
    const [e, a, i, f, r] = [episodes, attempts, insights, feedback, recalls];
    inBatch.clear();
    episodes = [];
    attempts = [];
    insights = [];
    feedback = [];
    recalls = [];
    const re = await store.upsertEpisodes(e);
    const ra = await store.upsertAttempts(a);
    const ri = await store.upsertInsights(i);
    await feedbackRows.write(store, f);
    await recallLogRows.writeMany(store, r);
    report.feedback += f.length;
    report.recalls += r.length;
    add(report.episodes, re);
    add(report.attempts, ra);
    add(report.attempts, re.attempts);
    add(report.insights, ri);
    report.notes.push(...re.notes, ...ra.notes, ...ri.notes);
    report.batchesCommitted++;
    report.recordsCommitted += n;
    opts.onProgress?.(progressOf(report));
  };

  const owners = new AttemptOwners();
  const inBatch = new Set<string>();
  await store.bulk(async () => {
    for await (const l of parsedLines(file, parse)) {
      report.linesRead = l.line;
      const reason = l.reason !== undefined ? l.reason : owners.claim(l.value, l.line);
      if (reason !== undefined || l.reason !== undefined) {
        report.errors++;
        if (report.errorLines.length < maxErrors) report.errorLines.push({ line: l.line, reason: reason ?? '' });
      } else {
        // A key twice in one merge makes two rows: a record seen again in this batch goes in the next one.
        const keys = keysOf(l.value);
        if (keys.some((k) => inBatch.has(k))) await flush();
        for (const k of keys) inBatch.add(k);
        episodes.push(...(l.value.episodes ?? []));
        attempts.push(...(l.value.attempts ?? []));
        insights.push(...(l.value.insights ?? []));
        feedback.push(...(l.value.feedback ?? []));
        recalls.push(...(l.value.recalls ?? []));
      }
      if (pending() >= batchSize) await flush();
    }
    await flush();
  });
  return report;
}

/** The ids a parsed line writes, by table. */
function keysOf(p: Parsed): string[] {
  const attempts = [...(p.attempts ?? []), ...(p.episodes ?? []).flatMap((e) => e.attempts)];
  return [
    ...(p.episodes ?? []).map((e) => `e:${e.id}`),
    ...attempts.map((a) => `a:${a.id}`),
    ...(p.insights ?? []).map((i) => `i:${i.id}`),
    ...(p.feedback ?? []).map((f) => `f:${f.id}`),
    ...(p.recalls ?? []).map((r) => `r:${r.id}`),
  ];
}

/**
 * Which episode each attempt id of this import belongs to: an attempt id is one row, so a second
 * episode claiming it (or one record listing it twice) is rejected, never stored as a second row.
 */
class AttemptOwners {
  private readonly owner = new Map<string, { episode: string; line: number }>();

  /** The reason the line cannot be imported, or undefined after recording its attempts. */
  claim(p: Parsed, line: number): string | undefined {
    const attempts = [...(p.attempts ?? []), ...(p.episodes ?? []).flatMap((e) => e.attempts)];
    const here = new Map<string, string>();
    for (const a of attempts) {
      const prior = here.get(a.id);
      if (prior !== undefined && prior !== a.episodeId)
        return `attempt id ${a.id} is used by episodes ${prior} and ${a.episodeId}; attempt ids must be unique`;
      if (prior !== undefined && (p.episodes ?? []).some((e) => e.attempts.filter((x) => x.id === a.id).length > 1))
        return `attempt id ${a.id} appears twice in episode ${a.episodeId}`;
      here.set(a.id, a.episodeId);
      const seen = this.owner.get(a.id);
      if (seen && seen.episode !== a.episodeId)
        return `attempt id ${a.id} already belongs to episode ${seen.episode} (line ${seen.line}); attempt ids must be unique`;
    }
    for (const [id, episode] of here) if (!this.owner.has(id)) this.owner.set(id, { episode, line });
    return undefined;
  }
}

/** Loads every record of a JSONL file into memory (for small side files like `--instances`). */
export async function readAll<T>(file: string, parse: (text: string) => T): Promise<{ items: T[]; errorLines: LineProblem[] }> {
  await assertReadableFile(file);
  const items: T[] = [];
  const errorLines: LineProblem[] = [];
  for await (const l of parsedLines(file, parse)) {
    if (l.reason !== undefined) errorLines.push({ line: l.line, reason: l.reason });
    else items.push(l.value);
  }
  return { items, errorLines };
}

/** Each line parsed, or the reason it could not be read or parsed (a LineError's message). */
async function* parsedLines<T>(
  file: string,
  parse: (text: string) => T,
): AsyncGenerator<{ line: number; value: T; reason?: undefined } | { line: number; reason: string }> {
  for await (const l of readLines(file)) {
    if (l.error !== undefined) {
      yield { line: l.line, reason: l.error };
      continue;
    }
    try {
      yield { line: l.line, value: parse(l.text) };
    } catch (e) {
      if (!(e instanceof LineError)) throw e;
      yield { line: l.line, reason: e.message };
    }
  }
}

/** A file that cannot be imported, with a reason a user can act on. */
export class InputFileError extends DejafixError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, { code: 'bad-input-file', cause: options.cause });
    this.name = 'InputFileError';
  }
}

/**
 * Throws an InputFileError naming the problem unless `file` is a readable file, and a non-empty one unless
 * `emptyOk`; the CLI checks before it opens a store.
 */
export async function assertReadableFile(file: string, o: { emptyOk?: boolean } = {}): Promise<void> {
  const cannot = (e: NodeJS.ErrnoException) => {
    throw new InputFileError(e.code === 'ENOENT' ? `${file}: no such file` : `${file}: cannot read (${e.code})`);
  };
  const s = await stat(file).catch(cannot);
  if (!s.isFile()) throw new InputFileError(`${file}: not a file`);
  await access(file, constants.R_OK).catch(cannot);
  if (s.size === 0 && !o.emptyOk) throw new InputFileError(`${file}: the file is empty, nothing to import`);
}

function add(total: Counts, r: Counts): void {
  total.inserted += r.inserted;
  total.updated += r.updated;
}

function progressOf(r: ImportReport): ImportProgress {
  return { linesRead: r.linesRead, batchesCommitted: r.batchesCommitted, recordsCommitted: r.recordsCommitted, errors: r.errors };
}
