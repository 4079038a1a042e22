// Builds, for every SWE-bench instance, the code index of its repository AS IT WAS at the instance's
// base commit (the checkout a user would have open when the issue came in), for bench:calibrate and
// bench:recall's workspace runs (WORKSPACES=dir). One JSON file per instance: { path: names[] }, the
// same names the product reads from a checkout (src/core/workspace/definitions.ts).
// Sources, per repository:
//   REPOS=dir   git clones named owner+name (a bare or full clone, with history): the base commit is
//               read with `git ls-tree` and `git grep` (no checkout);
//   TREES=owner/name=dir:prefix,…   a source tree of one later version when no clone with history is
//               at hand (e.g. Debian's python3-django: django/django=/usr/lib/python3/dist-packages/django:django/).
// Usage: REPOS=… TREES=… OUT=dir node --require tsx/cjs bench/workspaceIndexes.ts [INSTANCES.jsonl]
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { definedNames, isSourcePath } from '../src/core/workspace/definitions';

const DATA = process.argv[2] ?? join(__dirname, '../../shared/bench/swebench-lite.jsonl');
const OUT = process.env.OUT ?? '/tmp/dejafix-workspaces';
const REPOS = process.env.REPOS;
const TREES = new Map(
  (process.env.TREES ?? '')
    .split(',')
    .filter(Boolean)
    .map((t) => {
      const [repo, rest] = t.split('=');
      const [dir, prefix = ''] = rest.split(':');
      return [repo, { dir, prefix }];
    }),
);
type Names = Record<string, string[]>;

function fromTree(dir: string, prefix: string): Names {
  const out: Names = {};
  const walk = (d: string) => {
    for (const n of readdirSync(d)) {
      const p = join(d, n);
      const st = lstatSync(p);
      if (st.isDirectory()) walk(p);
      else if (st.isFile() && isSourcePath(p)) out[prefix + p.slice(dir.length + 1)] = definedNames(p, readFileSync(p, 'utf8'));
    }
  };
  walk(dir);
  return out;
}

function fromGit(gitDir: string, commit: string): Names {
  const git = (args: string[]) => execFileSync('git', ['-C', gitDir, ...args], { maxBuffer: 1 << 30 }).toString();
  const out: Names = {};
  const lines = new Map<string, string[]>();
  for (const f of git(['ls-tree', '-r', '--name-only', commit]).split('\n')) if (f && isSourcePath(f)) lines.set(f, []);
  // Only the lines a definition can start on are fetched; definedNames reads them as the file's lines.
  const grep = git([
    'grep',
    '-I',
    '--full-name',
    '-E',
    '-e',
    '^[[:space:]]*(async[[:space:]]+)?(def|class)[[:space:]]',
    commit,
    '--',
    '*.py',
  ]);
  for (const line of grep.split('\n')) {
    const rest = line.slice(commit.length + 1);
    const at = rest.indexOf(':');
    if (at > 0) lines.get(rest.slice(0, at))?.push(rest.slice(at + 1));
  }
  for (const [f, l] of lines) out[f] = definedNames(f, l.join('\n'));
  return out;
}

function main(): void {
  mkdirSync(OUT, { recursive: true });
  const instances = readFileSync(DATA, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as { instance_id: string; repo: string; base_commit: string });
  const treeCache = new Map<string, Names>();
  let built = 0;
  const missing = new Set<string>();
  for (const i of instances) {
    const file = join(OUT, `${i.instance_id}.json`);
    if (existsSync(file)) continue;
    const clone = REPOS
      ? [join(REPOS, i.repo.replace('/', '+'), 'repo'), join(REPOS, i.repo.replace('/', '+'))].find(existsSync)
      : undefined;
    const tree = TREES.get(i.repo);
    let names: Names | undefined;
    if (clone) names = fromGit(clone, i.base_commit);
    else if (tree) names = treeCache.get(i.repo) ?? treeCache.set(i.repo, fromTree(tree.dir, tree.prefix)).get(i.repo);
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
