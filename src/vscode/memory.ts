// The experience store behind the editor: opened on first use (LanceDB and the embedding model load
// then, not at activation), reopened when the location setting changes, closed on dispose. The
// setting may name object storage (s3://, gs://, az://): it is opened with the remote settings and
// SecretStorage credentials through the same core code as the CLI's --store.
import * as vscode from 'vscode';
import type { Embedder } from '../core/embed/embedder';
import { isRemoteStore } from '../core/store/location';
import type { RemoteOptions } from '../core/store/remote/config';
import type { ExperienceStore } from '../core/store/store';
import type { Logger } from '../core/util/logger';
import { errorText } from './log';
import type { Settings } from './settings';

export class Memory implements vscode.Disposable {
  private store: Promise<ExperienceStore> | undefined;
  private embedder: Embedder | undefined | null = null;

  constructor(
    private readonly globalStorage: vscode.Uri,
    private readonly settings: Settings,
    private readonly log: Logger,
    private readonly remote: (where: string) => Promise<RemoteOptions | undefined> = async () => undefined,
  ) {}

  /** Where the store lives: the setting, else `<global storage>/store`. */
  location(): string {
    const configured = this.settings.get('store.path').trim();
    if (configured && isRemoteStore(configured)) return configured;
    return configured || vscode.Uri.joinPath(this.globalStorage, 'store').fsPath;
  }

  open(): Promise<ExperienceStore> {
    this.store ??= (async () => {
      const dir = this.location();
      const { ExperienceStore } = await import('../core/store/store');
      const s = await ExperienceStore.open(dir, { mode: 'write', log: this.log, remote: await this.remote(dir) });
      this.log.info(`store open at ${dir}`);
      return s;
    })().catch(async (e) => {
      this.store = undefined;
      // A damaged or unreadable store keeps its one-line StoreError (the table, what to do).
      const { StoreError } = await import('../core/store/errors');
      if (e instanceof StoreError) throw e;
      throw new Error(`Could not open the Dejafix store at ${this.location()}: ${errorText(e)}`, { cause: e });
    });
    return this.store;
  }

  /** The embedding model from the settings; undefined for `none` or when it cannot be made. */
  async embedderOrNone(): Promise<Embedder | undefined> {
    if (this.embedder !== null) return this.embedder;
    try {
      const { createEmbedder } = await import('../core/embed');
      const provider = this.settings.get('embeddings.provider') as 'builtin' | 'openai-compatible' | 'none';
      this.embedder = createEmbedder(
        { provider, baseUrl: this.settings.get('embeddings.url') || undefined, model: this.settings.get('embeddings.model') || undefined },
        this.log,
      );
    } catch (e) {
      this.log.warn(`embeddings off, recall is lexical only: ${errorText(e)}`);
      this.embedder = undefined;
    }
    return this.embedder;
  }

  /** Forgets the open store and model (after a settings change); the next use opens them again. */
  async reset(): Promise<void> {
    const s = this.store;
    this.store = undefined;
    const e = this.embedder;
    this.embedder = null;
    await e?.dispose().catch(() => undefined);
    if (s) (await s.catch(() => undefined))?.close();
  }

  dispose(): void {
    void this.reset();
  }
}
