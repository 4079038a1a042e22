// Importing formats where one file is one episode (an agent session transcript, a trajectory):
// a file or a folder of them is read file by file, and each file's episode is written in batches.
// A file that cannot be read or understood is reported and skipped; the others are imported.
import { lstat, readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { Episode } from '../model/episode';
import type { Counts, ExperienceStore } from '../store/store';
import { InputFileError } from './importer';
import { DejafixError } from '../util/errors';

/** Why one file, or one line of it, was not imported. */
export interface DocumentProblem {
  file: string;
  line?: number;
  reason: string;
}

/** A reason a whole file was not imported, meant for the user. */
export class DocumentError extends DejafixError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, { code: 'bad-document', cause: options.cause });
    this.name = 'DocumentError';
  }
}

export interface DocumentFormat {
  /** File names to take from a folder (a file named directly is always read). */
  accepts(name: string): boolean;
  /** Folders not to enter. */
  skipsFolder?(name: string): boolean;
  /** The file's episode (or none), with problems in parts of it that were skipped. */
  read(file: string): Promise<{ episode?: Episode; problems: { line?: number; reason: string }[] }>;
}

export interface DocumentImportReport {
  filesFound: number;
  filesImported: number;
  episodes: Counts;
  attempts: Counts;
  problems: DocumentProblem[];
  /** Problems beyond the kept ones. */
  moreProblems: number;
  /** Redactions and truncations, one line each. */
  notes: string[];
}

export interface DocumentImportOptions {
  /** Records (episodes + attempts) per committed batch. */
  batchSize?: number;
  onProgress?: (p: { filesRead: number; filesFound: number; episodes: number }) => void;
  maxProblems?: number;
}

/** Characters of text held before a batch is written, whatever its record count. */
const MAX_BATCH_CHARS = 64 * 1024 * 1024;
/** At most this many files are taken from one folder tree. */
export const MAX_FILES = 100_000;
const MAX_DEPTH = 12;

export async function importDocuments(
  store: ExperienceStore,
  path: string,
  format: DocumentFormat,
  opts: DocumentImportOptions = {},
): Promise<DocumentImportReport> {
  const files = await listDocuments(path, format);
  const batchSize = Math.max(1, opts.batchSize ?? 500);
  const maxProblems = opts.maxProblems ?? 1000;
  const report: DocumentImportReport = {
    filesFound: files.length,
    filesImported: 0,
    episodes: { inserted: 0, updated: 0 },
    attempts: { inserted: 0, updated: 0 },
    problems: [],
    moreProblems: 0,
    notes: [],
  };
  const problem = (p: DocumentProblem) => {
    if (report.problems.length < maxProblems) report.problems.push(p);
    else report.moreProblems++;
  };
  let pending: Episode[] = [];
  let size = 0;
  let chars = 0;
  const flush = async () => {
    if (pending.length === 0) return;
    const r = await store.upsertEpisodes(pending);
    add(report.episodes, r);
    add(report.attempts, r.attempts);
    report.notes.push(...r.notes);
    pending = [];
    size = 0;
    chars = 0;
  };
  await store.bulk(async () => {
    for (const [k, file] of files.entries()) {
      let result: Awaited<ReturnType<DocumentFormat['read']>>;
      try {
        result = await format.read(file);
      } catch (e) {
        if (!(e instanceof DocumentError) && !isFsError(e)) throw e;
        problem({ file, reason: (e as Error).message });
        continue;
      }
      for (const p of result.problems) problem({ file, ...p });
      if (result.episode) {
        pending.push(result.episode);
        size += 1 + result.episode.attempts.length;
        chars += textSize(result.episode);
        report.filesImported++;
      }
      if (size >= batchSize || chars >= MAX_BATCH_CHARS) await flush();
      opts.onProgress?.({ filesRead: k + 1, filesFound: files.length, episodes: report.filesImported });
    }
    await flush();
  });
  return report;
}

/** The files to read: `path` itself, or the accepted files under the folder `path`, sorted. */
export async function listDocuments(path: string, format: Pick<DocumentFormat, 'accepts' | 'skipsFolder'>): Promise<string[]> {
  const s = await lstat(path).catch((e: NodeJS.ErrnoException) => {
    throw new InputFileError(e.code === 'ENOENT' ? `${path}: no such file or folder` : `${path}: cannot read (${e.code})`);
  });
  if (s.isFile()) return [path];
  if (!s.isDirectory()) throw new InputFileError(`${path}: not a file or folder`);
  const out: string[] = [];
  await walk(path, 0, format, out);
  if (out.length === 0) throw new InputFileError(`${path}: no files of this format in the folder (or its subfolders)`);
  if (out.length > MAX_FILES) throw new InputFileError(`${path}: more than ${MAX_FILES} files; import a smaller folder`);
  return out.sort((a, b) => relative(path, a).localeCompare(relative(path, b)));
}

async function walk(dir: string, depth: number, format: Pick<DocumentFormat, 'accepts' | 'skipsFolder'>, out: string[]): Promise<void> {
  if (depth > MAX_DEPTH || out.length > MAX_FILES) return;
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const e of entries) {
    // Symbolic links are not followed: a link can point anywhere, or back up the tree.
    if (e.isFile() && format.accepts(e.name)) out.push(join(dir, e.name));
    else if (e.isDirectory() && !e.name.startsWith('.') && !format.skipsFolder?.(e.name))
      await walk(join(dir, e.name), depth + 1, format, out);
  }
}

function textSize(e: Episode): number {
  let n = e.issue.body.length + e.finalPatch.length;
  for (const a of e.attempts) n += a.patch.length + a.outputTail.length + a.command.length;
  return n;
}

function isFsError(e: unknown): boolean {
  return (
    e instanceof Error &&
    typeof (e as NodeJS.ErrnoException).code === 'string' &&
    /^E[A-Z]+$/.test(String((e as NodeJS.ErrnoException).code))
  );
}

function add(total: Counts, r: Counts): void {
  total.inserted += r.inserted;
  total.updated += r.updated;
}
