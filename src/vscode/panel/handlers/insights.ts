import type { InsightChange } from '../backend';
import type { Handler, HandlerContext } from './context';

async function change(ctx: HandlerContext, insightId: string, what: InsightChange): Promise<void> {
  if (!ctx.shown()?.insights.some((i) => i.id === insightId)) {
    ctx.log.warn(`action on an insight it does not show (${insightId.slice(0, 80)}); ignored`);
    return;
  }
  await ctx.backend.insightAction(insightId, what);
  await ctx.refresh();
}

export const insightAction: Handler<'insight.action'> = (message, ctx) => change(ctx, message.insightId, message.action);

export const insightEdit: Handler<'insight.edit'> = (message, ctx) => change(ctx, message.insightId, { edit: message.text.trim() });

export const insightShare: Handler<'insight.share'> = async (message, ctx) => {
  if (!ctx.shown()?.insights.some((i) => i.id === message.insightId)) {
    ctx.log.warn(`share requested for an insight it does not show (${message.insightId.slice(0, 80)}); ignored`);
    return;
  }
  await ctx.backend.share(message.insightId, message.to);
};
