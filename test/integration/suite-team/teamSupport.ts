// Helpers for the team suites: records shared into the Azurite team store the way a teammate's
// `dejafix share` does it (core planShare/applyShare from their own local store), messages observed
// (and modals answered) by wrapping vscode.window's own functions, settings put back afterwards.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { Episode } from '../../../src/core/model/episode';
import { ExperienceStore } from '../../../src/core/store';
import { AZURITE_ACCOUNT, AZURITE_KEY } from '../../../src/core/store/remote/config';
import { applyShare, planShare } from '../../../src/core/team';
import { silentLogger } from '../../../src/core/util/logger';
import { remoteOptionsFor } from '../../../src/vscode/team/remoteSettings';
import type { Azurite } from '../../helpers/azurite';

export type Shown = { kind: 'info' | 'warning' | 'error'; text: string; options: unknown[]; modal: boolean };

export function teamEpisode(id: string, title: string, over: Partial<Episode> = {}): Episode {
  return {
    id,
    repo: 'github.com/acme/project',
    issue: { title, body: `${title}. Steps: run the tests.` },
    errorSignature: 'TypeError: unsupported operand',
    finalPatch: 'diff --git a/src/total.py b/src/total.py\n--- a/src/total.py\n+++ b/src/total.py\n@@ -1 +1 @@\n-x\n+y\n',
    reproTest: '',
    files: ['src/total.py'],
    symbols: ['total'],
    outcome: 'resolved',
    source: 'editor',
    createdAt: '2026-11-20T10:00:00.000Z',
    attempts: [
      {
        id: `${id}-a1`,
        episodeId: id,
        patch: '',
        command: 'pytest -q',
        exitCode: 1,
        outputTail: 'E TypeError',
        at: '2026-11-20T10:01:00.000Z',
        by: 'human',
        outcome: 'failed',
      },
    ],
    ...over,
  };
}

export function teamRemote(az: Azurite, where: string) {
  return remoteOptionsFor(
    where,
    {
      s3Endpoint: '',
      s3Region: '',
      azureAccountName: AZURITE_ACCOUNT,
      azureEndpoint: az.endpoint,
      gcsCredentialsFile: '',
      unsafeSingleWriter: false,
    },
    { azureAccountKey: AZURITE_KEY },
    {},
  );
}

/** Shares episodes into the team store as another member would, from their own local store. */
export async function shareAsTeammate(az: Azurite, where: string, episodes: Episode[], by: string): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'dejafix-teammate-'));
  const local = await ExperienceStore.open(dir, { mode: 'write', log: silentLogger });
  try {
    await local.upsertEpisodes(episodes);
    const team = await ExperienceStore.open(where, { mode: 'write', log: silentLogger, remote: teamRemote(az, where) });
    try {
      const plan = await planShare(local, team, { ids: episodes.map((e) => e.id) }, { by, repo: 'github.com/acme/project' });
      await applyShare(team, plan);
    } finally {
      team.close();
    }
  } finally {
    local.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Records every message shown; `answer` picks the button of a modal (or any) message. Returns the undo. */
export function watchMessages(shown: Shown[], answer: (s: Shown) => string | undefined = () => undefined): () => void {
  const win = vscode.window as unknown as Record<string, (...a: unknown[]) => Thenable<unknown>>;
  const originals = {
    showWarningMessage: win.showWarningMessage,
    showInformationMessage: win.showInformationMessage,
    showErrorMessage: win.showErrorMessage,
  };
  const record =
    (kind: Shown['kind']) =>
    (text: unknown, ...rest: unknown[]) => {
      const modal = typeof rest[0] === 'object' && rest[0] !== null && (rest[0] as { modal?: boolean }).modal === true;
      const options = modal || (typeof rest[0] === 'object' && rest[0] !== null) ? rest.slice(1) : rest;
      const s: Shown = { kind, text: String(text), options, modal };
      shown.push(s);
      return Promise.resolve(answer(s));
    };
  Object.assign(win, { showWarningMessage: record('warning'), showInformationMessage: record('info'), showErrorMessage: record('error') });
  return () => Object.assign(win, originals);
}

/** Remembers the global values of dejafix settings; the returned function puts them back. */
export function restoreSettings(keys: string[]): () => Promise<void> {
  const config = () => vscode.workspace.getConfiguration('dejafix');
  const saved = new Map(keys.map((k) => [k, config().inspect(k)?.globalValue]));
  return async () => {
    for (const [k, v] of saved) await config().update(k, v, vscode.ConfigurationTarget.Global);
  };
}
