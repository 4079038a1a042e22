// The ids package.json declares for the agent contributions (kept free of `vscode` for unit tests).
export const PARTICIPANT_ID = 'dejafix.chat';
export const MCP_PROVIDER_ID = 'dejafix.mcp';
export const CONNECT_COMMAND = 'dejafix.connectAgent';
export const DISCONNECT_COMMAND = 'dejafix.disconnectAgent';
/** The tools' names (the same list as core/agent/toolInfo.ts, which a unit test checks), without loading their schemas. */
export const TOOL_NAMES = [
  'dejafix_recall',
  'dejafix_record_attempt',
  'dejafix_record_outcome',
  'dejafix_compose_prompt',
  'dejafix_feedback',
] as const;
export type ToolName = (typeof TOOL_NAMES)[number];
/** Tools that change the memory: VS Code asks the user first. */
export const WRITING_TOOLS: ReadonlySet<ToolName> = new Set(['dejafix_record_attempt', 'dejafix_record_outcome', 'dejafix_feedback']);
