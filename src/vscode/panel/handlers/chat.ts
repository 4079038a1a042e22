// Chat: the host owns the conversation (saved per repair session through the backend) and the
// reply being streamed; the panel only renders them.
import type { ChatMessage } from '../../../shared/viewModel';
import { errorText } from '../../../core/util/errors';
import { oneLine } from '../../../core/util/text';
import type { Handler, HandlerContext } from './context';

/** A message for another conversation than the current one: the panel is out of date. */
async function staleSession(ctx: HandlerContext, sessionId: string): Promise<boolean> {
  if (sessionId === ctx.backend.conversationKey()) return false;
  ctx.log.warn('chat message for another session than the active one; refreshing the panel');
  ctx.notify('warning', 'The repair session changed; the panel was refreshed. Send again if you still want to.');
  await ctx.refresh();
  return true;
}

export const chatSend: Handler<'chat.send'> = async (message, ctx) => {
  const { requestId, provider } = message;
  if (await staleSession(ctx, message.sessionId)) return;
  const key = message.sessionId;
  const run = ctx.chat.start(requestId, key, provider);
  if (!run) {
    ctx.post({ type: 'chat.error', requestId, message: 'A reply is still streaming: stop it or wait for it to finish.' });
    return;
  }
  try {
    const user: ChatMessage = { role: 'user', content: message.text, at: ctx.now() };
    const messages = [...(await ctx.backend.loadConversation(key)), user];
    await ctx.backend.saveConversation(key, messages);
    ctx.post({ type: 'chat.started', requestId, sessionId: key, message: user });
    let failure: unknown;
    try {
      await ctx.backend.chat({ messages, provider }, run.abort.signal, (delta) => {
        if (run.abort.signal.aborted || typeof delta !== 'string' || !delta) return;
        run.text += delta;
        ctx.post({ type: 'chat.delta', requestId, text: delta });
      });
    } catch (e) {
      if (!run.abort.signal.aborted) failure = e;
    }
    const stopped = run.abort.signal.aborted || failure !== undefined;
    if (run.discarded) return;
    if (run.text) {
      const reply: ChatMessage = { role: 'assistant', content: run.text, at: ctx.now(), provider, ...(stopped ? { stopped } : {}) };
      await ctx.backend.saveConversation(key, [...messages, reply]);
      if (failure === undefined) ctx.post({ type: 'chat.done', requestId, message: reply });
    } else if (failure === undefined) {
      ctx.post({ type: 'chat.done', requestId, message: { role: 'assistant', content: '', at: ctx.now(), provider, stopped: true } });
    }
    if (failure !== undefined) {
      ctx.log.warn(`Chat with ${provider} failed: ${oneLine(errorText(failure))}`);
      ctx.post({ type: 'chat.error', requestId, message: errorText(failure) });
    }
  } finally {
    ctx.chat.finish(run);
  }
};

export const chatStop: Handler<'chat.stop'> = async (message, ctx) => {
  if (!ctx.chat.stop(message.requestId)) ctx.log.debug(`stop for a reply that is not streaming (${message.requestId})`);
};

export const chatClear: Handler<'chat.clear'> = async (message, ctx) => {
  if (await staleSession(ctx, message.sessionId)) return;
  const run = ctx.chat.active;
  if (run && run.key === message.sessionId) {
    run.discarded = true;
    run.abort.abort();
  }
  await ctx.backend.saveConversation(message.sessionId, []);
  await ctx.refresh();
};
