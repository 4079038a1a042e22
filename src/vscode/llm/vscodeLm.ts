// The core's LlmProvider over VS Code's language models (vscode.lm: Copilot and any other model an
// extension contributes), so users without an Anthropic key still get chat and reflection.
import * as vscode from 'vscode';
import { LlmError } from '../../core/llm/errors';
import type { LlmCompletion, LlmProvider, LlmRequest, LlmStructured, LlmTool } from '../../core/llm/provider';
import { parseToolInput, toolInputSchema } from '../../core/llm/structured';
import { countTokens } from '../../core/llm/tokens';
import { errorText } from '../../core/util/errors';

export class VscodeLmProvider implements LlmProvider {
  readonly id: string;
  readonly model: string;

  constructor(private readonly chatModel: vscode.LanguageModelChat) {
    this.model = chatModel.id;
    this.id = `vscode-lm:${chatModel.vendor}/${chatModel.id}`;
  }

  /** The first model matching the family setting (any when empty), or undefined when there is none. */
  static async select(family: string): Promise<VscodeLmProvider | undefined> {
    const models = await vscode.lm.selectChatModels(family ? { family } : {});
    return models[0] ? new VscodeLmProvider(models[0]) : undefined;
  }

  complete(req: LlmRequest): Promise<LlmCompletion> {
    return this.stream(req, () => undefined);
  }

  async stream(req: LlmRequest, onText: (delta: string) => void): Promise<LlmCompletion> {
    const res = await this.send(req, {});
    let text = '';
    try {
      for await (const part of res.text) {
        text += part;
        onText(part);
      }
    } catch (e) {
      throw this.error(e, req.signal);
    }
    return this.completion(req, text);
  }

  async structured<T>(req: LlmRequest, tool: LlmTool<T>): Promise<LlmStructured<T>> {
    const res = await this.send(req, {
      tools: [{ name: tool.name, description: tool.description, inputSchema: toolInputSchema(tool) }],
      toolMode: vscode.LanguageModelChatToolMode.Required,
    });
    let input: unknown;
    let called = false;
    try {
      for await (const part of res.stream) {
        if (part instanceof vscode.LanguageModelToolCallPart && part.name === tool.name) {
          input = part.input;
          called = true;
        }
      }
    } catch (e) {
      throw this.error(e, req.signal);
    }
    if (!called) throw new LlmError('malformed', `${this.id} answered without calling ${tool.name}.`);
    const value = parseToolInput(tool, input);
    return { value, usage: { inputTokens: 0, outputTokens: 0 }, model: this.model };
  }

  private async send(req: LlmRequest, options: vscode.LanguageModelChatRequestOptions): Promise<vscode.LanguageModelChatResponse> {
    // VS Code's chat API has no system role: the instructions go first, as the user's framing.
    const messages = [
      ...(req.system ? [vscode.LanguageModelChatMessage.User(req.system)] : []),
      ...req.messages.map((m) =>
        m.role === 'user' ? vscode.LanguageModelChatMessage.User(m.content) : vscode.LanguageModelChatMessage.Assistant(m.content),
      ),
    ];
    const cts = new vscode.CancellationTokenSource();
    const abort = () => cts.cancel();
    req.signal?.addEventListener('abort', abort, { once: true });
    try {
      return await this.chatModel.sendRequest(
        messages,
        { justification: 'Dejafix composes prompts from your repair history and distils lessons from it.', ...options },
        cts.token,
      );
    } catch (e) {
      throw this.error(e, req.signal);
    }
  }

  private completion(req: LlmRequest, text: string): LlmCompletion {
    return {
      text,
      stopReason: req.signal?.aborted ? 'other' : 'end',
      usage: {
        inputTokens: countTokens([req.system ?? '', ...req.messages.map((m) => m.content)].join('\n')),
        outputTokens: countTokens(text),
      },
      model: this.model,
    };
  }

  private error(e: unknown, signal?: AbortSignal): LlmError {
    if (e instanceof LlmError) return e;
    if (signal?.aborted) return new LlmError('aborted', 'Cancelled.');
    if (e instanceof vscode.LanguageModelError) {
      if (e.code === vscode.LanguageModelError.NoPermissions.name)
        return new LlmError(
          'auth',
          `${this.id}: Dejafix may not use this model yet. Allow it when VS Code asks, or pick another provider in the dejafix.llm.provider setting.`,
          { cause: e },
        );
      if (e.code === vscode.LanguageModelError.Blocked.name)
        return new LlmError('rate-limited', `${this.id} refused the request (blocked or over quota): ${e.message}`, { cause: e });
      if (e.code === vscode.LanguageModelError.NotFound.name)
        return new LlmError('bad-request', `${this.id} is no longer available. Pick another model.`, { cause: e });
    }
    return new LlmError('server', `${this.id} failed: ${errorText(e)}`, { cause: e });
  }
}
