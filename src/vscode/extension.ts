// Activation does no real work: it creates the log, registers contributions and listeners, and
// returns. LanceDB, the embedding model and the Anthropic SDK load on first use. A feature that
// fails to start is logged and left out; the rest of the extension keeps working.
import * as vscode from 'vscode';
import { App } from './app';
import { registerAgents } from './agents';
import { BranchWatcher } from './branchWatcher';
import { commandTable, registerCommands } from './commands';
import { channelLogger, errorText } from './log';
import { showFailure } from './showFailure';
import { ExtensionPanelBackend } from './panelBackend';
import { DejafixPanelProvider } from './panel/provider';
import { registerPatchContent } from './patchView';
import { StatusBar } from './statusBar';
import { SettingsCheck } from './team/settingsCheck';
import { registerTeam, type TeamParts } from './team';

/** What the extension exports: for other extensions and for the integration tests. */
export interface DejafixApi {
  app: App;
  statusBar: StatusBar | undefined;
  /** Team memory: sync state and its status bar item (undefined when it could not start). */
  team: TeamParts | undefined;
  /** Time in activate(). */
  activationMs: number;
  /** From the first line of the bundle being evaluated to the end of activate(). */
  loadAndActivateMs: number | undefined;
}

declare global {
  // Set by the bundle's first line (scripts/build.mjs).
  var __dejafixLoadStart: number | undefined;
}

export function activate(context: vscode.ExtensionContext): DejafixApi {
  const t0 = performance.now();
  const channel = vscode.window.createOutputChannel('Dejafix', { log: true });
  context.subscriptions.push(channel);
  const log = channelLogger(channel);
  const app = new App(context, log);
  context.subscriptions.push(app);

  /** Starts one feature; a failure is logged and that feature stays off. */
  const feature = <T>(name: string, start: () => T): T | undefined => {
    try {
      return start();
    } catch (e) {
      void showFailure(log, `${name} could not start and is off`, e, {
        text: `Dejafix: ${name} could not start (${errorText(e)}).`,
        severity: 'warning',
      });
      return undefined;
    }
  };

  let panel: DejafixPanelProvider | undefined;
  feature('the side panel', () => {
    panel = new DejafixPanelProvider(context.extensionUri, new ExtensionPanelBackend(app), log);
    context.subscriptions.push(panel, vscode.window.registerWebviewViewProvider(DejafixPanelProvider.viewType, panel));
  });
  feature('patch view', () => context.subscriptions.push(registerPatchContent()));
  const table = commandTable(app, {
    showLogs: () => channel.show(),
    showPanel: () => vscode.commands.executeCommand(`${DejafixPanelProvider.viewType}.focus`),
    showMemoryHealth: async () => {
      if (!panel) throw new Error('The side panel could not start (see the log), so Memory Health cannot be shown.');
      await panel.showHealth();
    },
    openPatch: async (id, attempt) => {
      if (typeof id !== 'string') throw new Error('Open patch needs an episode id.');
      const store = await app.memory.open();
      const e = await store.getEpisode(id);
      if (!e) throw new Error('That episode is no longer in the store.');
      const { showEpisodePatch } = await import('./patchView');
      await showEpisodePatch(e, typeof attempt === 'string' ? attempt : undefined);
    },
  });
  feature('commands', () => context.subscriptions.push(...registerCommands(table, log)));
  feature('agent tools', () => registerAgents(context, app, log));
  const statusBar = feature('the status bar item', () => {
    const s = new StatusBar(app);
    context.subscriptions.push(s);
    return s;
  });
  feature('settings check', () => {
    const check = new SettingsCheck(app.settings, log);
    context.subscriptions.push(check);
    check.check();
  });
  const team = feature('team memory', () => registerTeam(context, app, log));
  feature('the branch watcher', () => {
    const w = new BranchWatcher(app, async (ref) => vscode.commands.executeCommand('dejafix.openIssue', ref));
    context.subscriptions.push(w);
    void w.start();
  });
  const activationMs = performance.now() - t0;
  const loadAndActivateMs = globalThis.__dejafixLoadStart === undefined ? undefined : performance.now() - globalThis.__dejafixLoadStart;
  log.info(
    `Dejafix activated in ${activationMs.toFixed(1)} ms${loadAndActivateMs === undefined ? '' : ` (${loadAndActivateMs.toFixed(1)} ms with loading the bundle)`}${vscode.workspace.isTrusted ? '' : ' (untrusted workspace: test runs are not captured)'}`,
  );
  return { app, statusBar, team, activationMs, loadAndActivateMs };
}

export function deactivate(): void {}
