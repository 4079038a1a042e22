// "Dejafix: Check and Repair Memory…": runs the doctor (src/core/store/doctor) on the editor's store
// with a progress notification, and repairs only after the person confirms. The store is closed
// before a repair and reopens on next use.
import * as vscode from 'vscode';
import { needsRepair, runDoctor } from '../../core/store/doctor';
import { checkSentence, damagedTables, repairSentence } from '../../core/store/doctor/summary';
import type { App } from '../app';
import { offerLogs } from '../showFailure';

export const CHECK_MEMORY = 'dejafix.checkMemory';

export async function checkMemory(app: App): Promise<void> {
  const dir = app.memory.location();
  const progress = (title: string) => ({ location: vscode.ProgressLocation.Notification, title });
  const report = await vscode.window.withProgress(progress('Dejafix: checking every table of the memory…'), () => runDoctor(dir));
  app.log.info(`doctor: ${checkSentence(report)}`);
  if (!needsRepair(report)) {
    void vscode.window.showInformationMessage(`Dejafix: ${checkSentence(report)}`);
    return;
  }
  const repair = 'Repair';
  const answer = await vscode.window.showWarningMessage(
    `Dejafix: ${checkSentence(report)}`,
    {
      modal: true,
      detail: report.damaged.length
        ? `Repair rebuilds lost indexes and restores each damaged table's last readable version. Damaged versions are set aside, not deleted. Tables: ${damagedTables(report)}.${report.orphans.attempts ? ' Orphan attempts are deleted.' : ''}`
        : report.orphans.attempts
          ? `Repair deletes the orphan attempts${report.modes ? ' and makes the memory folder private' : ''}; nothing else changes.`
          : 'Repair makes the memory folder private (folders 0700, files 0600); nothing else changes.',
    },
    repair,
  );
  if (answer !== repair) return;
  await app.memory.reset();
  const after = await vscode.window.withProgress(progress('Dejafix: repairing the memory…'), () =>
    runDoctor(dir, { repair: true, orphansOf: report.orphans.episodeIds }),
  );
  app.recaller.invalidate();
  const r = repairSentence(after);
  for (const x of after.repairs) app.log.info(`doctor: ${x.table}: ${x.action}`);
  if (r.ok) void vscode.window.showInformationMessage(`Dejafix: ${r.text}`);
  else void offerLogs(`Dejafix: ${r.text}`, 'warning');
}
