// The store's public shapes (how to open it, what a write reports) and how long old table versions are kept, apart
// from the class so that callers and the store's helpers can name them without loading it.
import type { Logger } from '../util/logger';
import type { RemoteOptions } from './remote/config';

export interface OpenOptions {
  /** `write` creates the store when missing; `read` fails on a missing store instead. */
  mode?: 'read' | 'write';
  log?: Logger;
  /** Stop migrating at this schema version (tests use it to write old stores). */
  targetVersion?: number;
  /** For `s3://`, `gs://` and `az://` locations: credentials, endpoint and the single-writer override. */
  remote?: RemoteOptions;
  /**
   * A store other users share on purpose (a team store in a shared folder): created with the
   * umask's modes instead of private (folder 0700, files 0600).
   */
  shared?: boolean;
}

export interface Counts {
  inserted: number;
  updated: number;
}

export interface WriteResult extends Counts {
  /** What sanitising changed (redactions, truncations), one line each. */
  notes: string[];
}

/**
 * Old table versions are kept this long. Readers always read the latest version
 * (readConsistencyInterval 0), so only a query running across a cleanup could need an older one;
 * ten minutes is far beyond any query.
 */
export const KEEP_VERSIONS_MS = 10 * 60 * 1000;
