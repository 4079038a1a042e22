import type { Handler } from './context';

export const codeCopy: Handler<'code.copy'> = async (message, ctx) => {
  await ctx.backend.copyToClipboard(message.code);
  ctx.notify('info', 'Copied to the clipboard.');
};

export const codeInsert: Handler<'code.insert'> = async (message, ctx) => {
  await ctx.backend.insertAtCursor(message.code);
};
