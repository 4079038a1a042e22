// A repository's own word on which files are not its code: GitHub linguist's `linguist-vendored`,
// `linguist-generated` and `linguist-documentation` attributes in its `.gitattributes`. Each decides
// its kind (ownCode.ts) for the paths it names: set or `=true` leaves a file out of the checkout's
// index, `=false` (or unset, `-linguist-vendored`) says the file is not of that kind even where the
// rules would say so (a project that keeps its code in `extern/`). Asked of git (`check-attr`, which
// runs nothing), and only when a tracked `.gitattributes` mentions them: most checkouts pay nothing.
// A rebuild whose attribute files read the same (their contents, and `$GIT_COMMON_DIR/info/attributes`)
// asks only about paths not asked before. A user's global attributes file (`core.attributesFile`) is
// not watched: a change to it is seen when the process starts again.
import { createHash } from 'node:crypto';
import { lstat, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runGit } from '../capture/safeGit';
import { gitDirsOf } from '../capture/gitRemote';
import { LINGUIST_KINDS, type KindMarks, type LinguistKind } from './ownCode';

/** Each kind's attribute (`linguist-vendored` …), named after ownCode.ts's kinds. */
const KIND_OF: ReadonlyMap<string, LinguistKind> = new Map(LINGUIST_KINDS.map((kind) => [`linguist-${kind}`, kind]));
/** The attributes git is asked about, in `check-attr`'s order. */
export const LINGUIST_ATTRIBUTES: readonly string[] = [...KIND_OF.keys()];
const MENTION = new RegExp(`linguist-(?:${LINGUIST_KINDS.join('|')})`);
/** `.gitattributes` files larger than this are not read (check-attr is asked anyway; their stamp stands for their content). */
const MAX_ATTRIBUTES_BYTES = 256 * 1024;
/** At most this many `.gitattributes` files are looked into. */
const MAX_ATTRIBUTES_FILES = 200;

/** The marks of a checkout's paths, and what the next rebuild needs to reuse them. */
export interface LinguistMarks {
  /** Each marked path's marks, kind by kind; a path they say nothing of is absent. */
  marks: ReadonlyMap<string, KindMarks>;
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
  let answered = new Map<string, KindMarks>();
  if (toAsk.length) {
    const out = await runGit(root, ['check-attr', '-z', '--stdin', ...LINGUIST_ATTRIBUTES], {
      filters: false,
      timeout: 30_000,
      input: `${toAsk.join('\0')}\0`,
    }).catch(() => undefined);
    // Nothing asked is remembered when git fails: the next rebuild asks again.
    if (out === undefined) return none;
    answered = parseCheckAttr(out);
  }
  const marks = new Map<string, KindMarks>();
  for (const p of paths) {
    const mark = answered.get(p) ?? same?.marks.get(p);
    if (mark !== undefined) marks.set(p, mark);
  }
  return { marks, key, mentioned, asked: new Set(paths), askedNow: toAsk.length };
}

/**
 * `git check-attr -z` output for the linguist attributes (path NUL attribute NUL value NUL, for each path
 * and attribute): each path's kinds marked true (set, `=true`) or false (unset, `=false`); other values
 * (unspecified, `!attr`, anything else) leave the kind to the rules.
 */
export function parseCheckAttr(out: string): Map<string, KindMarks> {
  const marks = new Map<string, KindMarks>();
  const fields = out.split('\0');
  for (let i = 0; i + 2 < fields.length; i += 3) {
    const [path, attribute, value] = [fields[i], fields[i + 1], fields[i + 2]];
    const kind = KIND_OF.get(attribute);
    const mark = value === 'set' || value === 'true' ? true : value === 'unset' || value === 'false' ? false : undefined;
    if (kind === undefined || mark === undefined) continue;
    marks.set(path, { ...marks.get(path), [kind]: mark });
  }
  return marks;
}

/**
 * A digest of the checkout's attribute files (the tracked `.gitattributes` ones and the repository's
 * `info/attributes`), and whether one names any of the three attributes (one that cannot be read, or is
 * too large to, counts as yes).
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
