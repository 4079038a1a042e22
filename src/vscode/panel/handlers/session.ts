// The panel's answers to the "looks fixed — save as resolved?" offer and its save confirmation,
// and the chat's "Set Anthropic API Key" action.
import type { Handler } from './context';

export const sessionSaveResolved: Handler<'session.saveResolved'> = async (_message, ctx) => {
  await ctx.backend.saveResolved();
  await ctx.refresh();
};

export const sessionKeepWorking: Handler<'session.keepWorking'> = async (_message, ctx) => {
  ctx.backend.keepWorking();
  await ctx.refresh();
};

export const sessionDismissSaved: Handler<'session.dismissSaved'> = async (_message, ctx) => {
  ctx.backend.dismissSaved();
  await ctx.refresh();
};

export const chatSetApiKey: Handler<'chat.setApiKey'> = async (_message, ctx) => {
  await ctx.backend.setAnthropicKey();
  await ctx.refresh();
};

export const chatSetupVsCodeModel: Handler<'chat.setupVsCodeModel'> = async (_message, ctx) => {
  await ctx.backend.setupVsCodeModel();
};
