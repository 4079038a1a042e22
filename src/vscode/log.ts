// The extension's one log: the core's Logger over the LogOutputChannel (no runtime `vscode`
// import, so host code tested outside VS Code can use it).
import type * as vscode from 'vscode';
import { lineLogger, type Logger } from '../core/util/logger';

export { errorText } from '../core/util/errors';

/** The core's Logger over the extension's one LogOutputChannel (errors with stack and causes). */
export function channelLogger(channel: vscode.LogOutputChannel): Logger {
  return lineLogger((level, line) => channel[level](line));
}
