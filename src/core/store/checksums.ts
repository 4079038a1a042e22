// Checksums of a store folder's files, because Lance (LanceDB 0.31, format 2.0) keeps none: random
// bytes inside a data file are otherwise read back as text. Lance never rewrites a data, deletion
// or index file once written, so each one's size and SHA-256 are recorded in `checksums.json` at
// the store's root the first time Dejafix sees it settled (written ≥ 2 s ago), and checked later:
// on every open, files whose modification time moved are hashed again (cheap: a stat per file);
// `doctor` hashes every file. Object storage (s3://, gs://, az://) is not covered.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, readdir, readFile, rename, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { doctorHint } from './damage';
import { StoreError } from './errors';

export const CHECKSUM_FILE = 'checksums.json';
/** Files modified more recently than this may still be being written by another process. */
const SETTLE_MS = 2000;
/** The folders of a table whose files Lance writes once and never changes. */
const FOLDERS = ['data', '_deletions', '_indices'];

interface Entry {
  size: number;
  mtimeMs: number;
  sha256: string;
}
/** table → path inside `<table>.lance/` → entry */
type Sums = Record<string, Record<string, Entry>>;

export interface Mismatch {
  table: string;
  /** Path inside the table's folder, e.g. `data/0101….lance`. */
  file: string;
  why: 'size' | 'content';
}

async function files(root: string, rel = ''): Promise<string[]> {
  const out: string[] = [];
  for (const d of await readdir(join(root, rel), { withFileTypes: true }).catch(() => [])) {
    const p = rel ? `${rel}/${d.name}` : d.name;
    if (d.isDirectory()) out.push(...(await files(root, p)));
    else if (d.isFile()) out.push(p);
  }
  return out;
}

async function tablesOf(dir: string): Promise<string[]> {
  return (await readdir(dir, { withFileTypes: true }).catch(() => []))
    .filter((d) => d.isDirectory() && d.name.endsWith('.lance'))
    .map((d) => d.name.slice(0, -'.lance'.length));
}

async function tableFiles(dir: string, table: string): Promise<string[]> {
  const root = join(dir, `${table}.lance`);
  return (await Promise.all(FOLDERS.map((f) => files(root, f)))).flat();
}

export function sha256File(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const h = createHash('sha256');
    createReadStream(path)
      .on('error', reject)
      .on('data', (c) => h.update(c))
      .on('end', () => resolve(h.digest('hex')));
  });
}

async function load(dir: string): Promise<Sums> {
  try {
    const parsed = JSON.parse(await readFile(join(dir, CHECKSUM_FILE), 'utf8')) as { tables?: Sums };
    return parsed && typeof parsed.tables === 'object' && parsed.tables ? parsed.tables : {};
  } catch {
    return {};
  }
}

/** Written to a fresh temporary file (exclusive, 0600) next to it, then renamed over it. */
async function save(dir: string, sums: Sums): Promise<void> {
  const tmp = join(dir, `.${CHECKSUM_FILE}.${process.pid}.${Date.now()}`);
  const f = await open(tmp, 'wx', 0o600);
  try {
    await f.writeFile(`${JSON.stringify({ version: 1, tables: sums })}\n`);
  } finally {
    await f.close();
  }
  await rename(tmp, join(dir, CHECKSUM_FILE)).catch(async (e) => {
    await unlink(tmp).catch(() => undefined);
    throw e;
  });
}

/**
 * The recorded files of the store in `dir` whose bytes changed. `full`: hash every recorded file
 * (doctor); otherwise only those whose size or modification time moved (every open).
 */
export async function verifyChecksums(dir: string, opts: { full?: boolean } = {}): Promise<Mismatch[]> {
  const sums = await load(dir);
  const out: Mismatch[] = [];
  for (const [table, entries] of Object.entries(sums)) {
    for (const [file, e] of Object.entries(entries)) {
      const path = join(dir, `${table}.lance`, file);
      const s = await stat(path).catch(() => undefined);
      if (!s) continue; // removed by Lance's clean-up, or missing: Lance itself says so when it is needed
      if (s.size !== e.size) out.push({ table, file, why: 'size' });
      else if ((opts.full || s.mtimeMs !== e.mtimeMs) && (await sha256File(path)) !== e.sha256) out.push({ table, file, why: 'content' });
    }
  }
  return out;
}

/**
 * Records the settled files not recorded yet and forgets the ones Lance removed; `accept`: also
 * records the current bytes of these mismatched files (a repair the person confirmed). Never
 * throws (a read-only store stays unrecorded).
 */
export async function recordChecksums(dir: string, accept: Mismatch[] = []): Promise<void> {
  try {
    const sums = await load(dir);
    const now = Date.now();
    let changed = false;
    const tables = await tablesOf(dir);
    for (const t of Object.keys(sums))
      if (!tables.includes(t)) {
        delete sums[t];
        changed = true;
      }
    for (const table of tables) {
      const known = (sums[table] ??= {});
      const present = new Set(await tableFiles(dir, table));
      for (const f of Object.keys(known))
        if (!present.has(f)) {
          delete known[f];
          changed = true;
        }
      for (const file of present) {
        const path = join(dir, `${table}.lance`, file);
        const s = await stat(path).catch(() => undefined);
        const accepted = accept.some((m) => m.table === table && m.file === file);
        // an accepted file is recorded however recently it changed: the person confirmed its current bytes
        if (!s || (!accepted && now - s.mtimeMs < SETTLE_MS)) continue;
        const old = known[file];
        if (old && !accepted && old.size === s.size && old.mtimeMs === s.mtimeMs) continue;
        const sha256 = await sha256File(path);
        // a file whose time moved but whose bytes did not (a copy, a backup restore) keeps its entry, with the new time
        if (old && !accepted && (old.size !== s.size || old.sha256 !== sha256)) continue;
        known[file] = { size: s.size, mtimeMs: s.mtimeMs, sha256 };
        changed = true;
      }
    }
    if (changed) await save(dir, sums);
  } catch {
    // unreadable or read-only store: nothing recorded, nothing checked later
  }
}

/** `data/0101….lance changed after it was written (its checksum no longer matches)`. */
export function mismatchText(m: Mismatch): string {
  return `${m.file} changed after it was written (${m.why === 'size' ? 'its size' : 'its checksum'} no longer matches)`;
}

/**
 * On open: throws the one-line damaged-store error when a recorded file of the store in `dir`
 * changed (files whose time moved are hashed again), else records the files not yet recorded.
 */
export async function checkOnOpen(dir: string, display: string): Promise<void> {
  const bad = await verifyChecksums(dir);
  if (bad.length) {
    const m = bad[0];
    throw new StoreError(
      'damaged',
      `the store at ${display} is damaged: the ${m.table} table cannot be read (${mismatchText(m)}); ${doctorHint(display)}`,
      { table: m.table },
    );
  }
  await recordChecksums(dir);
}
