import { resolve } from 'node:path';
import { ExperienceStore, defaultStoreDir } from '../core/store';
import type { Logger } from '../core/util/logger';

export interface StoreOptions {
  store?: string;
}

export function storeDir(opts: StoreOptions): string {
  return resolve(opts.store ?? defaultStoreDir());
}

/** Opens the store for the command; read-only commands never create or migrate it. */
export function openStore(opts: StoreOptions, mode: 'read' | 'write', log: Logger): Promise<ExperienceStore> {
  return ExperienceStore.open(storeDir(opts), { mode, log });
}
