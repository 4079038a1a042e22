// Memory Health: measure the memory with the eval use case (through the backend) and stream the
// progress; Cancel stops it between two queries. Nothing to measure is a plain answer, not an error.
import { errorCode, errorText } from '../../../core/util/errors';
import type { HealthProblem } from '../../../shared/health';
import type { Handler } from './context';

const PLAIN: ReadonlySet<string> = new Set(['empty', 'no-resolved', 'too-few']);

export const healthRun: Handler<'health.run'> = async (message, ctx) => {
  const { requestId } = message;
  ctx.health.wanted = false;
  const signal = ctx.health.start(requestId);
  try {
    const report = await ctx.backend.memoryHealth(signal, (done, total) => ctx.post({ type: 'health.progress', requestId, done, total }));
    ctx.post({ type: 'health.result', requestId, report });
  } catch (e) {
    const code = errorCode(e) ?? '';
    const problem: HealthProblem = code === 'cancelled' || signal.aborted ? 'cancelled' : PLAIN.has(code) ? 'nothing' : 'failed';
    if (problem === 'failed') ctx.log.error(e, 'Memory Health failed');
    ctx.post({ type: 'health.error', requestId, problem, message: problem === 'cancelled' ? 'Stopped.' : errorText(e) });
  } finally {
    ctx.health.finish(requestId);
  }
};

export const healthCancel: Handler<'health.cancel'> = async (message, ctx) => {
  if (!ctx.health.cancel(message.requestId)) ctx.log.debug('cancel for a Memory Health run that is not running; ignored');
};
