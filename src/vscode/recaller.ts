// Recall for the active issue, kept until the issue or the store changes, so the panel, the status
// bar and the chat all show the same memories. Feedback ("not relevant", opened, prompted) and the
// recall log go to the store (core/feedback), so the CLI, MCP, hooks and teammates honour them:
// "not relevant" hides an episode for this issue and lowers it, by a bounded amount, elsewhere.
import * as vscode from 'vscode';
import { episodeIdOf, type SessionState } from '../core/capture/session';
import type { Episode } from '../core/model/episode';
import type { RecallHit } from '../core/recall/recall';
import type { InsightHit } from '../core/recall/insights';
import type { FeedbackKind } from '../core/feedback/feedback';
import { errorText } from '../core/util/errors';
import type { Logger } from '../core/util/logger';
import type { Memory } from './memory';
import type { Settings } from './settings';
import { editorWorkspaceCode } from './workspaceCode';

export interface Recalled {
  sessionId: string;
  hits: RecallHit[];
  episodes: Map<string, Episode>;
  insights: InsightHit[];
  /** The threshold this recall used (0 after "Show weaker matches"). */
  minRelevance: number;
}

export class Recaller implements vscode.Disposable {
  private current: Promise<Recalled> | undefined;
  private currentFor: string | undefined;
  /** The session whose recall shows weaker matches too. */
  private weaker: string | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly recalled = new vscode.EventEmitter<Recalled>();
  /** Fires with each finished recall (the walkthrough's "first recall" step). */
  readonly onDidRecall = this.recalled.event;

  constructor(
    private readonly memory: Memory,
    private readonly settings: Settings,
    private readonly log: Logger,
  ) {}

  /** The memories for a session's issue (recalled once, then cached). */
  for(session: SessionState): Promise<Recalled> {
    if (this.current && this.currentFor === session.id) return this.current;
    this.currentFor = session.id;
    this.current = this.run(session).catch((e) => {
      this.current = undefined;
      throw e;
    });
    return this.current;
  }

  /** Throws the cache away (store changed, feedback given) and tells listeners. */
  invalidate(): void {
    this.current = undefined;
    this.changed.fire();
  }

  /** Recalls this session's issue again without the relevance threshold ("Show weaker matches"). */
  showWeaker(session: SessionState): void {
    this.weaker = session.id;
    this.invalidate();
  }

  /** "Not relevant" for this issue, kept in the store: hidden for this issue, lower for others (bounded). */
  async markNotRelevant(session: SessionState, episodeId: string): Promise<void> {
    await this.feedback(session, episodeId, 'not-relevant');
    this.invalidate();
  }

  /** Takes this issue's "not relevant" back (and its credit, if the session was already credited). */
  async undoNotRelevant(session: SessionState, episodeId: string): Promise<void> {
    const { undoFeedback } = await import('../core/feedback/feedback');
    if (
      await undoFeedback(await this.memory.open(), {
        subject: episodeId,
        kind: 'not-relevant',
        sessionId: session.id,
        query: issueText(session),
      })
    )
      this.invalidate();
  }

  /** Records what the user did with a recalled memory in this session (credited when it ends). */
  async feedback(
    session: SessionState,
    subject: string,
    kind: FeedbackKind,
    subjectKind: 'episode' | 'insight' = 'episode',
  ): Promise<void> {
    const { recordFeedback } = await import('../core/feedback/feedback');
    await recordFeedback(await this.memory.open(), { subject, kind, sessionId: session.id, query: issueText(session), subjectKind });
  }

  private async run(session: SessionState): Promise<Recalled> {
    const t0 = Date.now();
    const store = await this.memory.open();
    const embedder = await this.memory.embedderOrNone();
    const { recallWithContext } = await import('../core/recall/withContext');
    const text = issueText(session);
    const k = this.settings.get('recall.maxResults');
    // "Show weaker matches" lifts the threshold for this session only.
    const minRelevance = this.weaker === session.id ? 0 : this.settings.get('recall.minRelevance');
    const { hits, episodes, insights } = await recallWithContext(
      store,
      { text, repo: session.repo, k, minRelevance, excludeEpisodeId: episodeIdOf(session) },
      { embedder, log: this.log, workspaceCode: await editorWorkspaceCode(this.settings, this.log, session.folder) },
    );
    this.log.info(
      `recalled ${hits.length} episodes and ${insights.length} insights for "${session.issue.title.slice(0, 80)}" in ${Date.now() - t0} ms`,
    );
    // What was shown is credited when the session ends (see core/feedback).
    const { logRecall } = await import('../core/feedback/feedback');
    await logRecall(store, {
      sessionId: session.id,
      query: text,
      episodes: hits.map((h) => h.episodeId),
      insights: insights.map((i) => i.insight.id),
      source: 'panel',
    }).catch((e: unknown) => this.log.warn(`could not log the recall (feedback will not be credited): ${errorText(e)}`));
    const result = { sessionId: session.id, hits, episodes, insights, minRelevance };
    this.recalled.fire(result);
    return result;
  }

  dispose(): void {
    this.changed.dispose();
    this.recalled.dispose();
  }
}

export function issueText(s: SessionState): string {
  return `${s.issue.title}\n${s.issue.body}`;
}
