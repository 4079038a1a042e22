import type * as vscode from 'vscode';
import type { Logger } from '../core/util/logger';

/** The core's Logger over the extension's one LogOutputChannel. */
export function channelLogger(channel: vscode.LogOutputChannel): Logger {
  return {
    debug: (m) => channel.debug(m),
    info: (m) => channel.info(m),
    warn: (m) => channel.warn(m),
    error: (m) => channel.error(m),
  };
}

export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
