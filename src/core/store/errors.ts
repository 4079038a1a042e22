import { DejafixError } from '../util/errors';

/** Why the store could not do what was asked, in words a user can act on. */
export type StoreErrorCode = 'missing' | 'read-only' | 'newer-schema' | 'not-a-store' | 'io';

export class StoreError extends DejafixError {
  declare readonly code: StoreErrorCode;
  constructor(code: StoreErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, { code, cause: options?.cause });
    this.name = 'StoreError';
  }
}

/** True for errors that mean the file system refused a write. */
export function isPermissionError(e: unknown): boolean {
  const text = e instanceof Error ? `${(e as NodeJS.ErrnoException).code ?? ''} ${e.message}` : String(e);
  return /EACCES|EPERM|EROFS|permission denied|read-only file system/i.test(text);
}
