// The state the panel shows, gathered from the backend. A part that fails to load is logged and
// left empty, so one broken feature (say, the store) does not blank the whole panel.
import type { Logger } from '../../core/util/logger';
import type { PanelState } from '../../shared/viewModel';
import type { PanelBackend } from './backend';
import type { ChatRuns } from './chatRuns';
import { errorText } from '../../core/util/errors';
import { oneLine } from '../../core/util/text';

export async function buildState(backend: PanelBackend, chat: ChatRuns, log: Logger): Promise<PanelState> {
  const key = backend.conversationKey();
  const part = async <T>(name: string, load: () => Promise<T>, fallback: T): Promise<T> => {
    try {
      return await load();
    } catch (e) {
      log.warn(`loading ${name} failed: ${oneLine(errorText(e))}`);
      return fallback;
    }
  };
  const [issue, episodes, insights, providers, conversation, threshold] = await Promise.all([
    part('the active issue', () => backend.activeIssue(), null),
    part('recalled episodes', () => backend.recalled(), []),
    part('insights', () => backend.insights(), []),
    part('chat providers', () => backend.providers(), []),
    part('the conversation', () => backend.loadConversation(key), []),
    part('the recall threshold', () => backend.recallThreshold(), null),
  ]);
  const run = chat.active;
  const pending =
    run && run.key === key && !run.abort.signal.aborted ? { requestId: run.requestId, provider: run.provider, text: run.text } : null;
  return {
    issue,
    sessionId: key,
    episodes,
    insights,
    providers,
    conversation,
    pending,
    offer: backend.resolveOffer(),
    saved: backend.lastSaved(),
    threshold,
  };
}
