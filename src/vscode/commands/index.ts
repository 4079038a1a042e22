// Every command of the palette (category "Dejafix"), each a small function elsewhere.
import * as vscode from 'vscode';
import type { App } from '../app';
import type { Logger } from '../../core/util/logger';
import { showFailure } from '../showFailure';
import { checkMemory } from './checkMemory';
import { clearAnthropicKey, drainQueue, setAnthropicKey } from './llm';
import { exportMemory, forget, importMemory, rebuildIndexes, seedDemo } from './memory';
import { endSession, openIssue, recallForFailure } from './session';
import { setTeamCredentials } from '../team/credentials';
import { KEEP_WORKING_COMMAND } from '../resolveOffer';

export type CommandTable = Record<string, (...args: unknown[]) => unknown>;

export function commandTable(
  app: App,
  extra: {
    showLogs: () => void;
    showPanel: () => unknown;
    showMemoryHealth: () => unknown;
    openPatch: (id: unknown, attempt?: unknown) => unknown;
  },
): CommandTable {
  return {
    'dejafix.openIssue': (raw) => openIssue(app, raw),
    'dejafix.recallForFailure': (raw) => recallForFailure(app, raw),
    'dejafix.endSessionResolved': () => endSession(app, 'resolved'),
    'dejafix.endSessionAbandoned': () => endSession(app, 'abandoned'),
    // "Keep Working" in the Looks fixed notification (a command link; not in the palette).
    [KEEP_WORKING_COMMAND]: () => app.offer.withdraw(),
    'dejafix.setAnthropicKey': (v) => setAnthropicKey(app, v),
    'dejafix.clearAnthropicKey': () => clearAnthropicKey(app),
    'dejafix.setTeamCredentials': (v) => setTeamCredentials(app.credentials, v),
    'dejafix.distillLessons': () => drainQueue(app),
    'dejafix.forgetEpisode': (id) => forget(app, 'episode', id),
    'dejafix.forgetInsight': (id) => forget(app, 'insight', id),
    'dejafix.exportMemory': (uri) => exportMemory(app, uri),
    'dejafix.importMemory': (uri) => importMemory(app, uri),
    'dejafix.rebuildIndexes': () => rebuildIndexes(app),
    'dejafix.checkMemory': () => checkMemory(app),
    'dejafix.seedDemo': () => seedDemo(app),
    'dejafix.showLogs': () => extra.showLogs(),
    'dejafix.showPanel': () => extra.showPanel(),
    'dejafix.showMemoryHealth': () => extra.showMemoryHealth(),
    'dejafix.openPatch': (id, attempt) => extra.openPatch(id, attempt),
  };
}

/** Registers the table; a command that fails shows its error (with the log a click away) instead of failing silently. */
export function registerCommands(table: CommandTable, log: Logger): vscode.Disposable[] {
  return Object.entries(table).map(([id, run]) =>
    vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      try {
        return await run(...args);
      } catch (e) {
        void showFailure(log, `${id} failed`, e);
        return undefined;
      }
    }),
  );
}
