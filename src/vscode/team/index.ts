// The editor's team memory, wired up: background and manual sync with its status bar item, and the
// team commands. Everything registered here is disposed with the extension.
import * as vscode from 'vscode';
import type { Logger } from '../../core/util/logger';
import type { App } from '../app';
import { registerCommands } from '../commands';
import { syncTeamCommand, toggleTeamSync } from './syncCommands';
import { TeamSyncStatusBar } from './syncStatusBar';
import { TeamSync } from './teamSync';

export interface TeamParts {
  sync: TeamSync;
  statusBar: TeamSyncStatusBar;
}

export function registerTeam(context: vscode.ExtensionContext, app: App, log: Logger): TeamParts {
  const sync = new TeamSync(app);
  const statusBar = new TeamSyncStatusBar(sync);
  context.subscriptions.push(sync, statusBar);
  context.subscriptions.push(
    ...registerCommands(
      {
        'dejafix.syncTeam': () => syncTeamCommand(sync),
        'dejafix.toggleTeamSync': (paused) => toggleTeamSync(sync, paused),
      },
      log,
    ),
  );
  sync.start();
  return { sync, statusBar };
}
