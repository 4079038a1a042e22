// A tool call that cannot be done as asked. The message is written for the calling model: what was
// wrong and what to do next, so it can correct itself in its next call.
export class AgentToolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AgentToolError';
  }
}

/** One short readable line per zod issue: `path: message`. */
export function describeIssues(issues: readonly { path: readonly PropertyKey[]; message: string }[]): string {
  return issues.slice(0, 8).map((i) => `${i.path.map(String).join('.') || 'input'}: ${i.message}`).join('; ');
}
