import { DejafixError } from '../util/errors';

/** Why the store could not do what was asked, in words a user can act on. */
export type StoreErrorCode =
  | 'missing'
  | 'read-only'
  | 'newer-schema'
  | 'not-a-store'
  | 'io'
  | 'permission'
  | 'damaged'
  /** The location string is malformed (a bad URI, bucket name or prefix). */
  | 'bad-location'
  /** Object storage refused or could not be reached (no such bucket, 403, unreachable, clock skew). */
  | 'remote'
  /** The object store does not honour conditional writes, so concurrent writers could lose data. */
  | 'unsafe-remote';

export class StoreError extends DejafixError {
  declare readonly code: StoreErrorCode;
  /** For `damaged`: the table that cannot be read, when known. */
  readonly table?: string;

  constructor(code: StoreErrorCode, message: string, options?: { cause?: unknown; table?: string }) {
    super(message, { code, cause: options?.cause });
    this.name = 'StoreError';
    this.table = options?.table;
  }
}

/** True for errors that mean the file system refused a write. */
export function isPermissionError(e: unknown): boolean {
  const text = e instanceof Error ? `${(e as NodeJS.ErrnoException).code ?? ''} ${e.message}` : String(e);
  return /EACCES|EPERM|EROFS|permission denied|read-only file system/i.test(text);
}
