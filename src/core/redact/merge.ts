import { type Hit, type RedactFinding, type RedactResult, placeholder } from './types';

/**
 * Merges overlapping hits into disjoint spans. The merged span is the union (so nothing any
 * detector flagged survives); its label comes from the highest-ranked hit, the earliest on ties.
 */
export function mergeHits(hits: readonly Hit[], textLength: number): RedactFinding[] {
  const valid = hits
    .map((h) => ({ ...h, start: Math.max(0, h.start), end: Math.min(textLength, h.end) }))
    .filter((h) => h.end > h.start)
    .sort((a, b) => a.start - b.start || b.end - a.end || b.rank - a.rank);
  const out: RedactFinding[] = [];
  let cur: Hit | undefined;
  for (const h of valid) {
    if (cur && h.start < cur.end) {
      if (h.end > cur.end) cur.end = h.end;
      if (h.rank > cur.rank) {
        cur.rank = h.rank;
        cur.rule = h.rule;
      }
      continue;
    }
    if (cur) out.push({ rule: cur.rule, start: cur.start, end: cur.end });
    cur = { ...h };
  }
  if (cur) out.push({ rule: cur.rule, start: cur.start, end: cur.end });
  return out;
}

/** Replaces each (sorted, disjoint) finding with its placeholder. */
export function applyFindings(text: string, findings: readonly RedactFinding[]): RedactResult {
  if (findings.length === 0) return { text, findings: [] };
  const parts: string[] = [];
  let at = 0;
  for (const f of findings) {
    parts.push(text.slice(at, f.start), placeholder(f.rule));
    at = f.end;
  }
  parts.push(text.slice(at));
  return { text: parts.join(''), findings: [...findings] };
}
