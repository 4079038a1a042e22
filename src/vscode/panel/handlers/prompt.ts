import { errorText } from '../../../core/util/errors';
import { oneLine } from '../../../core/util/text';
import type { Handler } from './context';

export const promptCompose: Handler<'prompt.compose'> = async (message, ctx) => {
  const { requestId, stage } = message;
  try {
    const { text, tokens } = await ctx.backend.compose(stage);
    ctx.post({ type: 'compose.result', requestId, stage, text, tokens });
  } catch (e) {
    ctx.log.warn(`Composing the ${stage} prompt failed: ${oneLine(errorText(e))}`);
    ctx.post({ type: 'compose.error', requestId, stage, message: errorText(e) });
  }
};

export const promptOpenInCopilot: Handler<'prompt.openInCopilot'> = async (message, ctx) => {
  const how = await ctx.backend.openInCopilotChat(message.prompt);
  if (how === 'copied')
    ctx.notify('info', 'Copilot Chat is not available in this editor: the prompt was copied to the clipboard — paste it into your chat.');
};
