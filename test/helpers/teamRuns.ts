// Helpers for the team fault and convergence tests: distinct SWE-bench rows to import, the episodes
// a store exports (whole records, compared without where they came from), and "doctor says healthy".
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stableJson } from '../../src/core/team';
import { runCli } from './cli';

const WORDS = [
  'ledger',
  'invoice',
  'parser',
  'cache',
  'scheduler',
  'socket',
  'locale',
  'thumbnail',
  'migration',
  'tokenizer',
  'webhook',
  'quota',
  'router',
  'session',
  'upload',
  'billing',
];

export interface Row {
  id: string;
  title: string;
  patch: string;
}

/** `n` SWE-bench rows (one file), each with its own issue, traceback and patch; `tag` keeps sets apart. */
export function writeRows(dir: string, tag: string, n: number, start = 0): { file: string; rows: Row[] } {
  const rows: Row[] = [];
  const lines: string[] = [];
  for (let k = start; k < start + n; k++) {
    const word = WORDS[k % WORDS.length];
    const id = `${tag}__${word}-${k}`;
    const title = `${tag} ${word} step ${k} fails with KeyError '${word}_${k}'`;
    const patch = `diff --git a/src/${word}.py b/src/${word}.py\n--- a/src/${word}.py\n+++ b/src/${word}.py\n@@ -1,2 +1,2 @@\n-    return table['${word}_${k}']\n+    return table.get('${word}_${k}', ${k})\n`;
    rows.push({ id, title, patch });
    lines.push(
      JSON.stringify({
        instance_id: id,
        repo: `${tag}/shared`,
        created_at: `2024-0${1 + (k % 9)}-1${k % 10}T10:00:00Z`,
        base_commit: String(k % 10).repeat(40),
        problem_statement: `${title}\n\n\`\`\`\nTraceback (most recent call last):\n  File "src/${word}.py", line ${10 + k}\nKeyError: '${word}_${k}'\n\`\`\`\n${`Details of ${tag} ${k}. `.repeat(20)}`,
        hints_text: '',
        patch,
        test_patch: '',
        FAIL_TO_PASS: JSON.stringify([`tests/test_${word}.py::test_${k}`]),
      }),
    );
  }
  const file = join(dir, `${tag}-${start}-${n}.jsonl`);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return { file, rows };
}

export interface Exported {
  kind: string;
  id: string;
  issue?: { title: string; body: string };
  finalPatch?: string;
  provenance?: { origin?: string; sharedBy?: string };
  [k: string]: unknown;
}

export async function exportStore(store: string, env: NodeJS.ProcessEnv): Promise<Exported[]> {
  const exp = await runCli(['export', '--store', store], { env });
  assert.equal(exp.code, 0, exp.stderr);
  return exp.stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Exported);
}

/** Episodes by title, asserting each appears once and whole (its full patch). */
export function episodesByTitle(records: Exported[], rows: Row[]): Map<string, Exported> {
  const out = new Map<string, Exported>();
  for (const r of records.filter((x) => x.kind === 'episode')) {
    const title = r.issue?.title ?? '';
    assert.ok(!out.has(title), `episode "${title}" appears twice`);
    out.set(title, r);
  }
  for (const row of rows) {
    const e = out.get(row.title);
    if (e) assert.ok(e.finalPatch?.includes(row.patch.split('\n')[5]), `episode "${row.title}" is cut`);
  }
  return out;
}

/** A record as content only: provenance says where this copy came from and who shared it, which differs by machine. */
export function content(r: Exported): string {
  const { provenance: _p, ...rest } = r;
  return stableJson(rest);
}

export async function assertHealthy(store: string, env: NodeJS.ProcessEnv): Promise<void> {
  const d = await runCli(['doctor', '--store', store], { env });
  assert.equal(d.code, 0, d.stdout + d.stderr);
  assert.match(d.stdout, /Every table reads in full/);
}
