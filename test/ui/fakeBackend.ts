// A PanelBackend that records what the panel's handlers asked of it, for the host-side tests.
import type { ChatRequest, InsightChange, PanelBackend, Unsubscribe } from '../../src/vscode/panel/backend';
import type { ChatMessage, PanelState, Stage } from '../../src/shared/viewModel';
import { demoState } from './fixtures/demoState';
import type { HealthView } from '../../src/shared/health';
import type { ToWebview } from '../../src/shared/toWebview';
import { PanelController } from '../../src/vscode/panel/controller';

export type ChatScript = (req: ChatRequest, signal: AbortSignal, onDelta: (t: string) => void) => Promise<void>;

export class FakeBackend implements PanelBackend {
  calls: string[] = [];
  state: PanelState = demoState();
  key = 'session-231';
  conversations = new Map<string, ChatMessage[]>();
  failing = new Set<string>();
  chatScript: ChatScript = async (_req, _signal, onDelta) => {
    onDelta('Hello');
    onDelta(', world');
  };
  private listeners: (() => void)[] = [];

  private async run<T>(name: string, value: T): Promise<T> {
    if (this.failing.has(name)) throw new Error(`${name} is broken`);
    return value;
  }

  activeIssue() {
    return this.run('activeIssue', this.state.issue);
  }
  conversationKey() {
    return this.key;
  }
  recalled() {
    return this.run('recalled', this.state.episodes);
  }
  recallThreshold() {
    return this.run('recallThreshold', this.state.threshold);
  }
  /** What "Show weaker matches" brings back (the fake's recall without the threshold). */
  weakerEpisodes: PanelState['episodes'] = [];
  async showWeaker() {
    this.calls.push('showWeaker');
    this.state = {
      ...this.state,
      episodes: this.weakerEpisodes,
      threshold: { minRelevance: this.state.threshold?.minRelevance ?? 0.15, weaker: true },
    };
  }
  insights() {
    return this.run('insights', this.state.insights);
  }
  providers() {
    return this.run('providers', this.state.providers);
  }
  async feedbackEpisode(id: string, verdict: 'not-relevant') {
    this.calls.push(`feedback ${id} ${verdict}`);
    this.state = { ...this.state, episodes: this.state.episodes.filter((e) => e.id !== id) };
  }
  async undoNotRelevant(id: string) {
    this.calls.push(`undo ${id}`);
  }
  async insightAction(id: string, change: InsightChange) {
    this.calls.push(`insight ${id} ${JSON.stringify(change)}`);
  }
  async compose(stage: Stage) {
    this.calls.push(`compose ${stage}`);
    return this.run('compose', { text: `prompt for ${stage}`, tokens: 3 });
  }
  chat(req: ChatRequest, signal: AbortSignal, onDelta: (t: string) => void) {
    this.calls.push(`chat ${req.provider} ${req.messages.length}`);
    return this.chatScript(req, signal, onDelta);
  }
  async openPatch(id: string, attemptId?: string) {
    this.calls.push(`openPatch ${id} ${attemptId ?? '-'}`);
  }
  async share(id: string, to: string) {
    this.calls.push(`share ${id} ${to}`);
  }
  async insertAtCursor(code: string) {
    this.calls.push(`insert ${code}`);
  }
  async copyToClipboard(text: string) {
    this.calls.push(`copy ${text}`);
  }
  /** What openInCopilotChat reports: a chat opened, or the prompt was copied. */
  copilot: 'opened' | 'copied' = 'opened';
  async openInCopilotChat(prompt: string) {
    this.calls.push(`copilot ${prompt.length}`);
    return this.run('openInCopilotChat', this.copilot);
  }
  async setAnthropicKey() {
    this.calls.push('setAnthropicKey');
  }
  async setupVsCodeModel() {
    this.calls.push('setupVsCodeModel');
  }
  resolveOffer() {
    return this.state.offer;
  }
  lastSaved() {
    return this.state.saved;
  }
  async saveResolved() {
    this.calls.push('saveResolved');
    this.state = {
      ...this.state,
      issue: null,
      offer: null,
      saved: { episodeId: 'ep-saved', title: this.state.issue?.title ?? '', outcome: 'resolved', attempts: 3 },
    };
  }
  keepWorking() {
    this.calls.push('keepWorking');
    this.state = { ...this.state, offer: null };
  }
  dismissSaved() {
    this.calls.push('dismissSaved');
    this.state = { ...this.state, saved: null };
  }
  async loadConversation(key: string) {
    return this.run('loadConversation', [...(this.conversations.get(key) ?? [])]);
  }
  async saveConversation(key: string, messages: ChatMessage[]) {
    this.calls.push(`save ${key} ${messages.length}`);
    this.conversations.set(key, [...messages]);
  }
  /** What memoryHealth does: by default, reports progress twice and returns `healthReport`. */
  healthReport: HealthView | undefined;
  healthScript: (signal: AbortSignal, onProgress: (done: number, total: number) => void) => Promise<HealthView> = async (
    _signal,
    onProgress,
  ) => {
    onProgress(1, 2);
    onProgress(2, 2);
    if (!this.healthReport) throw new Error('no health report scripted');
    return this.healthReport;
  };
  memoryHealth(signal: AbortSignal, onProgress: (done: number, total: number) => void) {
    this.calls.push('memoryHealth');
    return this.healthScript(signal, onProgress);
  }
  onDidChange(listener: () => void): Unsubscribe {
    this.listeners.push(listener);
    return {
      dispose: () => {
        this.listeners = this.listeners.filter((l) => l !== listener);
      },
    };
  }
  fireChange() {
    for (const l of this.listeners) l();
  }
}

export class RecordingLogger {
  lines: string[] = [];
  debug(m: string) {
    this.lines.push(`debug ${m}`);
  }
  info(m: string) {
    this.lines.push(`info ${m}`);
  }
  warn(m: string) {
    this.lines.push(`warn ${m}`);
  }
  error(m: string) {
    this.lines.push(`error ${m}`);
  }
}

/** A panel controller over a fresh FakeBackend, recording what it sends to the webview (host tests). */
export function hostSetup() {
  const backend = new FakeBackend();
  const log = new RecordingLogger();
  const controller = new PanelController(backend, log, () => '2026-11-20T10:00:00.000Z');
  const sent: ToWebview[] = [];
  controller.attach((m) => sent.push(m));
  return { backend, log, controller, sent };
}

/** The messages of one type among those sent. */
export const sentOf = <T extends ToWebview['type']>(sent: ToWebview[], type: T) =>
  sent.filter((m): m is Extract<ToWebview, { type: T }> => m.type === type);
