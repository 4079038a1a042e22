import { userMessageOf } from '../core/util/errors';
import { errorLine, type Logger } from '../core/util/logger';

/** Everything the CLI tells people goes to stderr; stdout carries only results. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  isTTY: boolean;
}

export const processIo: Io = {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
  isTTY: Boolean(process.stderr.isTTY),
};

export function stderrLogger(io: Io, verbose: boolean): Logger {
  return {
    debug: (m) => verbose && io.err(`debug: ${m}\n`),
    info: (m) => verbose && io.err(`${m}\n`),
    warn: (m) => io.err(`warning: ${m}\n`),
    // the stack and causes only with --verbose; otherwise one line a person can act on
    error: (e, m) =>
      io.err(
        `error: ${verbose || (typeof e === 'string' && m === undefined) ? errorLine(e, m) : `${m === undefined ? '' : `${m}: `}${userMessageOf(e)}`}\n`,
      ),
  };
}

/** Progress on stderr: redrawn in place on a terminal, at most one line a second otherwise. */
export function progressReporter(io: Io): { update(text: string): void; done(): void } {
  let last = 0;
  let drawn = false;
  return {
    update(text) {
      const now = Date.now();
      if (io.isTTY) {
        io.err(`\r\x1b[2K${text}`);
        drawn = true;
      } else if (now - last >= 1000) {
        io.err(`${text}\n`);
        last = now;
      }
    },
    done() {
      if (drawn) io.err('\n');
      drawn = false;
    },
  };
}

export function json(value: unknown): string {
  return `${JSON.stringify(value)}\n`;
}
