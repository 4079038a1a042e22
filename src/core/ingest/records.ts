import type { Attempt } from '../model/attempt';
import type { Episode } from '../model/episode';
import type { Insight } from '../model/insight';
import type { FeedbackRow, RecallLogRow } from '../store/feedbackLog';
import { z } from 'zod';
import { DejafixError } from '../util/errors';

/** What one input line turns into. */
export interface Parsed {
  episodes?: Episode[];
  attempts?: Attempt[];
  insights?: Insight[];
  /** Feedback and recall-log rows (Dejafix JSONL only, see feedback/lines.ts). */
  feedback?: FeedbackRow[];
  recalls?: RecallLogRow[];
}

/** A reason a line was not imported, meant for the user. */
export class LineError extends DejafixError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, { code: 'bad-line', cause: options.cause });
    this.name = 'LineError';
  }
}

/** Parses a line's JSON, with a readable reason when it is not JSON. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const msg = (e as Error).message.replace(/^JSON\.parse: /, '');
    throw new LineError(`not valid JSON (${msg.length > 120 ? `${msg.slice(0, 120)}…` : msg})`);
  }
}

/** Validates with zod and turns its issues into one readable line. */
export function validate<T extends z.ZodType>(schema: T, value: unknown, what: string): z.output<T> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issues = r.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(record)'}: ${i.message}`);
  const more = r.error.issues.length > 3 ? ` (+${r.error.issues.length - 3} more)` : '';
  throw new LineError(`not a valid ${what}: ${issues.join('; ')}${more}`);
}
