/** Why the store could not do what was asked, in words a user can act on. */
export type StoreErrorCode = 'missing' | 'read-only' | 'newer-schema' | 'not-a-store' | 'io';

export class StoreError extends Error {
  constructor(
    readonly code: StoreErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'StoreError';
  }
}

/** True for errors that mean the file system refused a write. */
export function isPermissionError(e: unknown): boolean {
  const text = e instanceof Error ? `${(e as NodeJS.ErrnoException).code ?? ''} ${e.message}` : String(e);
  return /EACCES|EPERM|EROFS|permission denied|read-only file system/i.test(text);
}
