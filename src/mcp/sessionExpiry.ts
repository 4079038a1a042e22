// Idle expiry of the repair sessions agents leave open (`dejafix mcp --session-expiry`): when the
// server starts and then periodically, on a timer that never keeps the process alive, every open
// session with nothing recorded for the idle time is ended as abandoned (or dropped when empty) and
// its rows removed from the disk. A failed sweep is logged and retried at the next tick.
import type { ExpiryReport } from '../core/agent';
import { asStoreError } from '../core/store/damage';
import { errorText } from '../core/util/errors';
import type { Logger } from '../core/util/logger';

/** Default idle time before an open session is ended: a day without a recorded attempt. */
export const DEFAULT_SESSION_EXPIRY_HOURS = 24;
/** The longest idle time `--session-expiry` accepts (ten years); 0 turns expiry off. */
export const MAX_SESSION_EXPIRY_HOURS = 87_600;

const HOUR = 3_600_000;

/** Runs `run` every `ms` until stopped; the real one is an unref'd interval. */
export interface Scheduler {
  every(ms: number, run: () => void): { stop(): void };
}

export const timerScheduler: Scheduler = {
  every(ms, run) {
    const t = setInterval(run, ms);
    t.unref();
    return { stop: () => clearInterval(t) };
  },
};

export interface SessionExpiryOptions {
  /** Idle time in ms; 0 (or less) turns expiry off. */
  idleMs: number;
  sessions: () => Promise<{ expireIdle(idleMs: number): Promise<ExpiryReport> }>;
  log: Logger;
  scheduler?: Scheduler;
  /** Wraps each sweep (the stdio runner waits for work in flight before it closes the store). */
  track?: <T>(work: Promise<T>) => Promise<T>;
  /** The store's folder or URI, named in the warning about a damaged store. */
  storeDir?: string;
}

/** How often to look: a quarter of the idle time, at least once a minute and at most once an hour. */
export function sweepInterval(idleMs: number): number {
  return Math.min(HOUR, Math.max(60_000, Math.floor(idleMs / 4)));
}

/** Parses `--session-expiry <hours>`: a number from 0 to MAX_SESSION_EXPIRY_HOURS, else undefined. */
export function parseExpiryHours(text: string): number | undefined {
  if (!/^\s*\d{1,6}(\.\d{1,6})?\s*$/.test(text)) return undefined;
  const h = Number(text);
  return h <= MAX_SESSION_EXPIRY_HOURS ? h : undefined;
}

/** Sweeps now and then periodically; `stop()` cancels the timer (a sweep under way finishes). */
export function startSessionExpiry(opts: SessionExpiryOptions): { stop(): void } {
  if (!(opts.idleMs > 0)) return { stop: () => undefined };
  const track = opts.track ?? (<T>(p: Promise<T>) => p);
  let running: Promise<void> | undefined;
  const sweep = () => {
    running ??= track(
      opts
        .sessions()
        .then((s) => s.expireIdle(opts.idleMs))
        .then(
          (r) => {
            if (r.ended.length || r.dropped.length)
              opts.log.info(
                `ended ${r.ended.length} open session(s) idle over ${hours(opts.idleMs)} as abandoned, dropped ${r.dropped.length} empty one(s)`,
              );
          },
          (e) => opts.log.warn(`could not end idle open sessions (retrying later): ${oneLine(e, opts.storeDir)}`),
        )
        .finally(() => (running = undefined)),
    );
  };
  sweep();
  return (opts.scheduler ?? timerScheduler).every(sweepInterval(opts.idleMs), sweep);
}

/** A failure as one line: a damaged store names its table and `dejafix doctor`, never Lance's chain. */
function oneLine(e: unknown, storeDir = 'the Dejafix store'): string {
  const text = asStoreError(e, storeDir)?.message ?? errorText(e);
  return text
    .split(/\n| {2}Caused by: /)[0]
    .replace(/, \/\S+\.rs:\d+:\d+/g, '')
    .slice(0, 500);
}

function hours(ms: number): string {
  const h = ms / HOUR;
  return `${Number.isInteger(h) ? h : h.toFixed(2)} h`;
}
