// Share with Team… and Share to Repository…: plan through core (re-redacted, differences from the
// local copy, new/update/unchanged), show the plan in a read-only preview document, ask once in a
// modal, and only then write — to the team store, or to the repository's .dejafix/ folder. Nothing
// leaves the machine when the question is declined or dismissed.
import * as vscode from 'vscode';
import type { SharePlan } from '../../core/team/share';
import type { FeedbackShare } from '../../core/team/feedbackSync';
import { DejafixError } from '../../core/util/errors';
import type { App } from '../app';
import { repoOfFolder } from '../repo';
import { memberName } from './member';
import { idsFrom } from './shareIds';

export const PREVIEW_SCHEME = 'dejafix-share';

/** The read-only preview documents (a content provider: there is nothing to save or edit). */
export class SharePreviews implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly texts = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private n = 0;

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? '// This preview is no longer available.\n';
  }

  async show(title: string, text: string): Promise<vscode.TextEditor> {
    const uri = vscode.Uri.from({ scheme: PREVIEW_SCHEME, path: `/${title}.jsonc`, query: String(++this.n) });
    this.texts.set(uri.toString(), text);
    if (this.texts.size > 20) this.texts.delete(this.texts.keys().next().value!);
    const doc = await vscode.workspace.openTextDocument(uri);
    return vscode.window.showTextDocument(doc, { preview: true });
  }

  dispose(): void {
    this.changed.dispose();
    this.texts.clear();
  }
}

export interface ShareOutcome {
  written: number;
  unchanged: number;
  /** False when the user declined (nothing was written). */
  confirmed: boolean;
  preview?: string;
}

/** Without ids: the episode saved last in this window, else the user picks among their own resolved ones. */
async function chooseIds(app: App, arg: unknown): Promise<string[] | undefined> {
  const given = idsFrom(arg);
  if (given?.length) return given;
  const saved = app.offer.lastSaved();
  if (saved) return [saved.episodeId];
  const store = await app.memory.open();
  const { ownResolvedEpisodeIds } = await import('../../core/store/teamQueries');
  const ids = (await ownResolvedEpisodeIds(store)).slice(-200);
  const episodes = [...(await store.getEpisodes(ids)).values()].sort((a, b) => b.createdAt.localeCompare(a.createdAt)).slice(0, 50);
  if (!episodes.length)
    throw new DejafixError('nothing to share', {
      code: 'nothing-to-share',
      userMessage: 'nothing to share yet: save a repair session as resolved first.',
    });
  const pick = await vscode.window.showQuickPick(
    episodes.map((e) => ({ label: e.issue.title.slice(0, 120), description: `${e.repo} · ${e.createdAt.slice(0, 10)}`, id: e.id })),
    { title: 'Dejafix: which repair to share?', canPickMany: true, ignoreFocusOut: true },
  );
  return pick?.length ? pick.map((p) => p.id) : undefined;
}

export async function who(app: App): Promise<{ by: string; repo: string; folder: vscode.WorkspaceFolder | undefined }> {
  const folder = await app.pickFolder();
  return { by: await memberName(app), repo: folder ? await repoOfFolder(folder) : 'unknown', folder };
}

/** Preview, one modal question, then `write`. Undefined when there is nothing new to write. */
async function reviewAndWrite(
  previews: SharePreviews,
  plan: SharePlan,
  target: string,
  question: string,
  button: string,
  extra: string[],
  write: () => Promise<{ written: number; unchanged: number }>,
): Promise<ShareOutcome> {
  const todo = plan.items.filter((i) => i.status !== 'unchanged').length;
  // Loaded on use: it reaches core/team/share and so zod, which activation must not load.
  const { renderSharePreview } = await import('./sharePreview');
  const preview = renderSharePreview(plan, target, extra);
  if (todo === 0) {
    const why = [
      plan.items.length ? `${plan.items.length} already up to date` : '',
      ...plan.skipped.map((s) => `${s.id} ${s.reason}`),
      ...plan.notFound.map((n) => `${n} not found`),
    ]
      .filter(Boolean)
      .join('; ');
    void vscode.window.showInformationMessage(`Dejafix: nothing to write (${why || 'nothing selected'}).`);
    return { written: 0, unchanged: plan.items.length, confirmed: false, preview };
  }
  await previews.show(target.replace(/[\\/:]+/g, '_').slice(-80), preview);
  const answer = await vscode.window.showWarningMessage(
    question.replace('{n}', String(todo)),
    {
      modal: true,
      detail:
        'The preview shows exactly what will be written: re-redacted, with each difference from your local copy marked. Nothing is written unless you confirm.',
    },
    button,
  );
  if (answer !== button) {
    void vscode.window.showInformationMessage('Dejafix: nothing was shared.');
    return { written: 0, unchanged: plan.items.length - todo, confirmed: false, preview };
  }
  const r = await write();
  return { ...r, confirmed: true, preview };
}

/** The team store setting, or undefined after saying it is not set (with a button that opens it). */
export async function teamUriOrSay(app: App): Promise<string | undefined> {
  const raw = app.settings.get('team.uri').trim();
  if (raw) return raw;
  const pick = await vscode.window.showInformationMessage(
    'Dejafix: no team memory is set. Set dejafix.team.uri to s3://bucket/prefix, gs://bucket/prefix or az://container/prefix.',
    'Open Setting',
  );
  if (pick) await vscode.commands.executeCommand('workbench.action.openSettings', 'dejafix.team.uri');
  return undefined;
}

export async function shareWithTeam(app: App, previews: SharePreviews, arg?: unknown): Promise<ShareOutcome | undefined> {
  const raw = await teamUriOrSay(app);
  if (!raw) return undefined;
  const ids = await chooseIds(app, arg);
  if (!ids) return undefined;
  const { teamLocation, planShare, applyShare, shareCounts, planFeedbackShare, applyFeedbackShare } = await import('../../core/team');
  const { ExperienceStore, StoreError } = await import('../../core/store');
  const location = teamLocation(raw);
  const remote = await app.credentials.optionsFor(location);
  const local = await app.memory.open();
  const sharer = await who(app);
  // Planned against a read-only view: nothing (not even an empty store) is created before the answer.
  const reader = await ExperienceStore.open(location, { mode: 'read', log: app.log, remote }).catch((e) => {
    // A team store nobody has shared into yet: everything is new.
    if (e instanceof StoreError && (e.code === 'missing' || e.code === 'not-a-store')) return undefined;
    throw e;
  });
  let plan: SharePlan;
  // Your credits on repairs the team already holds go along (no query text, no session): teammates' ranking uses them.
  let feedback: FeedbackShare | undefined;
  try {
    plan = await planShare(local, reader ?? { getEpisodes: async () => new Map(), getInsight: async () => undefined }, { ids }, sharer);
    if (reader) feedback = await planFeedbackShare(local, reader, sharer.by);
  } finally {
    reader?.close();
  }
  const credits = feedback ? feedback.rows.length + feedback.stale.length : 0;
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Dejafix: sharing with the team' }, () =>
    reviewAndWrite(
      previews,
      plan,
      `Share with team store ${location}`,
      `Share {n} record(s) with the team store ${location}?`,
      'Share',
      [
        `as ${sharer.by}, from ${sharer.repo}`,
        ...(credits
          ? [`and your feedback on ${feedback!.repairs} team repair(s): ${credits} change(s) (helped / harmed / used; no query text)`]
          : []),
      ],
      async () => {
        const team = await ExperienceStore.open(location, { mode: 'write', log: app.log, remote });
        try {
          const r = await applyShare(team, plan);
          await shareCounts(
            local,
            team,
            plan.items.filter((i) => i.kind === 'insight').map((i) => i.id),
            sharer.by,
          );
          if (feedback) await applyFeedbackShare(team, feedback);
          app.log.info(`shared ${r.written} record(s) with ${location} (${r.unchanged} up to date; ${credits} feedback change(s))`);
          void vscode.window.showInformationMessage(
            `Dejafix: shared ${r.written} record(s) with the team; teammates get them at their next sync.`,
          );
          return r;
        } finally {
          team.close();
        }
      },
    ),
  );
}

export async function shareToRepository(app: App, previews: SharePreviews, arg?: unknown): Promise<ShareOutcome | undefined> {
  const ids = await chooseIds(app, arg);
  if (!ids) return undefined;
  const sharer = await who(app);
  if (!sharer.folder)
    throw new DejafixError('no folder', {
      code: 'no-folder',
      userMessage: 'open the repository folder first: Share to Repository writes to its .dejafix/ folder.',
    });
  const { repoRootOf, planRepoShare, applyRepoShare, issueText } = await import('../../core/team');
  const { root, repoId } = await repoRootOf(sharer.folder.uri.fsPath);
  const plan = await planRepoShare(await app.memory.open(), root, { ids }, { by: sharer.by, repo: repoId });
  const warnings = plan.folderIssues.map((i) => `warning: ${issueText(i)}`);
  return reviewAndWrite(
    previews,
    plan,
    `Share to ${root}/.dejafix`,
    `Write {n} record(s) to ${root}/.dejafix for review in a pull request?`,
    'Write to .dejafix',
    warnings,
    async () => {
      const r = await applyRepoShare(plan);
      void vscode.window.showInformationMessage(
        `Dejafix: wrote ${r.written} record(s) to .dejafix/ (${r.files.join(', ') || 'no files changed'}). Commit them for review.`,
      );
      return r;
    },
  );
}
