// What the panel remembers about itself across hiding and reloads (getState/setState): the last
// state from the host, so it renders at once, and what the user was doing (expanded cards, the
// edited prompt, the unsent message).
import type { HealthView } from '../shared/health';
import type { PanelState, PendingReply, ProviderId, Stage } from '../shared/viewModel';
import { providerIds, stages } from '../shared/viewModel';

export interface PromptDraft {
  /** The conversation/session the prompt was composed for. */
  sessionId: string;
  stage: Stage;
  text: string;
  tokens: number;
  edited: boolean;
}

export interface UiState {
  v: 1;
  snapshot: PanelState | null;
  expanded: string[];
  /** Episodes marked not relevant, hidden until the host confirms with a new state. */
  hidden: string[];
  /** Episodes marked not relevant in this session, oldest first: "2 hidden · Undo" brings back the last. */
  dismissed: { id: string; title: string }[];
  editing: { id: string; text: string } | null;
  stage: Stage;
  prompt: PromptDraft | null;
  draft: string;
  provider: ProviderId;
  /** The reply being streamed, as far as it has arrived. */
  streaming: PendingReply | null;
  /** The last Memory Health report while its view is open (a measurement can take minutes). */
  health: HealthView | null;
}

export function initialUiState(): UiState {
  return {
    v: 1,
    snapshot: null,
    expanded: [],
    hidden: [],
    dismissed: [],
    editing: null,
    stage: 'fix',
    prompt: null,
    draft: '',
    provider: 'anthropic',
    streaming: null,
    health: null,
  };
}

/** Restores persisted state, falling back to defaults for anything missing or malformed. */
export function restoreUiState(saved: unknown): UiState {
  const s = initialUiState();
  if (typeof saved !== 'object' || saved === null || (saved as { v?: unknown }).v !== 1) return s;
  const o = saved as Partial<UiState>;
  const strings = (x: unknown) => (Array.isArray(x) ? x.filter((v): v is string => typeof v === 'string') : []);
  return {
    ...s,
    snapshot: typeof o.snapshot === 'object' && o.snapshot !== null ? o.snapshot : null,
    expanded: strings(o.expanded),
    hidden: strings(o.hidden),
    dismissed: Array.isArray(o.dismissed)
      ? o.dismissed.filter((d): d is { id: string; title: string } => typeof d?.id === 'string' && typeof d?.title === 'string').slice(-50)
      : [],
    stage: stages.includes(o.stage as Stage) ? (o.stage as Stage) : s.stage,
    provider: providerIds.includes(o.provider as ProviderId) ? (o.provider as ProviderId) : s.provider,
    prompt: typeof o.prompt === 'object' && o.prompt !== null && typeof o.prompt.text === 'string' ? o.prompt : null,
    draft: typeof o.draft === 'string' ? o.draft : '',
    editing: typeof o.editing === 'object' && o.editing !== null && typeof o.editing.text === 'string' ? o.editing : null,
    streaming: null,
    health:
      typeof o.health === 'object' &&
      o.health !== null &&
      Array.isArray(o.health.months) &&
      Array.isArray(o.health.repos) &&
      typeof o.health.overall === 'object' &&
      o.health.overall !== null
        ? o.health
        : null,
  };
}
