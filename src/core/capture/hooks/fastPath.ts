// Which hook events the warm server may handle itself (the sh fast path, dist/hook.sh): the ones that
// need neither the store nor the network — tool calls (a journal append), later prompts of an open
// session, a Stop that commits nothing. The rest (a session's first prompt: recall and perhaps a
// GitHub fetch; the first later prompt after a failing test run: recall again; a Stop after a fix
// and SessionEnd: the commit) go back to the Node hook untouched, so
// the server does exactly what the Node hook would have done, or nothing at all.
import { AGENT, midRepairDue, type HookDeps } from './claudeCode';
import type { HookEvent } from './event';
import { Journal } from './journal';
import { outcomeOf } from './outcome';

/** True when `e` must be handled by the Node hook (the server then does nothing with it). */
export async function needsNodeHook(e: HookEvent, d: Pick<HookDeps, 'agent' | 'journalDir'>): Promise<boolean> {
  switch (e.event) {
    case 'PostToolUse':
    case 'PostToolUseFailure':
      return false;
    case 'UserPromptSubmit': {
      if (!(e.prompt ?? '').trim()) return false;
      const entries = await new Journal(d.journalDir, d.agent ?? AGENT, e.sessionId).read();
      return !entries.some((x) => x.t === 'open') || midRepairDue(entries);
    }
    case 'Stop': {
      const entries = await new Journal(d.journalDir, d.agent ?? AGENT, e.sessionId).read();
      const runs = entries.filter((x) => x.t === 'run') as { exitCode: number | null }[];
      return runs.length > 0 && outcomeOf(runs) === 'resolved';
    }
    case 'SessionEnd':
      return true;
    default:
      return false;
  }
}
