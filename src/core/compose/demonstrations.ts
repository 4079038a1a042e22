// What each stage shows of a past episode, after ExpeRepair: the test writer sees how past issues
// were reproduced, the patch writer sees wrong patches followed by the one that passed, the
// reviewer sees accepted and rejected patches, and a chat sees a short account of each repair.
import type { Attempt } from '../model/attempt';
import type { Episode } from '../model/episode';
import { isTestPath } from '../model/patch';
import { ageOld } from '../../shared/age';
import { oneLine } from './quote';
import type { RecalledEpisode, Stage } from './types';

/** A piece of a demonstration: fixed lines, or a patch or output that the budget may shorten. */
export type Part =
  { kind: 'line'; text: string } | { kind: 'patch'; label: string; text: string } | { kind: 'output'; label: string; text: string };

export interface Demonstration {
  episodeId: string;
  /** Provenance, shown as the block's attributes. */
  attrs: Record<string, string | undefined>;
  parts: Part[];
}

/** Failed attempts shown per episode: the last ones before the pass (older ones add little). */
const MAX_WRONG = 2;

/** `code` as inline Markdown code, whatever backticks it contains. */
export function inlineCode(code: string): string {
  const text = oneLine(code, 300);
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const tick = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${tick}${pad}${text}${pad}${tick}`;
}

/** The demonstration of a (prepared) episode for a stage, or undefined when it has nothing to show there. */
export function demonstrationFor(stage: Stage, r: RecalledEpisode, now: Date): Demonstration | undefined {
  const e = r.episode;
  const parts = BUILDERS[stage](e);
  if (!parts) return undefined;
  return { episodeId: e.id, attrs: provenance(r, now), parts: [...header(e), ...parts] };
}

function provenance(r: RecalledEpisode, now: Date): Record<string, string | undefined> {
  const e = r.episode;
  const why = r.hit?.why;
  const because = why
    ? [why.file ? `touched ${why.file}` : '', why.terms.length ? `shares the words ${why.terms.join(', ')}` : ''].filter(Boolean).join('; ')
    : '';
  return {
    id: e.id,
    source: e.source,
    outcome: e.outcome,
    age: ageOld(e.createdAt, now.getTime()),
    repo: e.repo,
    recalled: because || undefined,
  };
}

function header(e: Episode): Part[] {
  const parts: Part[] = [{ kind: 'line', text: `Issue: ${oneLine(e.issue.title, 300) || '(untitled)'}` }];
  if (e.errorSignature) parts.push({ kind: 'line', text: `Error: ${oneLine(e.errorSignature, 300)}` });
  if (e.issue.body) parts.push({ kind: 'output', label: 'Issue description:', text: e.issue.body });
  return parts;
}

/** The patch that resolved the episode: its final patch, else the last passing attempt's. */
function correctPatch(e: Episode): { patch: string; by?: Attempt } | undefined {
  const passed = e.attempts.filter((a) => a.outcome === 'passed');
  const last = passed[passed.length - 1];
  if (e.finalPatch) return { patch: e.finalPatch, by: last };
  return last?.patch ? { patch: last.patch, by: last } : undefined;
}

/** Failed attempts with a patch, before the first pass (all of them when none passed), the last MAX_WRONG, without repeats. */
function wrongAttempts(e: Episode): Attempt[] {
  const firstPass = e.attempts.findIndex((a) => a.outcome === 'passed');
  const before = firstPass < 0 ? e.attempts : e.attempts.slice(0, firstPass);
  const seen = new Set<string>();
  const out = before.filter((a) => a.outcome === 'failed' && a.patch && !seen.has(a.patch) && seen.add(a.patch));
  return out.slice(-MAX_WRONG);
}

function ran(a: Attempt | undefined): string {
  if (!a?.command) return '';
  return `ran ${inlineCode(a.command)}${a.exitCode === null ? '' : `, exit ${a.exitCode}`}`;
}

function attemptParts(a: Attempt, title: string, outputLabel: string): Part[] {
  const how = [`by ${oneLine(a.by, 80) || 'unknown'}`, ran(a)].filter(Boolean).join(', ');
  const parts: Part[] = [
    { kind: 'line', text: `${title} (${a.outcome}; ${how}):` },
    { kind: 'patch', label: 'Patch:', text: a.patch },
  ];
  if (a.outputTail) parts.push({ kind: 'output', label: outputLabel, text: a.outputTail });
  return parts;
}

const BUILDERS: Record<Stage, (e: Episode) => Part[] | undefined> = {
  reproduce(e) {
    const failing = e.attempts.find((a) => a.outcome === 'failed' && a.command);
    const passing = [...e.attempts].reverse().find((a) => a.outcome === 'passed' && a.command);
    if (!e.reproTest && !failing) return undefined;
    const parts: Part[] = [];
    if (e.reproTest) parts.push({ kind: 'patch', label: 'Reproduction test:', text: e.reproTest });
    if (failing) {
      parts.push({ kind: 'line', text: `The issue showed when it ${ran(failing)}:` });
      if (failing.outputTail) parts.push({ kind: 'output', label: 'Failure output:', text: failing.outputTail });
    }
    if (passing) parts.push({ kind: 'line', text: `After the fix, it passed: ${ran(passing)}.` });
    return parts;
  },
  fix(e) {
    const wrong = wrongAttempts(e);
    const right = correctPatch(e);
    if (!wrong.length && !right) return undefined;
    const parts = wrong.flatMap((a, i) => attemptParts(a, `Wrong patch ${i + 1}`, 'Why it was wrong (output):'));
    if (right) {
      const how = ran(right.by);
      parts.push({
        kind: 'patch',
        label: `Correct patch${wrong.length ? ' (after the wrong ones above)' : ''}${how ? `, tests passed: ${how}` : ''}:`,
        text: right.patch,
      });
    } else {
      parts.push({ kind: 'line', text: `No patch passed; the repair ended ${e.outcome}. Do not repeat these approaches unchanged.` });
    }
    return parts;
  },
  review(e) {
    const right = correctPatch(e);
    const wrong = wrongAttempts(e);
    if (!right && !wrong.length) return undefined;
    const parts: Part[] = [];
    if (right) {
      const how = ran(right.by);
      parts.push({
        kind: 'patch',
        label: `Accepted patch (the repair ended ${e.outcome}${how ? `; tests passed: ${how}` : ''}):`,
        text: right.patch,
      });
    }
    wrong.forEach((a, i) => parts.push(...attemptParts(a, `Rejected patch ${i + 1}`, 'Test output that rejected it:')));
    return parts;
  },
  chat(e) {
    const files = e.files.filter((f) => !isTestPath(f));
    const passed = e.attempts.filter((a) => a.outcome === 'passed').length;
    const failed = e.attempts.filter((a) => a.outcome === 'failed').length;
    const parts: Part[] = [];
    if (files.length)
      parts.push({
        kind: 'line',
        text: `Files changed: ${files.slice(0, 8).map(inlineCode).join(', ')}${files.length > 8 ? ` and ${files.length - 8} more` : ''}`,
      });
    parts.push({
      kind: 'line',
      text: `Attempts: ${e.attempts.length} (${failed} failed, ${passed} passed); the repair ended ${e.outcome}.`,
    });
    const right = correctPatch(e);
    if (right) parts.push({ kind: 'patch', label: 'The patch that resolved it:', text: right.patch });
    return parts;
  },
};
