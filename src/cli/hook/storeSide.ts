// The hook's store side for the CLI: opens the store the hook was given (folder or object storage,
// credentials from the environment) for recall and for committing a session. dist/cli.js exports
// it as `hookStoreSide`, which dist/hook.js loads only for the events that need the store.
import { hookStoreSide } from '../../core/capture/hooks/storeSide';
import type { HookStoreSide } from '../../core/capture/hooks/claudeCode';
import type { Logger } from '../../core/util/logger';
import { openStore } from '../store';

export function cliHookStoreSide(store: string, log: Logger): Promise<HookStoreSide> {
  return Promise.resolve(hookStoreSide((mode) => openStore({ store }, mode, log), log));
}
