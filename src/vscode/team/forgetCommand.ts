// Forget from Team…: forgetting a shared record is a team action with its own question. The records are looked up in
// the team store (read-only), named in one modal question, and only on "Forget for Everyone" removed from the team
// store with a tombstone, so every teammate's replica forgets them at its next sync. Your own local copy stays (sync
// never forgets your own records); Dejafix: Forget… removes that.
import * as vscode from 'vscode';
import type { App } from '../app';
import { memberName } from './member';
import { teamUriOrSay } from './shareCommands';
import { idsFrom } from './shareIds';

export const FORGET_BUTTON = 'Forget for Everyone';

export interface ForgetOutcome {
  confirmed: boolean;
  episodes: number;
  insights: number;
  notFound: string[];
}

export async function forgetFromTeam(app: App, arg?: unknown): Promise<ForgetOutcome | undefined> {
  const raw = await teamUriOrSay(app);
  if (!raw) return undefined;
  const ids =
    idsFrom(arg) ??
    (await vscode.window
      .showInputBox({
        title: 'Forget from Team',
        prompt: 'Episode or insight id (or source id) to forget for the whole team',
        validateInput: (v) => (v.trim() ? undefined : 'Give an id, as a card or `dejafix recall --json` shows it'),
      })
      .then((v) => idsFrom(v?.trim())));
  if (!ids?.length) return undefined;
  const { teamLocation, forgetFromTeam: forgetShared } = await import('../../core/team');
  const { ExperienceStore } = await import('../../core/store');
  const { findRecords } = await import('../../core/store/queries');
  const location = teamLocation(raw);
  const remote = await app.credentials.optionsFor(location);
  const reader = await ExperienceStore.open(location, { mode: 'read', log: app.log, remote });
  let found: Awaited<ReturnType<typeof findRecords>>;
  try {
    found = await findRecords(reader, ids);
  } finally {
    reader.close();
  }
  const { notFound } = found;
  const names = [
    ...found.episodes.map((e) => `episode ${e.id}: ${e.title.slice(0, 100)}`),
    ...found.insights.map((i) => `lesson ${i.id}: ${i.text.slice(0, 100)}`),
  ];
  if (!names.length) {
    void vscode.window.showWarningMessage(
      `Dejafix: ${notFound.join(', ').slice(0, 300)} is not in the team store ${location}; nothing was forgotten.`,
    );
    return { confirmed: false, episodes: 0, insights: 0, notFound };
  }
  const answer = await vscode.window.showWarningMessage(
    `Forget ${names.length} record(s) for everyone in the team store ${location}?`,
    {
      modal: true,
      detail: `${names.join('\n')}${notFound.length ? `\n(not in the team store: ${notFound.join(', ').slice(0, 300)})` : ''}\n\nThey are removed from the team store, and every teammate's replica forgets them at its next sync. This cannot be undone; your own local copy stays.`,
    },
    FORGET_BUTTON,
  );
  if (answer !== FORGET_BUTTON) {
    void vscode.window.showInformationMessage('Dejafix: nothing was forgotten.');
    return { confirmed: false, episodes: 0, insights: 0, notFound };
  }
  const by = await memberName(app);
  const team = await ExperienceStore.open(location, { mode: 'write', log: app.log, remote });
  try {
    const done = await forgetShared(team, found.ids, by);
    app.log.info(`forgot ${done.episodes} episode(s) and ${done.insights} insight(s) from the team store ${location} as ${by}`);
    void vscode.window.showInformationMessage(
      `Dejafix: forgot ${done.episodes + done.insights} record(s) for the team; replicas forget them at their next sync.`,
    );
    return { confirmed: true, ...done, notFound };
  } finally {
    team.close();
  }
}
