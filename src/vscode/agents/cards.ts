// The side panel's cards (episodeCard / insightView from panel/toView.ts) as chat Markdown. Memory
// text is escaped (no links, images or HTML from it) and commands and output are fenced so that
// nothing in them can end the fence.
import { fenced, oneLine } from '../../core/agent/format';
import { relevanceLabel } from '../../core/recall/relevance';
import type { EpisodeCard, InsightView } from '../../shared/viewModel';

const OUTCOME_ICON: Record<EpisodeCard['outcome'], string> = { resolved: '$(pass)', failed: '$(error)', abandoned: '$(circle-slash)' };
const ATTEMPT_ICON: Record<string, string> = { passed: '$(pass)', failed: '$(error)', unknown: '$(question)' };

/** Markdown-inert text: every character Markdown or HTML could act on is escaped. */
export function escapeMd(text: string): string {
  return text.replace(/[\\`*_{}[\]()<>#+\-.!|~&:]/g, (c) => `\\${c}`);
}

export function episodeMarkdown(card: EpisodeCard, n: number): string {
  const lines = [`### ${n}. ${OUTCOME_ICON[card.outcome]} ${escapeMd(oneLine(card.title, 160))}`];
  lines.push(
    `*${card.outcome}* · ${escapeMd(card.repo)} · ${card.createdAt.slice(0, 10)}${card.origin ? ` · from ${escapeMd(card.origin)}` : ''} · ${relevanceLabel(card.relevance)}${card.track ? ` · ${card.track}` : ''} · why: ${escapeMd(card.why)}`,
    '',
  );
  const failed = card.attempts.filter((a) => a.outcome === 'failed');
  const passed = card.attempts.findLast((a) => a.outcome === 'passed');
  for (const a of failed.slice(0, 3))
    lines.push(
      `- ${ATTEMPT_ICON.failed} did not work: ${inlineCode(a.command || 'a change')}${a.exitCode === null ? '' : ` (exit ${a.exitCode})`}`,
    );
  if (failed.length > 3) lines.push(`- … ${failed.length - 3} more failed attempts`);
  if (passed) lines.push(`- ${ATTEMPT_ICON.passed} worked: ${inlineCode(passed.command || 'a change')}`);
  const tail = (failed.at(-1) ?? passed)?.outputTail.trim();
  if (tail) lines.push('', fenced(tail.split('\n').slice(-8).join('\n'), 'text'));
  return lines.join('\n');
}

export function insightMarkdown(view: InsightView): string {
  const flags = [
    view.role,
    view.status === 'proposed' ? 'proposed — approve it in the Dejafix panel' : `importance ${view.importance}`,
    ...(view.stale ? ['may be stale'] : []),
    ...(view.origin ? [`from ${view.origin}`] : []),
  ];
  return `- ${escapeMd(oneLine(view.text, 400))}  \n  *${escapeMd(flags.join(' · '))}* · \`${view.id.replace(/`/g, '')}\``;
}

function inlineCode(text: string): string {
  const one = oneLine(text, 100);
  const longest = Math.max(0, ...[...one.matchAll(/`+/g)].map((m) => m[0].length));
  const tick = '`'.repeat(longest + 1);
  return `${tick} ${one} ${tick}`;
}
