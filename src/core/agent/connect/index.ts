// Connecting agents to Dejafix (hooks, instructions, MCP entries) — shared by the CLI and the editor.
export * from './agents';
export * from './changes';
export { ConfigMergeError } from './mergeError';
export { SERVER_NAME } from './jsonMcp';
export type { ServerCommand } from './codexToml';
