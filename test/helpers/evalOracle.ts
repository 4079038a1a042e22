// The eval oracle for evalCommand.test.ts: the leave-future-out protocol written out the slow, obvious way (every pair,
// no index), figures computed by hand from `dejafix recall --batch` results, and the comparison of every figure of
// `dejafix eval` (overall, unfiltered, per repository, per month) against them.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EvalReport, Figures } from '../../src/core/eval/evaluate';
import type { Episode } from '../../src/core/model';
import { isTestPath } from '../../src/core/model/patch';
import { ExperienceStore } from '../../src/core/store';
import { runCli } from './cli';

export interface Case {
  id: string;
  repo: string;
  at: string;
  title: string;
  body: string;
  files: string[];
  resolved: boolean;
}
export interface Result {
  episodeId: string;
  relevance: number;
}

/** The protocol written out the slow, obvious way: every pair, no index. */
export function bruteForce(cases: Case[]): { c: Case; relevant: Set<string> }[] {
  const nonTest = (c: Case) => c.files.filter((f) => !isTestPath(f));
  return [...cases]
    .sort((a, b) => Date.parse(a.at) - Date.parse(b.at))
    .flatMap((c) => {
      const past = cases.filter((d) => d.repo === c.repo && Date.parse(d.at) < Date.parse(c.at));
      if (!c.resolved || past.length === 0) return [];
      return [{ c, relevant: new Set(past.filter((d) => nonTest(d).some((f) => nonTest(c).includes(f))).map((d) => d.id)) }];
    });
}

/** The figures by hand from each query's results and relevant set. */
export function byHand(rows: { relevant: Set<string>; results: Result[] }[], min: number): Figures {
  let shown = 0,
    good = 0,
    noiseResults = 0,
    noiseQueries = 0,
    recall = 0,
    relevantQueries = 0;
  for (const { relevant, results } of rows) {
    const top = results.filter((r) => r.relevance >= min).slice(0, 5);
    const hit = top.filter((r) => relevant.has(r.episodeId)).length;
    shown += top.length;
    good += hit;
    if (relevant.size === 0) {
      noiseQueries++;
      noiseResults += top.length;
    } else {
      relevantQueries++;
      recall += hit / relevant.size;
    }
  }
  return {
    queries: rows.length,
    relevantQueries,
    noiseQueries,
    recall5: relevantQueries ? recall / relevantQueries : null,
    precision: shown ? good / shown : null,
    noise: noiseQueries ? noiseResults / noiseQueries : null,
    shown,
    relevantShown: good,
  };
}

export function assertFigures(actual: Figures, expected: Figures, what: string): void {
  for (const k of Object.keys(expected) as (keyof Figures)[]) {
    const a = actual[k];
    const e = expected[k];
    if (typeof a === 'number' && typeof e === 'number') assert.ok(Math.abs(a - e) < 1e-9, `${what} ${k}: ${a} ≠ ${e}`);
    else assert.equal(a, e, `${what} ${k}`);
  }
}

export async function casesOf(store: string): Promise<Case[]> {
  const s = await ExperienceStore.open(store, { mode: 'read' });
  try {
    const out: Case[] = [];
    for await (const batch of s.episodes())
      out.push(
        ...batch.map((e) => ({
          id: e.id,
          repo: e.repo,
          at: e.createdAt,
          title: e.issue.title,
          body: e.issue.body,
          files: e.files,
          resolved: e.outcome === 'resolved',
        })),
      );
    return out;
  } finally {
    s.close();
  }
}

/** Runs the eval and, independently, the brute-force protocol over `recall --batch`; compares every figure. */
export async function checkAgainstBatch(dir: string, store: string, embed: string[], thresholds: number[]): Promise<EvalReport> {
  const qs = bruteForce(await casesOf(store));
  const batch = join(dir, 'queries.jsonl');
  writeFileSync(
    batch,
    qs
      .map(({ c }) =>
        JSON.stringify({
          id: c.id,
          text: [c.title, c.body].filter((t) => t.trim()).join('\n'),
          repo: c.repo,
          before: c.at,
          k: 10,
          minRelevance: 0,
        }),
      )
      .join('\n'),
  );
  const r = await runCli(['recall', '--store', store, '--batch', batch, '--json', ...embed]);
  assert.equal(r.code, 0, r.stderr);
  const results = new Map(
    r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: string; results: Result[] })
      .map((x) => [x.id, x.results]),
  );
  const rows = qs.map(({ c, relevant }) => ({ c, relevant, results: results.get(c.id)! }));
  let last: EvalReport | undefined;
  for (const min of thresholds) {
    const e = await runCli(['eval', '--store', store, '--json', '--min-relevance', String(min), ...embed]);
    assert.equal(e.code, 0, e.stderr);
    const report = JSON.parse(e.stdout) as EvalReport;
    assert.equal(report.minRelevance, min);
    assertFigures(report.overall, byHand(rows, min), `overall at ${min}`);
    assertFigures(report.unfiltered, byHand(rows, 0), 'unfiltered');
    const repos = [...new Set(rows.map((x) => x.c.repo))];
    assert.deepEqual(report.repos.map((x) => x.repo).sort(), repos.sort());
    for (const repo of repos)
      assertFigures(
        report.repos.find((x) => x.repo === repo)!,
        byHand(
          rows.filter((x) => x.c.repo === repo),
          min,
        ),
        `${repo} at ${min}`,
      );
    const months = [...new Set(rows.map((x) => x.c.at.slice(0, 7)))].sort();
    assert.deepEqual(
      report.months.map((x) => x.month),
      months,
    );
    for (const m of months)
      assertFigures(
        report.months.find((x) => x.month === m)!,
        byHand(
          rows.filter((x) => x.c.at.startsWith(m)),
          min,
        ),
        `${m} at ${min}`,
      );
    last = report;
  }
  return last!;
}

export async function storeWith(path: string, episodes: Episode[]): Promise<string> {
  const s = await ExperienceStore.open(path);
  try {
    if (episodes.length) await s.upsertEpisodes(episodes);
  } finally {
    s.close();
  }
  return path;
}
