import { oneLine } from '../../../core/util/text';
import type { Handler } from './context';

export const ready: Handler<'ready'> = async (_message, ctx) => {
  await ctx.refresh();
  // "Show Memory Health" ran before this panel could hear it.
  if (ctx.health.wanted) ctx.post({ type: 'health.open' });
};

export const webviewError: Handler<'webview.error'> = async (message, ctx) => {
  ctx.log.warn(`the webview reported an error: ${oneLine(message.message)}`);
};
