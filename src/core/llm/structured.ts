// Structured output through a forced tool call: the tool's input schema comes from a zod schema,
// and the model's input is validated with the same schema before anyone sees it.
import { z } from 'zod';
import { LlmError } from './errors';
import type { LlmTool } from './provider';

const TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

/** The JSON Schema of a tool's input, as the Messages API (and VS Code LM tools) take it. */
export function toolInputSchema<T>(tool: LlmTool<T>): Record<string, unknown> {
  if (!TOOL_NAME.test(tool.name)) throw new Error(`tool name ${JSON.stringify(tool.name)} must match ${TOOL_NAME}`);
  const schema = z.toJSONSchema(tool.schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  delete schema.$schema;
  if (schema.type !== 'object') throw new Error(`the input schema of tool ${tool.name} must be an object`);
  return schema;
}

/** Validates a tool call's input; rejects with `malformed` and a short reason when it does not fit. */
export function parseToolInput<T>(tool: LlmTool<T>, input: unknown): T {
  const r = tool.schema.safeParse(input);
  if (r.success) return r.data;
  const issues = r.error.issues
    .slice(0, 5)
    .map((i) => `${i.path.join('.') || '(input)'}: ${i.message}`)
    .join('; ');
  throw new LlmError(
    'malformed',
    `The model's ${tool.name} call does not match its schema (${issues}). The work is kept and retried later.`,
    { cause: r.error },
  );
}
