// Claude Code's hook event, as read from stdin: one JSON object (the hooks reference's common fields
// `session_id`, `cwd`, `hook_event_name`, plus `prompt`, `tool_name`, `tool_input`, `tool_response`,
// `error`, …). Anything malformed, oversized or of the wrong shape is not an event: the hook ignores it.
export const MAX_EVENT_BYTES = 8 * 1024 * 1024;

export interface HookEvent {
  sessionId: string;
  event: string;
  cwd: string;
  prompt?: string;
  toolName?: string;
  toolInput?: Record<string, unknown>;
  toolResponse?: unknown;
  error?: string;
}

const str = (v: unknown, max = 1_000_000): string | undefined => (typeof v === 'string' ? v.slice(0, max) : undefined);
const obj = (v: unknown): Record<string, unknown> | undefined =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;

/** The event in `text`, or undefined when it is not one (never throws). */
export function parseHookEvent(text: string): HookEvent | undefined {
  if (!text || text.length > MAX_EVENT_BYTES) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return undefined;
  }
  const o = obj(raw);
  if (!o) return undefined;
  const sessionId = str(o.session_id, 200)?.trim();
  const event = str(o.hook_event_name, 100)?.trim();
  const cwd = str(o.cwd, 4_096)?.trim();
  if (!sessionId || !event || !cwd) return undefined;
  return {
    sessionId,
    event,
    cwd,
    prompt: str(o.prompt),
    toolName: str(o.tool_name, 200),
    toolInput: obj(o.tool_input),
    toolResponse: o.tool_response,
    error:
      typeof o.error === 'string'
        ? o.error.slice(0, 1_000_000)
        : o.error !== undefined
          ? JSON.stringify(o.error).slice(0, 1_000_000)
          : undefined,
  };
}

/** A Bash tool call's outcome: exit code and output, from `tool_response` (success) or `error` (failure). */
export function bashOutcome(e: HookEvent): { exitCode: number | null; output: string } {
  if (e.event === 'PostToolUseFailure' || (e.error !== undefined && e.toolResponse === undefined)) {
    const text = e.error ?? '';
    const m = /exit(?:ed with)? code:?\s*(-?\d{1,4})/i.exec(text);
    return { exitCode: m ? Number(m[1]) : 1, output: text };
  }
  const r = obj(e.toolResponse);
  if (!r) return { exitCode: 0, output: typeof e.toolResponse === 'string' ? e.toolResponse : '' };
  const output = [str(r.stdout), str(r.stderr)].filter((s) => s && s.trim()).join('\n');
  const code =
    typeof r.exit_code === 'number' ? r.exit_code : typeof r.exitCode === 'number' ? r.exitCode : r.interrupted === true ? null : 0;
  return { exitCode: code, output };
}

/** The files an Edit/Write/MultiEdit/NotebookEdit call touched. */
export function editedFiles(e: HookEvent): string[] {
  const i = e.toolInput ?? {};
  return [str(i.file_path, 4_096), str(i.notebook_path, 4_096)].filter((p): p is string => !!p);
}

const MCP_RECORD = /^mcp__.+__dejafix_record_(attempt|outcome)$/;

/** A successful call of Dejafix's own MCP recording tools (`mcp__<server>__dejafix_record_…`), else undefined. */
export function mcpReport(e: HookEvent): { tool: string; command?: string; exitCode?: number | null } | undefined {
  if (e.event !== 'PostToolUse' || !e.toolName) return undefined;
  const m = MCP_RECORD.exec(e.toolName);
  if (!m) return undefined;
  const i = e.toolInput ?? {};
  const command = str(i.command, 4_000);
  const exitCode = typeof i.exitCode === 'number' || i.exitCode === null ? (i.exitCode as number | null) : undefined;
  return { tool: `dejafix_record_${m[1]}`, ...(command !== undefined ? { command } : {}), ...(exitCode !== undefined ? { exitCode } : {}) };
}
