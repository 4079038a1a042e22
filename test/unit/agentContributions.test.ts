// package.json declares exactly what the code registers: the LM tools' input schemas are the ones
// generated from the zod schemas the tools validate with, and the descriptions are the same text.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TOOLS, TOOL_NAMES, toolInputJsonSchema, recordAttemptInput } from '../../src/core/agent';
import { TOOL_NAMES as EDITOR_TOOL_NAMES, WRITING_TOOLS } from '../../src/vscode/agents/ids';
import { CONNECT_COMMAND, MCP_PROVIDER_ID, PARTICIPANT_ID } from '../../src/vscode/agents/ids';

const pkg = JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8'));

describe('agent contributions in package.json', () => {
  const declared = pkg.contributes.languageModelTools as {
    name: string;
    inputSchema: unknown;
    modelDescription: string;
    toolReferenceName: string;
    displayName: string;
    canBeReferencedInPrompt: boolean;
  }[];

  it('declares the five tools, each with the zod-generated input schema and the same descriptions', () => {
    assert.deepEqual(
      declared.map((t) => t.name),
      [...TOOL_NAMES],
    );
    assert.deepEqual([...EDITOR_TOOL_NAMES], [...TOOL_NAMES], 'the editor registers the same tools by name');
    assert.deepEqual([...WRITING_TOOLS].sort(), TOOL_NAMES.filter((n) => TOOLS[n].writes).sort(), 'and asks before the same writes');
    for (const t of declared) {
      const info = TOOLS[t.name as keyof typeof TOOLS];
      assert.deepEqual(
        t.inputSchema,
        toolInputJsonSchema(info.name),
        `inputSchema of ${t.name} differs from its zod schema: regenerate it`,
      );
      assert.equal(t.modelDescription, info.modelDescription);
      assert.equal(t.displayName, info.displayName);
      assert.equal(t.toolReferenceName, info.toolReferenceName);
      assert.equal(t.canBeReferencedInPrompt, true);
      assert.ok(t.modelDescription.length > 300, `${t.name} modelDescription is detailed`);
    }
    assert.equal(declared.find((t) => t.name === 'dejafix_recall')?.toolReferenceName, 'dejafix', '#dejafix reaches recall');
  });

  it('the schema constrains what the zod schema constrains', () => {
    const s = toolInputJsonSchema('dejafix_record_attempt') as {
      required: string[];
      properties: Record<string, { maxLength?: number; type?: unknown }>;
      additionalProperties?: unknown;
    };
    assert.deepEqual(s.required.sort(), ['command', 'exitCode']);
    assert.equal(s.properties.patch.maxLength, 2_000_000);
    // What the schema accepts, zod accepts, and the other way round.
    assert.equal(recordAttemptInput.safeParse({ command: 'pytest', exitCode: null }).success, true);
    assert.equal(recordAttemptInput.safeParse({ command: 'pytest' }).success, false);
  });

  it('declares the chat participant with its four commands, the MCP provider and the Connect an Agent command', () => {
    const [p] = pkg.contributes.chatParticipants;
    assert.equal(p.id, PARTICIPANT_ID);
    assert.equal(p.name, 'dejafix');
    assert.deepEqual(
      p.commands.map((c: { name: string }) => c.name),
      ['recall', 'insights', 'compose', 'remember'],
    );
    assert.deepEqual(pkg.contributes.mcpServerDefinitionProviders, [{ id: MCP_PROVIDER_ID, label: 'Dejafix' }]);
    assert.ok(
      pkg.contributes.commands.some(
        (c: { command: string; category: string; title: string }) =>
          c.command === CONNECT_COMMAND && c.category === 'Dejafix' && c.title === 'Connect an Agent…',
      ),
    );
  });
});
