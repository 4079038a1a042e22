// Says once, in one line, when a store or team setting holds a value that cannot work (an ftp://
// team URI, a bad bucket name, an endpoint with a password in it) — at start and when it changes —
// with a button to open that setting. The value is then not used (settings.ts falls back).
import * as vscode from 'vscode';
import type { Logger } from '../../core/util/logger';
import type { Settings } from '../settings';
import { CHECKED_SETTINGS, settingProblem } from './remoteSettings';

export class SettingsCheck implements vscode.Disposable {
  private readonly shown = new Set<string>();
  private readonly subscription: vscode.Disposable;
  /** The problems found by the last check (tests read them). */
  problems: string[] = [];

  constructor(
    private readonly settings: Settings,
    private readonly log: Logger,
  ) {
    this.subscription = vscode.workspace.onDidChangeConfiguration((e) => {
      if (CHECKED_SETTINGS.some((k) => e.affectsConfiguration(`dejafix.${k}`))) this.check();
    });
  }

  check(): string[] {
    this.problems = CHECKED_SETTINGS.flatMap((k) => settingProblem(k, this.settings.raw(k)) ?? []);
    for (const p of this.problems) {
      if (this.shown.has(p)) continue;
      this.shown.add(p);
      this.log.warn(`setting not used: ${p}`);
      const key = /^dejafix\.[\w.]+/.exec(p)?.[0];
      void vscode.window
        .showWarningMessage(`Dejafix: ${p} The setting is not used until it is fixed.`, 'Open Setting')
        .then((c) => c && vscode.commands.executeCommand('workbench.action.openSettings', key ?? 'dejafix'));
    }
    return this.problems;
  }

  dispose(): void {
    this.subscription.dispose();
  }
}
