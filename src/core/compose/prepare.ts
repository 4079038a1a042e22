// Every text that enters a prompt passes through here first: cleaned (printable), redacted
// (secrets replaced, src/core/redact), and neutralised (no delimiters). Cuts happen only later,
// on the redacted text, so a cut can never leave half a secret behind.
import type { Attempt } from '../model/attempt';
import type { Episode } from '../model/episode';
import type { Insight } from '../model/insight';
import { redact } from '../redact';
import { cleanText, neutralise } from './quote';
import type { CurrentIssue, WorkspaceContext } from './types';

export async function prepareText(text: string): Promise<string> {
  const clean = cleanText(text);
  return clean ? neutralise((await redact(clean)).text) : '';
}

async function prepareAll(texts: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const t of texts) out.push(await prepareText(t));
  return out;
}

export async function prepareEpisode(e: Episode): Promise<Episode> {
  const [title, body, errorSignature, finalPatch, reproTest, source, repo] = await prepareAll([
    e.issue.title,
    e.issue.body,
    e.errorSignature,
    e.finalPatch,
    e.reproTest,
    e.source,
    e.repo,
  ]);
  const attempts: Attempt[] = [];
  for (const a of [...e.attempts].sort((x, y) => x.at.localeCompare(y.at) || x.id.localeCompare(y.id))) {
    const [patch, command, outputTail, by] = await prepareAll([a.patch, a.command, a.outputTail, a.by]);
    attempts.push({ ...a, patch, command, outputTail, by });
  }
  return {
    ...e,
    repo,
    source,
    errorSignature,
    finalPatch,
    reproTest,
    attempts,
    issue: { ...e.issue, title, body },
    files: await prepareAll(e.files.slice(0, 50)),
  };
}

export async function prepareInsight(i: Insight): Promise<Insight> {
  const stale = (i as Insight & { stale?: string }).stale;
  const [text, scope, staleText] = await prepareAll([i.text, i.scope, stale ?? '']);
  return {
    ...i,
    text,
    scope,
    ...(staleText ? { stale: staleText } : {}),
    evidence: { episodes: await prepareAll(i.evidence.episodes.slice(0, 20)), files: await prepareAll(i.evidence.files.slice(0, 20)) },
  };
}

export async function prepareIssue(issue: CurrentIssue): Promise<CurrentIssue> {
  const [title, body, repo] = await prepareAll([issue.title ?? '', issue.body, issue.repo ?? '']);
  return { body, ...(title ? { title } : {}), ...(repo ? { repo } : {}) };
}

export async function prepareWorkspace(w: WorkspaceContext | undefined): Promise<WorkspaceContext> {
  if (!w) return {};
  const out: WorkspaceContext = {};
  if (w.selection) out.selection = await prepareText(w.selection);
  if (w.errorOutput) out.errorOutput = await prepareText(w.errorOutput);
  if (w.diff) out.diff = await prepareText(w.diff);
  if (w.openFile?.path)
    out.openFile = { path: await prepareText(w.openFile.path), ...(w.openFile.text ? { text: await prepareText(w.openFile.text) } : {}) };
  for (const k of Object.keys(out) as (keyof WorkspaceContext)[]) if (!out[k] || (k === 'openFile' && !out.openFile?.path)) delete out[k];
  return out;
}
