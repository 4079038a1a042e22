// The editor's team memory, wired up: background and manual sync with its status bar item, Share
// with Team / to Repository with their preview documents, Forget from Team, the repository .dejafix/ folder followed
// as it changes, and the team commands. Everything registered here is disposed with the extension.
import * as vscode from 'vscode';
import type { Logger } from '../../core/util/logger';
import type { App } from '../app';
import { registerCommands } from '../commands';
import { forgetFromTeam } from './forgetCommand';
import { RepoFolderWatcher } from './repoWatcher';
import { PREVIEW_SCHEME, SharePreviews, shareToRepository, shareWithTeam } from './shareCommands';
import { syncTeamCommand, toggleTeamSync } from './syncCommands';
import { TeamSyncStatusBar } from './syncStatusBar';
import { TeamSync } from './teamSync';

export interface TeamParts {
  sync: TeamSync;
  statusBar: TeamSyncStatusBar;
  repoFolder: RepoFolderWatcher;
}

export function registerTeam(context: vscode.ExtensionContext, app: App, log: Logger): TeamParts {
  const sync = new TeamSync(app);
  const statusBar = new TeamSyncStatusBar(sync);
  const previews = new SharePreviews();
  const repoFolder = new RepoFolderWatcher(app);
  context.subscriptions.push(
    sync,
    statusBar,
    previews,
    repoFolder,
    vscode.workspace.registerTextDocumentContentProvider(PREVIEW_SCHEME, previews),
  );
  context.subscriptions.push(
    ...registerCommands(
      {
        'dejafix.shareWithTeam': (arg) => shareWithTeam(app, previews, arg),
        'dejafix.shareToRepository': (arg) => shareToRepository(app, previews, arg),
        'dejafix.forgetFromTeam': (arg) => forgetFromTeam(app, arg),
        'dejafix.syncTeam': () => syncTeamCommand(sync),
        'dejafix.toggleTeamSync': (paused) => toggleTeamSync(sync, paused),
      },
      log,
    ),
  );
  sync.start();
  void repoFolder.start().catch((e) => log.error(e, 'repository memory folder'));
  return { sync, statusBar, repoFolder };
}
