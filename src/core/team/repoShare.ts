// Share to Repository: the plan of what goes into `.dejafix/` (the same review as a team share —
// re-redacted, with differences from the local copy — plus local paths made relative and
// machine-local state such as lastUsedAt left out), and writing it.
import { homedir } from 'node:os';
import type { Episode } from '../model/episode';
import type { Insight } from '../model/insight';
import type { ExperienceStore } from '../store';
import { scrubPaths } from './localPaths';
import { issueText, readRepoFolder, writeRepoRecords, type FolderIssue } from './repoFolder';
import { planShare, stableJson, strip, type SharePlan, type ShareSelection, type Sharer } from './share';

export interface RepoSharePlan extends SharePlan {
  root: string;
  /** Lines of `.dejafix/` that could not be read (they block writing to their file). */
  folderIssues: FolderIssue[];
}

export async function planRepoShare(
  local: ExperienceStore,
  root: string,
  sel: ShareSelection,
  who: Sharer,
  home = homedir(),
): Promise<RepoSharePlan> {
  const folder = await readRepoFolder(root);
  const target = {
    getEpisodes: async (ids: string[]) =>
      new Map(ids.flatMap((id) => (folder.episodes.has(id) ? [[id, folder.episodes.get(id)!] as const] : []))),
    getInsight: async (id: string) => folder.insights.get(id),
  };
  const plan = await planShare(local, target, sel, who);
  for (const item of plan.items) {
    const { lastUsedAt: _used, ...rest } = item.record as Insight & Episode;
    const base = (item.kind === 'insight' ? rest : item.record) as Episode | Insight;
    const scrubbed = scrubPaths(base, { root, home });
    const record = { ...scrubbed.value, provenance: { ...scrubbed.value.provenance!, origin: 'repository' as const } };
    if (scrubbed.changed.length) item.notes.push(`${item.id}: local paths made relative in ${scrubbed.changed.join(', ')}`);
    item.differences = [...new Set([...item.differences, ...scrubbed.changed])].sort();
    item.record = record;
    const inFolder = item.kind === 'episode' ? folder.episodes.get(item.id) : folder.insights.get(item.id);
    item.status = !inFolder ? 'new' : stableJson(strip(normal(record))) === stableJson(strip(normal(inFolder))) ? 'unchanged' : 'update';
  }
  return { ...plan, root, folderIssues: folder.issues };
}

/** Attempts in a stable order, so a record read back from a file compares equal to the one written. */
function normal(r: Episode | Insight): Episode | Insight {
  if (!('attempts' in r)) return r;
  return { ...r, attempts: [...r.attempts].sort((a, b) => a.at.localeCompare(b.at) || a.id.localeCompare(b.id)) };
}

export async function applyRepoShare(plan: RepoSharePlan): Promise<{ written: number; unchanged: number; files: string[] }> {
  const todo = plan.items.filter((i) => i.status !== 'unchanged');
  const files = todo.length
    ? await writeRepoRecords(
        plan.root,
        todo.map((i) => ({ kind: i.kind, record: i.record })),
      )
    : [];
  return { written: todo.length, unchanged: plan.items.length - todo.length, files };
}

export function renderFolderIssues(issues: FolderIssue[]): string {
  return issues.map((i) => `${issueText(i)}\n`).join('');
}
