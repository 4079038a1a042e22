import { DejafixError } from '../core/util/errors';

/** Exit codes, stable for scripts and benchmarks. */
export const EXIT = {
  ok: 0,
  /** The command finished, but some input lines or queries were rejected (reported on stderr). */
  partial: 1,
  /** Bad arguments, or an input file that cannot be read. */
  usage: 2,
  /** The store cannot be used (missing, read-only, newer schema). */
  store: 3,
  /** The store is on object storage whose server does not honour conditional writes: writing refused. */
  unsafeRemote: 5,
  /** Anything unexpected: a bug; the message says what happened. */
  internal: 70,
} as const;

export class CliError extends DejafixError {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.usage,
  ) {
    super(message, { code: 'cli' });
    this.name = 'CliError';
  }
}

export const EXIT_HELP = `
Exit codes:
  0   success
  1   finished, but some lines or queries were rejected (see stderr)
  2   bad arguments, unreadable input or unwritable --out
  3   the store cannot be used (missing, read-only, not readable, newer version, damaged: run dejafix doctor,
      object storage unreachable or refusing access)
  5   writing refused: the object store does not honour conditional writes (see --unsafe-single-writer)
  70  unexpected error`;
