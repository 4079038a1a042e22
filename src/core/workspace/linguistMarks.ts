// A repository's own word on which files are vendored or generated: GitHub linguist's
// `linguist-vendored` and `linguist-generated` attributes in its `.gitattributes`. A path marked with
// either (set or `=true`) is left out of the checkout's index like vendored.ts's paths; one marked
// `=false` (or unset, `-linguist-vendored`) is the project's own code even where vendored.ts's rules
// would leave it out (a project that keeps its code in `extern/`). Asked of git (`check-attr`, which
// runs nothing), and only when a tracked `.gitattributes` mentions them: most checkouts pay nothing.
// A rebuild whose attribute files read the same (their contents, and `$GIT_COMMON_DIR/info/attributes`)
// asks only about paths not asked before. A user's global attributes file (`core.attributesFile`) is
// not watched: a change to it is seen when the process starts again.
import { createHash } from 'node:crypto';
import { lstat, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runGit } from '../capture/safeGit';
import { gitDirsOf } from '../capture/gitRemote';

const ATTRIBUTES = ['linguist-vendored', 'linguist-generated'];
const MENTION = /linguist-(?:vendored|generated)/;
/** `.gitattributes` files larger than this are not read (check-attr is asked anyway; their stamp stands for their content). */
const MAX_ATTRIBUTES_BYTES = 256 * 1024;
/** At most this many `.gitattributes` files are looked into. */
const MAX_ATTRIBUTES_FILES = 200;

/** The marks of a checkout's paths, and what the next rebuild needs to reuse them. */
export interface LinguistMarks {
  /** true = vendored or generated (leave out), false = explicitly not (keep); a path they say nothing of is absent. */
  marks: ReadonlyMap<string, boolean>;
  /** The attribute files' contents (a digest): the same key on a rebuild means the same answers. */
  key: string;
  /** Whether any of them mentions the attributes (else git is never asked). */
  mentioned: boolean;
  /** The paths git has answered for under this key. */
  asked: ReadonlySet<string>;
  /** How many paths this call asked git about (0 when it asked nothing). */
  askedNow: number;
}

/**
 * The marks of the checkout at `root` for `paths`. `listed` is every tracked path (to find the
 * `.gitattributes` files). `previous` is the last read's: when the attribute files have not changed,
 * git is asked only about paths it was not asked about then. Empty when git fails.
 */
export async function linguistMarks(
  root: string,
  listed: readonly string[],
  paths: readonly string[],
  previous?: LinguistMarks,
): Promise<LinguistMarks> {
  const { key, mentioned } = await attributesOf(root, listed);
  const none: LinguistMarks = { marks: new Map(), key, mentioned, asked: new Set(), askedNow: 0 };
  if (!paths.length || !mentioned) return none;
  const same = previous?.key === key ? previous : undefined;
  const toAsk = same ? paths.filter((p) => !same.asked.has(p)) : paths;
  let answered = new Map<string, boolean>();
  if (toAsk.length) {
    const out = await runGit(root, ['check-attr', '-z', '--stdin', ...ATTRIBUTES], {
      filters: false,
      timeout: 30_000,
      input: `${toAsk.join('\0')}\0`,
    }).catch(() => undefined);
    // Nothing asked is remembered when git fails: the next rebuild asks again.
    if (out === undefined) return none;
    answered = parseCheckAttr(out);
  }
  const marks = new Map<string, boolean>();
  for (const p of paths) {
    const mark = answered.get(p) ?? same?.marks.get(p);
    if (mark !== undefined) marks.set(p, mark);
  }
  return { marks, key, mentioned, asked: new Set(paths), askedNow: toAsk.length };
}

/**
 * `git check-attr -z` output for linguist-vendored and linguist-generated (path NUL attribute NUL value
 * NUL, for each path and attribute): true when either is set, false when one is unset and neither set.
 */
export function parseCheckAttr(out: string): Map<string, boolean> {
  const marks = new Map<string, boolean>();
  const fields = out.split('\0');
  for (let i = 0; i + 2 < fields.length; i += 3) {
    const [path, , value] = [fields[i], fields[i + 1], fields[i + 2]];
    if (value === 'set' || value === 'true') marks.set(path, true);
    else if ((value === 'unset' || value === 'false') && !marks.has(path)) marks.set(path, false);
  }
  return marks;
}

/**
 * A digest of the checkout's attribute files (the tracked `.gitattributes` ones and the repository's
 * `info/attributes`), and whether one names either attribute (one that cannot be read, or is too large
 * to, counts as yes).
 */
async function attributesOf(root: string, listed: readonly string[]): Promise<{ key: string; mentioned: boolean }> {
  const tracked = listed.filter((p) => p === '.gitattributes' || p.endsWith('/.gitattributes')).slice(0, MAX_ATTRIBUTES_FILES);
  const info = await gitDirsOf(root).then(
    ({ commonDir }) => join(commonDir, 'info', 'attributes'),
    () => undefined,
  );
  const digest = createHash('sha256');
  let mentioned = false;
  for (const full of [...tracked.map((f) => join(root, f)), ...(info ? [info] : [])]) {
    digest.update(`${full}\0`);
    const st = await lstat(full).catch(() => undefined);
    // A symbolic link or a folder is not read (git does not follow a linked .gitattributes either).
    if (!st?.isFile()) continue;
    if (st.size > MAX_ATTRIBUTES_BYTES) {
      digest.update(`${st.mtimeMs}:${st.ctimeMs}:${st.size}:${st.ino}\0`);
      mentioned = true;
      continue;
    }
    const text = await readFile(full, 'utf8').catch(() => undefined);
    digest.update(`${text ?? '\u0000unreadable'}\0`);
    if (text === undefined || MENTION.test(text)) mentioned = true;
  }
  return { key: digest.digest('hex'), mentioned };
}
