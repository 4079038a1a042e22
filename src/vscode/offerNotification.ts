// The "Looks fixed" notification: a progress notification, because that is the one kind VS Code keeps
// on screen while it runs and closes when the extension says so. It lasts exactly as long as the
// offer: answered in the panel, the status bar or its own links, withdrawn by a failing run or the
// session's end, it goes — no stale "Looks fixed" toast is left behind, and none slides into the
// notification centre to be clicked later for another session.
import * as vscode from 'vscode';
import { offerMessage, type OfferEnd } from './resolveOffer';

/** Shows the offer until `ended` settles (the offer was answered or went away). */
export function showOfferNotification(title: string, ended: Promise<OfferEnd>): Thenable<void> {
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Looks fixed', cancellable: false },
    async (progress) => {
      progress.report({ message: offerMessage(title) });
      await ended;
    },
  );
}
