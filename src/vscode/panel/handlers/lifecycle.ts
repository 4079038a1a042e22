import { oneLine } from '../../../core/util/text';
import type { Handler } from './context';

export const ready: Handler<'ready'> = async (_message, ctx) => {
  await ctx.refresh();
};

export const webviewError: Handler<'webview.error'> = async (message, ctx) => {
  ctx.log.warn(`the webview reported an error: ${oneLine(message.message)}`);
};
