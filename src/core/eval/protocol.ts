// The leave-future-out protocol of bench:recall (../shared/bench/README.md), shared by the benchmark
// and `dejafix eval`: cases in time order, each one asked as a new issue against only the cases
// created strictly before it, and an earlier case is *relevant* when its repair touched a non-test
// file the new one touched (test files say little about where the bug was; see isTestPath).
import { isTestPath } from '../model/patch';

export interface EvalCase {
  id: string;
  repo: string;
  /** Creation time (ISO); only strictly earlier cases are its past. */
  at: string;
  /** Files the case's repair touched (test files are ignored here). */
  files: Iterable<string>;
}

export interface EvalQuery<C extends EvalCase> {
  case: C;
  /** Ids of the earlier cases of the same repository that touched one of its non-test files. */
  relevant: Set<string>;
  /** How many earlier cases of its repository there are. */
  history: number;
}

/** The non-test files of a list of paths. */
export function nonTestFiles(files: Iterable<string>): Set<string> {
  return new Set([...files].filter((f) => !isTestPath(f)));
}

/**
 * Every case (that `isQuery` accepts) with at least one earlier case of its repository, oldest
 * first, with its relevant earlier cases. Found through a file index per repository, so a large
 * memory costs the matches, not every pair.
 */
export function withHistory<C extends EvalCase>(cases: readonly C[], isQuery: (c: C) => boolean = () => true): EvalQuery<C>[] {
  const sorted = [...cases].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  const byRepo = new Map<string, { at: number; id: string; files: Set<string> }[]>();
  for (const c of sorted) {
    const list = byRepo.get(c.repo) ?? [];
    list.push({ at: Date.parse(c.at), id: c.id, files: nonTestFiles(c.files) });
    byRepo.set(c.repo, list);
  }
  const index = new Map<string, Map<string, { at: number; id: string }[]>>();
  for (const [repo, list] of byRepo) {
    const files = new Map<string, { at: number; id: string }[]>();
    for (const c of list) for (const f of c.files) files.set(f, [...(files.get(f) ?? []), c]);
    index.set(repo, files);
  }
  const out: EvalQuery<C>[] = [];
  for (const c of sorted) {
    if (!isQuery(c)) continue;
    const t = Date.parse(c.at);
    const history = byRepo.get(c.repo)!.filter((d) => d.at < t).length;
    if (history === 0) continue;
    const relevant = new Set<string>();
    const files = index.get(c.repo)!;
    for (const f of nonTestFiles(c.files)) for (const d of files.get(f) ?? []) if (d.at < t) relevant.add(d.id);
    out.push({ case: c, relevant, history });
  }
  return out;
}
