// Agents in a real VS Code: the LM tools are registered and answer through vscode.lm.invokeTool,
// the @dejafix participant is registered, the editor's repair session takes agents' attempts, and
// the MCP server definition VS Code is given really starts and serves the editor's store.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import * as vscode from 'vscode';
import pkg from '../../../package.json';
import { TOOL_NAMES } from '../../../src/core/agent';
import type { Agents } from '../../../src/vscode/agents';
import { lmTool } from '../../../src/vscode/agents/lmTools';
import type { DejafixApi } from '../../../src/vscode/extension';

const EXTENSION_ID = `${pkg.publisher}.${pkg.name}`;
const TITLE = 'Agent integration: ZeroDivisionError in ratio report for empty months';

async function api(): Promise<DejafixApi & { agents: Agents }> {
  const ext = vscode.extensions.getExtension<DejafixApi>(EXTENSION_ID)!;
  const exports = await ext.activate();
  const agents = (exports.app as unknown as { agents?: Agents }).agents;
  assert.ok(agents, 'registerAgents ran at activation');
  return Object.assign(exports, { agents });
}

function text(r: vscode.LanguageModelToolResult | null | undefined): string {
  assert.ok(r, 'the tool returned a result');
  return r.content.map((p) => (p instanceof vscode.LanguageModelTextPart ? p.value : '')).join('');
}

describe('agents: LM tools, @dejafix, MCP server definition', function () {
  this.timeout(120_000);
  /** Episodes this suite wrote: forgotten at the end, so later suites recall what they expect. */
  const written = ['ep-agents-it'];

  after(async () => {
    const { app } = await api();
    await app.idle();
    await (await app.memory.open()).forget(written);
    app.recaller.invalidate();
  });

  before(async () => {
    const { app } = await api();
    const store = await app.memory.open();
    await store.upsertEpisodes([
      {
        id: 'ep-agents-it',
        repo: 'github.com/acme/reports',
        issue: { title: TITLE, body: 'ratio() divides by the month count' },
        errorSignature: 'ZeroDivisionError: division by zero',
        attempts: [],
        finalPatch:
          'diff --git a/reports/ratio.py b/reports/ratio.py\n--- a/reports/ratio.py\n+++ b/reports/ratio.py\n@@ -1 +1 @@ def ratio(\n-return a / n\n+return a / n if n else 0\n',
        reproTest: '',
        files: ['reports/ratio.py'],
        symbols: ['ratio'],
        outcome: 'resolved',
        source: 'editor',
        createdAt: '2025-01-01T00:00:00.000Z',
      },
    ]);
  });

  it('registers the five LM tools with VS Code, with the declared schemas', async () => {
    await api();
    const ours = vscode.lm.tools.filter((t) => t.name.startsWith('dejafix_'));
    assert.deepEqual(ours.map((t) => t.name).sort(), [...TOOL_NAMES].sort());
    const recall = ours.find((t) => t.name === 'dejafix_recall')!;
    assert.deepEqual(recall.inputSchema, pkg.contributes.languageModelTools[0].inputSchema);
    assert.ok(recall.description.length > 300);
  });

  it('vscode.lm.invokeTool("dejafix_recall") returns the past repair', async () => {
    await api();
    const r = await vscode.lm.invokeTool('dejafix_recall', {
      input: { query: 'ZeroDivisionError ratio report empty month', minRelevance: 0 },
      toolInvocationToken: undefined,
    });
    assert.match(text(r), /\[resolved\] Agent integration: ZeroDivisionError in ratio report/);
    assert.match(text(r), /reports\/ratio\.py/);
  });

  it('dejafix_feedback asks first, then hides the repair from that query in recall; undo brings it back', async () => {
    const { agents } = await api();
    const query = 'ZeroDivisionError ratio report empty month';
    const recalled = async () =>
      text(await vscode.lm.invokeTool('dejafix_recall', { input: { query, minRelevance: 0 }, toolInvocationToken: undefined }));
    assert.match(await recalled(), /episode ep-agents-it/);
    const tool = lmTool('dejafix_feedback', agents.tools, { debug() {}, info() {}, warn() {}, error() {} });
    const input = { id: 'ep-agents-it', verdict: 'not-relevant' as const, query };
    const prepared = await tool.prepareInvocation!({ input }, new vscode.CancellationTokenSource().token);
    assert.ok(prepared && 'confirmationMessages' in prepared && prepared.confirmationMessages, 'feedback asks for confirmation');
    assert.match(
      String((prepared.confirmationMessages!.message as vscode.MarkdownString).value),
      /Mark the past repair or lesson `ep-agents-it` \*\*not relevant\*\* for this issue\?/,
    );
    const token = new vscode.CancellationTokenSource().token;
    assert.match(text(await tool.invoke({ input, toolInvocationToken: undefined }, token)), /Marked episode ep-agents-it not relevant/);
    assert.doesNotMatch(await recalled(), /episode ep-agents-it/);
    const undo = { input: { ...input, undo: true }, toolInvocationToken: undefined };
    assert.match(text(await tool.invoke(undo, token)), /Took back "not relevant" on episode ep-agents-it/);
    assert.match(await recalled(), /episode ep-agents-it/);
  });

  it('answers a bad call with text that tells the model what to fix', async () => {
    await api();
    const r = await vscode.lm.invokeTool('dejafix_recall', { input: { query: 'x', k: 500 }, toolInvocationToken: undefined });
    assert.match(text(r), /Invalid arguments for dejafix_recall: k: .*call dejafix_recall again/);
    const c = await vscode.lm.invokeTool('dejafix_compose_prompt', {
      input: { stage: 'fix', issue: { body: 'ZeroDivisionError in ratio report' } },
      toolInvocationToken: undefined,
    });
    assert.match(text(c), /ZeroDivisionError/);
  });

  it("asks before writes, and records an agent's attempts and outcome on the editor's repair session", async () => {
    const { app, agents } = await api();
    const tool = lmTool('dejafix_record_attempt', agents.tools, { debug() {}, info() {}, warn() {}, error() {} });
    const prepared = await tool.prepareInvocation!(
      { input: { command: 'pytest tests/test_ratio.py', exitCode: 1, issue: { title: 'Ratio of empty month' } } },
      new vscode.CancellationTokenSource().token,
    );
    assert.ok(prepared && 'confirmationMessages' in prepared && prepared.confirmationMessages, 'record_attempt asks for confirmation');
    assert.match(
      String((prepared.confirmationMessages!.message as vscode.MarkdownString).value),
      /Save the test run `pytest tests\/test_ratio\.py` \(exit 1\)/,
    );
    const readOnly = await lmTool('dejafix_recall', agents.tools, { debug() {}, info() {}, warn() {}, error() {} }).prepareInvocation!(
      { input: { query: 'x' } },
      new vscode.CancellationTokenSource().token,
    );
    assert.ok(readOnly && !('confirmationMessages' in readOnly && readOnly.confirmationMessages), 'recall asks nothing');

    if (app.sessions.active()) await app.endSession('abandoned');
    const first = await tool.invoke(
      {
        input: {
          command: 'pytest tests/test_ratio.py',
          exitCode: 1,
          output: 'ZeroDivisionError',
          issue: { title: 'Ratio of empty month' },
          patch: '',
        },
        toolInvocationToken: undefined,
      },
      new vscode.CancellationTokenSource().token,
    );
    assert.match(text(first), /Opened repair session .* as agent:copilot/);
    assert.equal(app.sessions.active()?.issue.title, 'Ratio of empty month');
    assert.equal(app.sessions.active()?.source, 'agent:copilot');
    await (
      await agents.tools()
    ).run('dejafix_record_attempt', { command: 'pytest tests/test_ratio.py', exitCode: 0, patch: '', agent: 'claude-code' });
    const done = await (
      await agents.tools()
    ).run('dejafix_record_outcome', {
      outcome: 'resolved',
      finalPatch: 'diff --git a/reports/ratio.py b/reports/ratio.py\n--- a/reports/ratio.py\n+++ b/reports/ratio.py\n@@ -1 +1 @@\n-x\n+y\n',
    });
    assert.equal(app.sessions.active(), undefined, 'the session ended');
    written.push(String(done.data.episodeId));
    const ep = (await (await app.memory.open()).getEpisode(String(done.data.episodeId)))!;
    assert.deepEqual(
      ep.attempts.map((a) => [a.outcome, a.by]),
      [
        ['failed', 'agent:copilot'],
        ['passed', 'agent:claude-code'],
      ],
    );
    assert.deepEqual(ep.files, ['reports/ratio.py']);
    await app.idle();
  });

  it('registers the @dejafix chat participant with follow-ups', async () => {
    const { agents } = await api();
    assert.equal(agents.participant.id, 'dejafix.chat');
    assert.equal(typeof agents.participant.requestHandler, 'function');
    assert.ok(agents.participant.followupProvider);
  });

  it("gives VS Code an MCP server definition that starts and serves the editor's store", async () => {
    const { app, agents } = await api();
    const [def] = (await agents.mcpProvider.provideMcpServerDefinitions(
      new vscode.CancellationTokenSource().token,
    )) as vscode.McpStdioServerDefinition[];
    assert.equal(def.label, 'Dejafix');
    assert.ok(def.args.includes(app.memory.location()));
    const env = Object.fromEntries(Object.entries({ ...process.env, ...def.env }).filter(([, v]) => typeof v === 'string')) as Record<
      string,
      string
    >;
    // Spoken as plain JSON-RPC lines, as VS Code's MCP client does over stdio.
    const child = spawn(def.command, [...def.args, '--embedder', 'none'], { env, cwd: def.cwd?.fsPath, stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const answers = new Map<number, Record<string, unknown>>();
    const waiting = new Map<number, () => void>();
    createInterface({ input: child.stdout }).on('line', (line) => {
      const msg = JSON.parse(line) as { id?: number };
      if (typeof msg.id === 'number') {
        answers.set(msg.id, msg);
        waiting.get(msg.id)?.();
      }
    });
    const request = (id: number, method: string, params: unknown) =>
      new Promise<Record<string, unknown>>((resolve) => {
        waiting.set(id, () => resolve(answers.get(id)!));
        child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id, method, params })}\n`);
      });
    try {
      const init = await request(1, 'initialize', {
        protocolVersion: '2025-06-18',
        capabilities: {},
        clientInfo: { name: 'vscode-it', version: '1' },
      });
      assert.ok(init.result, `initialize failed: ${JSON.stringify(init)} ${stderr}`);
      child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' })}\n`);
      const r = (await request(2, 'tools/call', {
        name: 'dejafix_recall',
        arguments: { query: 'ZeroDivisionError ratio report empty month', minRelevance: 0 },
      })) as { result: { content: { text: string }[] } };
      assert.match(r.result.content[0].text, /Agent integration: ZeroDivisionError/);
    } finally {
      child.stdin.end();
      await new Promise((resolve) => child.on('close', resolve));
    }
  });
});
