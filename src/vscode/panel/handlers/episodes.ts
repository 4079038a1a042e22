import type { Handler, HandlerContext } from './context';

function shownEpisode(ctx: HandlerContext, episodeId: string) {
  return ctx.shown()?.episodes.find((e) => e.id === episodeId);
}

export const episodeNotRelevant: Handler<'episode.notRelevant'> = async (message, ctx) => {
  if (!shownEpisode(ctx, message.episodeId)) {
    ctx.log.warn(`"not relevant" for an episode it does not show (${message.episodeId.slice(0, 80)}); ignored`);
    return;
  }
  await ctx.backend.feedbackEpisode(message.episodeId, 'not-relevant');
  await ctx.refresh();
};

export const episodeUndoNotRelevant: Handler<'episode.undoNotRelevant'> = async (message, ctx) => {
  await ctx.backend.undoNotRelevant(message.episodeId);
  await ctx.refresh();
};

export const recallShowWeaker: Handler<'recall.showWeaker'> = async (_message, ctx) => {
  if (!ctx.shown()?.issue) {
    ctx.log.warn('"show weaker matches" without an open issue; ignored');
    return;
  }
  await ctx.backend.showWeaker();
  await ctx.refresh();
};

export const episodeOpenPatch: Handler<'episode.openPatch'> = async (message, ctx) => {
  if (message.attemptId === undefined && ctx.shown()?.saved?.episodeId === message.episodeId) {
    await ctx.backend.openPatch(message.episodeId); // the episode just saved (the confirmation links to it)
    return;
  }
  const episode = shownEpisode(ctx, message.episodeId);
  if (!episode) {
    ctx.log.warn(`patch requested for an episode it does not show (${message.episodeId.slice(0, 80)}); ignored`);
    return;
  }
  if (message.attemptId !== undefined && !episode.attempts.some((a) => a.id === message.attemptId)) {
    ctx.log.warn(`patch requested for an unknown attempt of ${episode.id}; ignored`);
    return;
  }
  await ctx.backend.openPatch(message.episodeId, message.attemptId);
};

export const episodeShare: Handler<'episode.share'> = async (message, ctx) => {
  if (!shownEpisode(ctx, message.episodeId)) {
    ctx.log.warn(`share requested for an episode it does not show (${message.episodeId.slice(0, 80)}); ignored`);
    return;
  }
  await ctx.backend.share(message.episodeId, message.to);
};
