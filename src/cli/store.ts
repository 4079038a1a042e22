import { resolve } from 'node:path';
import { ExperienceStore, StoreError, defaultStoreDir, isRemoteStore, remoteOptionsFromEnv, type RemoteOptions } from '../core/store';
import type { Logger } from '../core/util/logger';

export interface StoreOptions {
  store?: string;
  unsafeSingleWriter?: boolean;
}

/** Help text of `--unsafe-single-writer`, which every command that takes `--store` offers. */
export const UNSAFE_SINGLE_WRITER_HELP =
  'write to an object store that does not honour conditional writes (only when no other process or machine writes to it; DEJAFIX_UNSAFE_SINGLE_WRITER=1)';

let lastDir: string | undefined;

/** The store folder (resolved) or object-storage URI (`s3://`, `gs://`, `az://`, kept as given). */
export function storeDir(opts: StoreOptions): string {
  const s = opts.store ?? defaultStoreDir();
  lastDir = isRemoteStore(s) ? s.trim() : resolve(s);
  return lastDir;
}

/** The store the running command opened (or tried to): where a failure is reported. */
export function usedStoreDir(): string | undefined {
  return lastDir;
}

/** Credentials and endpoints from the environment, plus the command's `--unsafe-single-writer`. */
export function remoteOptions(opts: StoreOptions, env: NodeJS.ProcessEnv = process.env): RemoteOptions {
  const r = remoteOptionsFromEnv(env);
  return { ...r, unsafeSingleWriter: r.unsafeSingleWriter || !!opts.unsafeSingleWriter };
}

/** Opens the store for the command; read-only commands never create or migrate it. */
export function openStore(opts: StoreOptions, mode: 'read' | 'write', log: Logger): Promise<ExperienceStore> {
  return ExperienceStore.open(storeDir(opts), { mode, log, remote: remoteOptions(opts) });
}

/** A team store (`--team`) that cannot be opened: the message points at --team, not at --store (still exit 3). */
export function teamStoreError(e: unknown): unknown {
  if (!(e instanceof StoreError) || (e.code !== 'missing' && e.code !== 'not-a-store')) return e;
  const reason = e.message.replace(/\.? (Pass a folder to --store|Import something first)[\s\S]*$/, '');
  return new StoreError(e.code, `team store: ${reason}; check --team (a shared folder, or an s3://, gs://, az:// URI)`, { cause: e });
}
