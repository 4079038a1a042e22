// A repository's own word on which files are vendored or generated: GitHub linguist's
// `linguist-vendored` and `linguist-generated` attributes in its `.gitattributes`. A path marked with
// either (set or `=true`) is left out of the checkout's index like vendored.ts's paths; one marked
// `=false` (or unset, `-linguist-vendored`) is the project's own code even where vendored.ts's rules
// would leave it out (a project that keeps its code in `extern/`). Asked of git (`check-attr`, which
// runs nothing), and only when a tracked `.gitattributes` mentions them: most checkouts pay nothing.
import { lstat, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runGit } from '../capture/safeGit';

const ATTRIBUTES = ['linguist-vendored', 'linguist-generated'];
const MENTION = /linguist-(?:vendored|generated)/;
/** `.gitattributes` files larger than this are not read to look for a mention (check-attr is asked anyway). */
const MAX_ATTRIBUTES_BYTES = 256 * 1024;
/** At most this many `.gitattributes` files are looked into. */
const MAX_ATTRIBUTES_FILES = 200;

/**
 * For the `paths` of the checkout at `root`, which ones the repository marks: true = vendored or
 * generated (leave out), false = explicitly not (keep); a path it says nothing of is absent. `listed`
 * is every tracked path (to find the `.gitattributes` files). Empty when git fails.
 */
export async function linguistMarks(root: string, listed: readonly string[], paths: readonly string[]): Promise<Map<string, boolean>> {
  const marks = new Map<string, boolean>();
  if (!paths.length || !(await mentioned(root, listed))) return marks;
  const out = await runGit(root, ['check-attr', '-z', '--stdin', ...ATTRIBUTES], {
    filters: false,
    timeout: 30_000,
    input: `${paths.join('\0')}\0`,
  }).catch(() => '');
  // -z: path NUL attribute NUL value NUL, for each path and attribute.
  const fields = out.split('\0');
  for (let i = 0; i + 2 < fields.length; i += 3) {
    const [path, , value] = [fields[i], fields[i + 1], fields[i + 2]];
    if (value === 'set' || value === 'true') marks.set(path, true);
    else if ((value === 'unset' || value === 'false') && !marks.has(path)) marks.set(path, false);
  }
  return marks;
}

/** Whether a tracked `.gitattributes` names either attribute (one that cannot be read counts as yes). */
async function mentioned(root: string, listed: readonly string[]): Promise<boolean> {
  const files = listed.filter((p) => p === '.gitattributes' || p.endsWith('/.gitattributes')).slice(0, MAX_ATTRIBUTES_FILES);
  for (const f of files) {
    const full = join(root, f);
    const st = await lstat(full).catch(() => undefined);
    if (!st?.isFile()) continue;
    if (st.size > MAX_ATTRIBUTES_BYTES) return true;
    const text = await readFile(full, 'utf8').catch(() => undefined);
    if (text === undefined || MENTION.test(text)) return true;
  }
  return false;
}
