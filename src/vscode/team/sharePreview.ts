// The text of the Share with Team / Share to Repository preview: exactly the records that will be
// written (re-redacted, with provenance), as JSON with comments, each top-level field that differs
// from the local copy marked with a `// ≠` line above it. No VS Code here (tested in plain Node).
import type { SharePlan } from '../../core/team/share';
import { stableJson } from '../../core/team/stableJson';

export const DIFF_MARK = '// ≠ differs from your local copy';

export function renderSharePreview(plan: SharePlan, target: string, extra: string[] = []): string {
  const todo = plan.items.filter((i) => i.status !== 'unchanged');
  const out = [
    `// Dejafix — ${target}`,
    '// Exactly what will be written: each record re-redacted, with provenance (who, when, which repository).',
    `// Fields marked "${DIFF_MARK}" were changed by re-redaction or clipping (or paths made relative).`,
    '// Nothing is written until you confirm.',
    `// ${todo.length} record(s) to write, ${plan.items.length - todo.length} already up to date, ${plan.skipped.length} skipped, ${plan.notFound.length} not found.`,
    ...extra.map((l) => `// ${oneLine(l)}`),
    '',
  ];
  for (const it of todo) {
    out.push(`// ── ${it.kind} ${it.id} [${it.status}]: ${oneLine(it.title)}`);
    if (it.differences.length) out.push(`// differs from your local copy in: ${it.differences.join(', ')}`);
    for (const n of it.notes) out.push(`// ${oneLine(n)}`);
    out.push(...markDifferences(stableJson(it.record, 2), new Set(it.differences)), '');
  }
  for (const it of plan.items.filter((i) => i.status === 'unchanged'))
    out.push(`// unchanged (not written): ${it.kind} ${it.id}: ${oneLine(it.title)}`);
  for (const s of plan.skipped) out.push(`// skipped ${s.id}: ${oneLine(s.reason)}`);
  for (const n of plan.notFound) out.push(`// not found: ${oneLine(n)}`);
  return `${out.join('\n')}\n`;
}

/** Inserts the difference mark above each top-level key that differs. */
function markDifferences(json: string, keys: Set<string>): string[] {
  const lines: string[] = [];
  for (const line of json.split('\n')) {
    const m = /^ {2}"([^"]+)":/.exec(line);
    if (m && keys.has(m[1])) lines.push(`  ${DIFF_MARK} (${m[1]})`);
    lines.push(line);
  }
  return lines;
}

function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim().slice(0, 200);
}
