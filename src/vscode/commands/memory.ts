// Commands on the store itself: forget, export, import, rebuild indexes, seed the demo memory.
import * as vscode from 'vscode';
import { insightsFor } from '../../core/store/queries';
import { errorText } from '../../core/util/errors';
import type { App } from '../app';
import { offerLogs } from '../showFailure';

export async function forget(app: App, kind: 'episode' | 'insight', id?: unknown): Promise<void> {
  const store = await app.memory.open();
  let target = typeof id === 'string' ? id : undefined;
  let label = target ?? '';
  if (!target) {
    const items =
      kind === 'episode'
        ? (await recentEpisodes(app)).map((e) => ({
            label: e.issue.title,
            description: `${e.outcome} · ${e.repo}`,
            detail: e.createdAt.slice(0, 10),
            id: e.id,
          }))
        : (await insightsFor(store)).map((i) => ({
            label: i.text.slice(0, 120),
            description: `${i.role} · ${i.scope} · ${i.status}`,
            id: i.id,
          }));
    if (!items.length) {
      void vscode.window.showInformationMessage(`Dejafix: there is no ${kind} to forget.`);
      return;
    }
    const pick = await vscode.window.showQuickPick(items, { title: `Forget an ${kind}`, matchOnDescription: true, matchOnDetail: true });
    if (!pick) return;
    [target, label] = [pick.id, pick.label];
  }
  const ok = await vscode.window.showWarningMessage(
    `Forget "${label.slice(0, 80)}"? It is deleted from the store${kind === 'episode' ? ' with its attempts' : ''}. Export the memory first if you may want it back.`,
    { modal: true },
    'Forget',
  );
  if (ok !== 'Forget') return;
  const r = await store.forget([target]);
  app.recaller.invalidate();
  void vscode.window.showInformationMessage(
    r.episodes + r.insights ? `Dejafix forgot ${label.slice(0, 60)}.` : 'Dejafix: nothing with that id was stored.',
  );
}

async function recentEpisodes(app: App) {
  const store = await app.memory.open();
  const all = [];
  for await (const batch of store.episodes(500)) all.push(...batch);
  return all.sort((a, b) => b.createdAt.localeCompare(a.createdAt)).slice(0, 500);
}

export async function exportMemory(app: App, target?: unknown): Promise<void> {
  const uri =
    target instanceof vscode.Uri
      ? target
      : await vscode.window.showSaveDialog({
          title: 'Export Dejafix memory',
          filters: { 'JSON Lines': ['jsonl'] },
          defaultUri: vscode.Uri.file('dejafix-memory.jsonl'),
        });
  if (!uri) return;
  const store = await app.memory.open();
  const { exportJsonl } = await import('../../core/ingest');
  const { createWriteStream } = await import('node:fs');
  const out = createWriteStream(uri.fsPath);
  const counts = await exportJsonl(store, (line) => new Promise<void>((res, rej) => out.write(line, (e) => (e ? rej(e) : res()))));
  await new Promise<void>((res, rej) => out.end((e?: Error | null) => (e ? rej(e) : res())));
  void vscode.window.showInformationMessage(
    `Dejafix exported ${counts.episodes} episodes and ${counts.insights} insights to ${uri.fsPath}.`,
  );
}

/** How long before now the newest demo record is dated when the demo memory is seeded. */
const DEMO_NEWEST_AGO_MS = 2 * 86_400_000;

export async function importMemory(
  app: App,
  source?: unknown,
  format: 'jsonl' = 'jsonl',
  opts: { recentDates?: boolean } = {},
): Promise<void> {
  const uri =
    source instanceof vscode.Uri
      ? source
      : (
          await vscode.window.showOpenDialog({
            title: 'Import into Dejafix memory',
            canSelectMany: false,
            filters: { 'JSON Lines': ['jsonl'] },
          })
        )?.[0];
  if (!uri) return;
  const store = await app.memory.open();
  const { importLines, lineParser, recentDatesParser } = await import('../../core/ingest');
  const plain = (await lineParser(format, {})).parse;
  // The demo's fixed dates are moved to just before today, so its lessons are not all stale.
  const parse = opts.recentDates ? await recentDatesParser(uri.fsPath, plain, new Date(Date.now() - DEMO_NEWEST_AGO_MS)) : plain;
  const report = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Dejafix: importing', cancellable: false },
    (p) =>
      importLines(store, uri.fsPath, parse, {
        onProgress: (x) => p.report({ message: `${x.recordsCommitted} records, ${x.errors} bad lines` }),
      }),
  );
  const embedder = await app.memory.embedderOrNone();
  if (embedder) {
    const { vectorizePending } = await import('../../core/recall/vectorize');
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Dejafix: embedding imported episodes', cancellable: true },
      (p, token) => {
        const ac = new AbortController();
        token.onCancellationRequested(() => ac.abort());
        return vectorizePending(store, embedder, {
          signal: ac.signal,
          onProgress: (x) => p.report({ message: `${x.done}/${x.total}` }),
        }).catch((e) => app.log.warn(`embedding after import: ${errorText(e)}`));
      },
    );
  }
  app.recaller.invalidate();
  const bad = report.errorLines.length;
  const msg = `Dejafix imported ${report.episodes.inserted + report.episodes.updated} episodes and ${report.insights.inserted + report.insights.updated} insights${bad ? `; ${bad} bad lines were skipped (see the log)` : ''}.`;
  for (const l of report.errorLines.slice(0, 50)) app.log.warn(`${uri.fsPath}:${l.line}: ${l.reason}`);
  if (bad) void offerLogs(msg, 'warning');
  else void vscode.window.showInformationMessage(msg);
}

export async function rebuildIndexes(app: App): Promise<void> {
  const store = await app.memory.open();
  await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Dejafix: rebuilding search indexes…' },
    async () => {
      await store.maintain();
      const embedder = await app.memory.embedderOrNone();
      if (embedder) {
        const { vectorizePending } = await import('../../core/recall/vectorize');
        await vectorizePending(store, embedder);
      }
    },
  );
  app.recaller.invalidate();
  void vscode.window.showInformationMessage('Dejafix: search indexes are up to date.');
}

export async function seedDemo(app: App): Promise<void> {
  await importMemory(app, vscode.Uri.joinPath(app.context.extensionUri, 'demo', 'memory.jsonl'), 'jsonl', { recentDates: true });
}
