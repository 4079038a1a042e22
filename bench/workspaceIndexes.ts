// Builds, for every SWE-bench instance, the code index of its repository AS IT WAS at the instance's
// base commit (the checkout a user would have open when the issue came in), for bench:calibrate and
// bench:recall's workspace runs (WORKSPACES=dir). One JSON file per instance: { path: { names, words } },
// the same names and identifier counts the product reads from a checkout (src/core/workspace/definitions.ts,
// fileWords.ts); bench/workspaces.ts also reads the older { path: names[] }.
// Sources, per repository:
//   REPOS=dir   git clones named owner+name (a bare or full clone, with history): the base commit's files
//               are read with `git ls-tree` and `git cat-file --batch` (no checkout; blobs cached across commits);
//   TREES=owner/name=dir:prefix[@date],…   source trees of released versions when no clone with history is
//               at hand (e.g. Debian's python3-django: django/django=/usr/lib/python3/dist-packages/django:django/);
//               with several for one repository, each with its release date, an instance reads the one
//               released nearest its creation.
// Usage: REPOS=… TREES=… OUT=dir node --require tsx/cjs bench/workspaceIndexes.ts [INSTANCES.jsonl]
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { definedNames, isSourcePath } from '../src/core/workspace/definitions';
import { wordCounts } from '../src/core/workspace/fileWords';
import { LINGUIST_ATTRIBUTES, parseCheckAttr } from '../src/core/workspace/linguistMarks';
import { MAX_FILE_BYTES } from '../src/core/workspace/workspaceCode';

const DATA = process.argv[2] ?? join(__dirname, '../../shared/bench/swebench-lite.jsonl');
const OUT = process.env.OUT ?? '/tmp/dejafix-workspaces';
const REPOS = process.env.REPOS;
/** Per repository, its source trees; with several, each carries its release date and the one nearest an instance's date is read. */
const TREES = new Map<string, { dir: string; prefix: string; date?: number }[]>();
for (const t of (process.env.TREES ?? '').split(',').filter(Boolean)) {
  const [repo, rest] = t.split('=');
  const [where, date] = rest.split('@');
  const [dir, prefix = ''] = where.split(':');
  TREES.set(repo, [...(TREES.get(repo) ?? []), { dir, prefix, date: date ? Date.parse(date) : undefined }]);
}

/** The tree released nearest the instance's creation (the only one when no dates are given). */
function treeFor(repo: string, createdAt: string): { dir: string; prefix: string } | undefined {
  const trees = TREES.get(repo) ?? [];
  const at = Date.parse(createdAt);
  return [...trees].sort((a, b) => Math.abs((a.date ?? at) - at) - Math.abs((b.date ?? at) - at))[0];
}
type Names = Record<string, { names: string[]; words: Record<string, number> }>;
const read = (path: string, text: string) => ({ names: definedNames(path, text), words: Object.fromEntries(wordCounts(text)) });

function fromTree(dir: string, prefix: string): Names {
  const out: Names = {};
  const walk = (d: string) => {
    for (const n of readdirSync(d)) {
      const p = join(d, n);
      const st = lstatSync(p);
      if (st.isDirectory()) walk(p);
      else if (st.isFile() && isSourcePath(p) && st.size <= MAX_FILE_BYTES)
        out[prefix + p.slice(dir.length + 1)] = read(p, readFileSync(p, 'utf8'));
    }
  };
  walk(dir);
  return out;
}

const blobs = new Map<string, string>();

function fromGit(gitDir: string, commit: string): Names {
  const git = (args: string[], input?: string) => execFileSync('git', ['-C', gitDir, ...args], { input, maxBuffer: 2 ** 31 - 1 });
  const files: [string, string][] = [];
  for (const line of git(['ls-tree', '-r', commit]).toString().split('\n')) {
    const [meta, path] = line.split('\t');
    if (path && isSourcePath(path) && meta.split(' ')[1] === 'blob') files.push([meta.split(' ')[2], path]);
  }
  const missing = [...new Set(files.map(([sha]) => sha).filter((sha) => !blobs.has(sha)))];
  if (missing.length) {
    const out = git(['cat-file', '--batch'], missing.join('\n') + '\n');
    for (let at = 0; at < out.length;) {
      const nl = out.indexOf(10, at);
      const [sha, , size] = out.subarray(at, nl).toString().split(' ');
      blobs.set(sha, out.subarray(nl + 1, nl + 1 + Number(size)).toString('utf8'));
      at = nl + 1 + Number(size) + 1;
    }
  }
  // As the product reads a checkout: files over MAX_FILE_BYTES are left out, and so are the ones the
  // repository's .gitattributes marks vendored, generated or documentation at that commit (linguistMarks.ts).
  const marked = markedAt(
    gitDir,
    commit,
    files.map(([, path]) => path),
  );
  const kept = files.filter(([sha, path]) => Buffer.byteLength(blobs.get(sha) ?? '') <= MAX_FILE_BYTES && !marked.has(path));
  return Object.fromEntries(kept.map(([sha, path]) => [path, read(path, blobs.get(sha) ?? '')]));
}

/** Paths `commit`'s .gitattributes marks linguist-vendored, -generated or -documentation (through a scratch index: git 2.39 has no check-attr --source). */
function markedAt(gitDir: string, commit: string, paths: string[]): Set<string> {
  const env = { ...process.env, GIT_INDEX_FILE: join(tmpdir(), `dejafix-bench-attr-index-${process.pid}`) };
  execFileSync('git', ['-C', gitDir, 'read-tree', commit], { env });
  const out = execFileSync('git', ['-C', gitDir, 'check-attr', '--cached', '-z', '--stdin', ...LINGUIST_ATTRIBUTES], {
    env,
    input: `${paths.join('\0')}\0`,
    maxBuffer: 2 ** 31 - 1,
  }).toString();
  return new Set([...parseCheckAttr(out)].filter(([, kinds]) => Object.values(kinds).includes(true)).map(([path]) => path));
}

function main(): void {
  mkdirSync(OUT, { recursive: true });
  const instances = readFileSync(DATA, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as { instance_id: string; repo: string; base_commit: string; created_at: string });
  const treeCache = new Map<string, Names>();
  let built = 0;
  const missing = new Set<string>();
  for (const i of instances) {
    const file = join(OUT, `${i.instance_id}.json`);
    if (existsSync(file)) continue;
    const clone = REPOS
      ? [join(REPOS, i.repo.replace('/', '+'), 'repo'), join(REPOS, i.repo.replace('/', '+'))].find(existsSync)
      : undefined;
    const tree = treeFor(i.repo, i.created_at);
    let names: Names | undefined;
    if (clone) names = fromGit(clone, i.base_commit);
    else if (tree) names = treeCache.get(tree.dir) ?? treeCache.set(tree.dir, fromTree(tree.dir, tree.prefix)).get(tree.dir);
    if (!names) {
      missing.add(i.repo);
      continue;
    }
    writeFileSync(file, JSON.stringify(names));
    built++;
  }
  console.log(`${built} indexes written to ${OUT}${missing.size ? `; no source for ${[...missing].join(', ')}` : ''}`);
}

main();
