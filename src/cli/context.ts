import type { Logger } from '../core/util/logger';
import { stderrLogger, type Io } from './io';

/** What every command gets: where to write, and where to put its exit code. */
export interface Ctx {
  io: Io;
  exitCode: number;
  logger(verbose: boolean): Logger;
}

export function makeCtx(io: Io): Ctx {
  return { io, exitCode: 0, logger: (verbose) => stderrLogger(io, verbose) };
}
