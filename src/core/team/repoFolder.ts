// The `.dejafix/` folder committed with the code: reviewed, redacted records as JSONL, one file per
// kind and month of creation (`episodes/2026-12.jsonl`), one record per line, keys in a stable
// order, lines sorted by creation time then id — so a share is a small, readable diff. Reading is
// hostile-input safe: symbolic links and special files are refused, each bad line is reported with
// its file and number and never stops the good ones, and git's conflict markers are skipped, so a
// merge where both sides appended keeps both sides' records (the newest copy of an id wins).
import { lstat, mkdir, readdir, rename, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { join, relative } from 'node:path';
import type { Episode } from '../model/episode';
import type { Insight } from '../model/insight';
import { parseDejafixLine } from '../ingest/jsonl';
import { readLines } from '../ingest/lines';
import { errorText } from '../util/errors';
import { stableJson } from './share';
import { TeamError } from './teamUri';

export const REPO_FOLDER = '.dejafix';
const KINDS = { episode: 'episodes', insight: 'insights' } as const;
type Kind = keyof typeof KINDS;

/** Written once: union merges keep both sides' appended lines; LF endings keep diffs clean on every OS. */
export const GITATTRIBUTES = '*.jsonl merge=union text eol=lf\n';
const README = `# Dejafix team memory

Reviewed, redacted repair memories shared with \`dejafix share --to-repo\` (or "Share to Repository"
in the editor). Each line is one episode or insight. \`dejafix sync --from-repo\` (and the editor, when
these files change) imports them into each teammate's local memory; a line deleted here is forgotten
there. Review additions like any other change in a pull request.
`;

/** A line (or file) that could not be read, with where it is. */
export interface FolderIssue {
  file: string;
  line?: number;
  message: string;
}

export interface FolderContents {
  episodes: Map<string, Episode>;
  insights: Map<string, Insight>;
  /** Which file each record was read from (`episodes/2026-12.jsonl`). */
  fileOf: Map<string, string>;
  issues: FolderIssue[];
  /** Git conflict-marker lines skipped (both sides of the conflict were read). */
  conflictMarkers: number;
}

const MARKER = /^(<{7}|={7}|>{7}|\|{7})(\s|$)/;

export function issueText(i: FolderIssue): string {
  return `${REPO_FOLDER}/${i.file}${i.line ? `:${i.line}` : ''}: ${i.message}`;
}

/** Reads every record of `<root>/.dejafix`; a missing folder is empty. */
export async function readRepoFolder(root: string): Promise<FolderContents> {
  const out: FolderContents = { episodes: new Map(), insights: new Map(), fileOf: new Map(), issues: [], conflictMarkers: 0 };
  const base = join(root, REPO_FOLDER);
  const top = await lstatOrUndefined(base);
  if (!top) return out;
  if (top.isSymbolicLink() || !top.isDirectory())
    throw new TeamError(
      'repo-folder',
      `${base} is ${top.isSymbolicLink() ? 'a symbolic link' : 'not a folder'}; Dejafix reads only a real ${REPO_FOLDER}/ folder.`,
    );
  for (const sub of Object.values(KINDS)) {
    const dir = join(base, sub);
    const st = await lstatOrUndefined(dir);
    if (!st) continue;
    if (!st.isDirectory()) {
      out.issues.push({ file: sub, message: st.isSymbolicLink() ? 'is a symbolic link; not followed' : 'is not a folder; skipped' });
      continue;
    }
    for (const name of (await readdir(dir)).sort()) {
      if (!name.endsWith('.jsonl')) continue;
      const rel = `${sub}/${name}`;
      const fst = await lstat(join(dir, name));
      if (!fst.isFile()) {
        out.issues.push({
          file: rel,
          message: fst.isSymbolicLink() ? 'is a symbolic link; not followed' : 'is not a regular file; skipped',
        });
        continue;
      }
      await readFile(join(dir, name), rel, out);
    }
  }
  return out;
}

async function readFile(path: string, rel: string, out: FolderContents): Promise<void> {
  try {
    for await (const l of readLines(path)) {
      if (l.error !== undefined) {
        out.issues.push({ file: rel, line: l.line, message: l.error });
        continue;
      }
      if (MARKER.test(l.text)) {
        out.conflictMarkers++;
        continue;
      }
      try {
        const p = parseDejafixLine(l.text);
        for (const e of p.episodes ?? []) keepNewest(out.episodes, e, rel, out.fileOf);
        for (const i of p.insights ?? []) keepNewest(out.insights, i, rel, out.fileOf);
      } catch (e) {
        out.issues.push({ file: rel, line: l.line, message: errorText(e) });
      }
    }
  } catch (e) {
    out.issues.push({ file: rel, message: `cannot be read: ${errorText(e)}` });
  }
}

/** Two copies of an id (both sides of a merge updated it): the later share wins; equal times compare by content, so every machine picks the same. */
function keepNewest<T extends Episode | Insight>(map: Map<string, T>, r: T, file: string, fileOf: Map<string, string>): void {
  const have = map.get(r.id);
  if (have) {
    const a = have.provenance?.sharedAt ?? '';
    const b = r.provenance?.sharedAt ?? '';
    if (a > b || (a === b && stableJson(have) >= stableJson(r))) return;
  }
  map.set(r.id, r);
  fileOf.set(r.id, file);
}

/** `episodes/2026-12.jsonl`: by kind and the month the record was created (which never changes). */
export function fileFor(kind: Kind, r: Episode | Insight): string {
  const month = /^\d{4}-\d{2}/.exec(r.createdAt)?.[0] ?? 'undated';
  return `${KINDS[kind]}/${month}.jsonl`;
}

/** One line: `kind` first, then every key sorted; attempts oldest first. */
export function recordLine(kind: Kind, r: Episode | Insight): string {
  const rec =
    kind === 'episode'
      ? { ...(r as Episode), attempts: [...(r as Episode).attempts].sort((a, b) => a.at.localeCompare(b.at) || a.id.localeCompare(b.id)) }
      : r;
  return `{"kind":${JSON.stringify(kind)},${stableJson(rec).slice(1)}`;
}

/**
 * Writes records into their files, replacing lines of the same id and keeping every other record;
 * each file is rewritten whole (sorted, de-duplicated, conflict markers resolved) through a
 * temporary file and a rename, so a reader never sees half a file and a symbolic link is replaced,
 * never followed. Refuses (before writing anything) when a target file has lines it cannot read.
 */
export async function writeRepoRecords(root: string, records: { kind: Kind; record: Episode | Insight }[]): Promise<string[]> {
  const base = join(root, REPO_FOLDER);
  const current = await readRepoFolder(root);
  const touched = new Set(records.flatMap((r) => [fileFor(r.kind, r.record), current.fileOf.get(r.record.id)]));
  const blocking = current.issues.filter((i) => touched.has(i.file) || !i.file.includes('/'));
  if (blocking.length)
    throw new TeamError(
      'repo-folder',
      `cannot update ${REPO_FOLDER}/ until this is fixed: ${issueText(blocking[0])}${blocking.length > 1 ? ` (+${blocking.length - 1} more)` : ''}`,
    );
  await mkdir(base, { recursive: true });
  for (const sub of Object.values(KINDS)) await mkdir(join(base, sub), { recursive: true });
  await writeIfMissing(join(base, '.gitattributes'), GITATTRIBUTES);
  await writeIfMissing(join(base, 'README.md'), README);
  // Files to rewrite: each target file, and any file an id being written sits in today (moved).
  const files = new Map<string, Map<string, Episode | Insight>>();
  const kindOf = (file: string): Kind => (file.startsWith(`${KINDS.insight}/`) ? 'insight' : 'episode');
  const load = (file: string) => {
    let m = files.get(file);
    if (!m) {
      m = new Map();
      const existing = kindOf(file) === 'episode' ? current.episodes : current.insights;
      for (const [id, r] of existing) if (current.fileOf.get(id) === file) m.set(id, r);
      files.set(file, m);
    }
    return m;
  };
  for (const r of records) {
    const old = current.fileOf.get(r.record.id);
    if (old && old !== fileFor(r.kind, r.record) && kindOf(old) === r.kind) load(old).delete(r.record.id);
    load(fileFor(r.kind, r.record)).set(r.record.id, r.record);
  }
  const written: string[] = [];
  for (const [file, map] of files) {
    const lines = [...map.values()]
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .map((r) => recordLine(kindOf(file), r));
    const path = join(base, file);
    const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
    await writeFile(tmp, lines.length ? `${lines.join('\n')}\n` : '', { flag: 'wx' });
    await rename(tmp, path);
    written.push(relative(root, path));
  }
  return written.sort();
}

async function writeIfMissing(path: string, text: string): Promise<void> {
  if (await lstatOrUndefined(path)) return;
  await writeFile(path, text, { flag: 'wx' });
}

async function lstatOrUndefined(path: string) {
  try {
    return await lstat(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}
