import { resolve } from 'node:path';
import { ExperienceStore, defaultStoreDir } from '../core/store';
import type { Logger } from '../core/util/logger';

export interface StoreOptions {
  store?: string;
}

let lastDir: string | undefined;

export function storeDir(opts: StoreOptions): string {
  lastDir = resolve(opts.store ?? defaultStoreDir());
  return lastDir;
}

/** The store the running command opened (or tried to): where a failure is reported. */
export function usedStoreDir(): string | undefined {
  return lastDir;
}

/** Opens the store for the command; read-only commands never create or migrate it. */
export function openStore(opts: StoreOptions, mode: 'read' | 'write', log: Logger): Promise<ExperienceStore> {
  return ExperienceStore.open(storeDir(opts), { mode, log });
}
