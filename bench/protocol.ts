// The retrieval protocol of ../shared/bench/README.md for SWE-bench instances, shared by
// bench:recall's baseline and ours. The protocol itself (chronological order, only earlier
// instances in memory, relevance by shared non-test files) and the metrics live in src/core/eval,
// where `dejafix eval` runs the same code on a user's own memory.
import { readFileSync } from 'node:fs';
import { isTestPath } from '../src/core/model/patch';
import { nonTestFiles as nonTest, withHistory, type EvalCase, type EvalQuery } from '../src/core/eval/protocol';
export { score, type Metrics } from '../src/core/eval/metrics';

export interface Instance {
  instance_id: string;
  repo: string;
  created_at: string;
  problem_statement: string;
  patch: string;
}

export function loadInstances(file: string): Instance[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Instance)
    .sort((a, b) => Date.parse(a.created_at) - Date.parse(b.created_at));
}

/** Paths from `diff --git a/X b/X` lines. */
export function goldFiles(patch: string): string[] {
  const out = new Set<string>();
  for (const m of patch.matchAll(/^diff --git a\/(\S+) b\/(\S+)$/gm)) out.add(m[2]);
  return [...out];
}

/**
 * Test files as the protocol defines them: a `test`/`tests`/`testing` directory, `test_*.py`,
 * `*_test.*`, `*.test.*` — the same rule the product uses (isTestPath).
 */
export const isTestFile = isTestPath;

export function nonTestFiles(patch: string): Set<string> {
  return nonTest(goldFiles(patch));
}

type InstanceCase = EvalCase & { instance: Instance };

/** Every instance with an earlier one of its repository, and which earlier ones are relevant (src/core/eval). */
export function instancesWithHistory(instances: Instance[]): EvalQuery<InstanceCase>[] {
  return withHistory(instances.map((i) => ({ id: i.instance_id, repo: i.repo, at: i.created_at, files: goldFiles(i.patch), instance: i })));
}

export interface Query {
  q: Instance;
  /** Instances created strictly before q. */
  past: Instance[];
  relevant: Set<string>;
}

/** The queries that have at least one relevant past instance. */
export function queries(instances: Instance[]): Query[] {
  return instancesWithHistory(instances)
    .filter((w) => w.relevant.size > 0)
    .map(({ case: c, relevant }) => {
      const t = Date.parse(c.at);
      return { q: c.instance, past: instances.filter((d) => Date.parse(d.created_at) < t), relevant };
    });
}
