// A tool call that cannot be done as asked. The message is written for the calling model: what was
// wrong and what to do next, so it can correct itself in its next call.
import { DejafixError } from '../util/errors';

export class AgentToolError extends DejafixError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, { code: 'agent-tool', cause: options.cause });
    this.name = 'AgentToolError';
  }
}

/** One short readable line per zod issue: `path: message`. */
export function describeIssues(issues: readonly { path: readonly PropertyKey[]; message: string }[]): string {
  return issues
    .slice(0, 8)
    .map((i) => `${i.path.map(String).join('.') || 'input'}: ${i.message}`)
    .join('; ');
}
