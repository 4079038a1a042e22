// The side panel as a VS Code webview view: the thin VS Code part over PanelController.
// No retainContextWhenHidden: the panel keeps its own state (getState/setState) and asks for the
// rest with `ready` whenever it is shown again. The controller (and zod, which validates the
// panel's messages) loads when the panel is first shown, not at activation.
import * as vscode from 'vscode';
import type { Logger } from '../../core/util/logger';
import type { PanelBackend } from './backend';
import type { PanelController } from './controller';
import { makeNonce, panelHtml } from './html';

export class DejafixPanelProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  static readonly viewType = 'dejafix.panel';

  private controllerLoad: Promise<PanelController> | undefined;
  private readonly subscriptions: vscode.Disposable[] = [];
  private view: vscode.WebviewView | undefined;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly backend: PanelBackend,
    private readonly log: Logger,
  ) {
    const changed = backend.onDidChange(() => {
      if (this.view) void this.controller().then((c) => c.refresh());
    });
    this.subscriptions.push({ dispose: () => changed.dispose() });
  }

  /** The controller, loaded on first use. */
  controller(): Promise<PanelController> {
    this.controllerLoad ??= import('./controller').then(({ PanelController }) => new PanelController(this.backend, this.log));
    return this.controllerLoad;
  }

  async resolveWebviewView(view: vscode.WebviewView): Promise<void> {
    this.view = view;
    const bundle = vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview');
    const media = vscode.Uri.joinPath(this.extensionUri, 'media', 'webview');
    view.webview.options = { enableScripts: true, enableCommandUris: false, localResourceRoots: [bundle, media] };
    // Listen before the page can speak: messages wait for the controller instead of being lost.
    const received = view.webview.onDidReceiveMessage((m: unknown) => void this.controller().then((c) => c.receive(m)));
    view.onDidDispose(() => {
      received.dispose();
      if (this.view === view) {
        this.view = undefined;
        void this.controller().then((c) => c.detach());
      }
    });
    const controller = await this.controller();
    controller.attach((m) => view.webview.postMessage(m));
    view.webview.html = panelHtml({
      cspSource: view.webview.cspSource,
      nonce: makeNonce(),
      scriptUri: view.webview.asWebviewUri(vscode.Uri.joinPath(bundle, 'main.js')).toString(),
      styleUri: view.webview.asWebviewUri(vscode.Uri.joinPath(media, 'panel.css')).toString(),
    });
  }

  /** "Dejafix: Show Memory Health": reveals the panel, which opens the view and measures. */
  async showHealth(): Promise<void> {
    const controller = await this.controller();
    controller.openHealth();
    await vscode.commands.executeCommand(`${DejafixPanelProvider.viewType}.focus`);
  }

  dispose(): void {
    void this.controllerLoad?.then((c) => c.dispose());
    for (const s of this.subscriptions.splice(0)) s.dispose();
  }
}
