// Why a memory was recalled, in words: the one explanation the panel, the agent tools, `@dejafix`
// and the CLI show next to a recalled repair.
import type { RecallHit } from './recall';

/**
 * "touched src/a.ts; shares parse, locale; its file is the checkout's best match for the issue" (and
 * "its file is being changed in the checkout" mid-repair), or
 * "similar in meaning" / "similar wording" when nothing names the match.
 */
export function whyText(hit: Pick<RecallHit, 'why'>): string {
  const parts: string[] = [];
  if (hit.why.file) parts.push(`touched ${hit.why.file}`);
  if (hit.why.terms.length) parts.push(`shares ${hit.why.terms.slice(0, 6).join(', ')}`);
  // What the open checkout says (workspace/codeIndex.ts): where the repair's file stands among all its files.
  const ws = hit.why.evidence?.wsRank ?? 0;
  if (ws === 1) parts.push("its file is the checkout's best match for the issue");
  else if (ws > 1 && ws <= 10) parts.push(`its file is the checkout's #${ws} match for the issue`);
  if ((hit.why.evidence?.edited ?? 0) > 0) parts.push('its file is being changed in the checkout');
  if (!parts.length) parts.push(hit.why.parts.vector > 0.5 ? 'similar in meaning' : 'similar wording');
  return parts.join('; ');
}
