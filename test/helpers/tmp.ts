import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A fresh temp folder per test, removed afterwards. Removal retries for a moment: a child the test started (an MCP
 * server, a hook) may still be finishing a write when the hook runs, which makes rmdir fail with ENOTEMPTY or EBUSY.
 */
export function useTempDir(): { readonly path: string } {
  const holder = { path: '' };
  beforeEach(() => {
    holder.path = mkdtempSync(join(tmpdir(), 'dejafix-test-'));
  });
  afterEach(() => {
    rmSync(holder.path, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
  });
  return holder;
}
