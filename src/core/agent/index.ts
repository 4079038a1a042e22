// The agent tools (recall, record attempt, record outcome, compose), shared by the MCP server and
// the VS Code LM tools, and the store-backed repair sessions the MCP server uses.
export { AgentTools, type AgentToolsDeps, type Caller, type ToolResult } from './tools';
export { AgentToolError } from './errors';
export { TOOLS, TOOL_NAMES, toolInputJsonSchema, type ToolInfo, type ToolName } from './toolInfo';
export {
  LIMITS,
  composePromptInput,
  recallInput,
  recordAttemptInput,
  recordOutcomeInput,
  type ComposePromptInput,
  type RecallInput,
  type RecordAttemptInput,
  type RecordOutcomeInput,
} from './schemas';
export { StoreSessions, type ExpiryReport, type StoreSessionsOptions } from './storeSessions';
export { OpenSessions, OPEN_SESSIONS_TABLE, type SessionHeader } from '../store/openSessions';
export type { AttemptReport, OutcomeReport, SessionBackend } from './sessionBackend';
export { agentSource } from './callers';
export { diffOfFiles, outputWithNote } from './attemptText';
export { fenced, oneLine } from './format';
export { whyText } from '../recall/why';
export { repoOfPath, resolveRepo } from './repoOfPath';
