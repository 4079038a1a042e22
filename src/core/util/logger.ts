// Where core code reports what it did; the editor passes its LogOutputChannel, the CLI stderr.
// `lineLogger` turns any line sink into a Logger, so every logger formats errors and topics alike.
import { errorDetail } from './errors';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  /**
   * `log.error(err, 'what failed')` logs the message with the error's stack and its `cause`
   * chain; `log.error('text')` logs the text.
   */
  error(error: unknown, message?: string): void;
}

/** A Logger writing each line, already formatted, to `write`. */
export function lineLogger(write: (level: LogLevel, line: string) => void, topic?: string): Logger {
  const line = (m: string): string => (topic ? `${topic}: ${m}` : m);
  return {
    debug: (m) => write('debug', line(m)),
    info: (m) => write('info', line(m)),
    warn: (m) => write('warn', line(m)),
    error: (error, message) => write('error', line(errorLine(error, message))),
  };
}

/** The line of `log.error(error, message)`, for loggers that are not built with lineLogger. */
export function errorLine(error: unknown, message?: string): string {
  if (typeof error === 'string' && message === undefined) return error;
  return message === undefined ? errorDetail(error) : `${message}: ${errorDetail(error)}`;
}

/** A logger for one topic: its lines start with `topic: ` (instead of prefixes typed at each call). */
export function childLogger(log: Logger, topic: string): Logger {
  return {
    debug: (m) => log.debug(`${topic}: ${m}`),
    info: (m) => log.info(`${topic}: ${m}`),
    warn: (m) => log.warn(`${topic}: ${m}`),
    error: (error, message) => log.error(`${topic}: ${errorLine(error, message)}`),
  };
}

export const silentLogger: Logger = lineLogger(() => {});
