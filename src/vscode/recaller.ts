// Recall for the active issue, kept until the issue or the store changes, so the panel, the status
// bar and the chat all show the same memories. "Not relevant" hides an episode for this issue
// and ranks it lower for issues worded like this one.
import * as vscode from 'vscode';
import { episodeIdOf, type SessionState } from '../core/capture/session';
import type { Episode } from '../core/model/episode';
import type { RecallHit } from '../core/recall/recall';
import type { InsightHit } from '../core/recall/insights';
import type { Logger } from '../core/util/logger';
import type { Memory } from './memory';
import type { Settings } from './settings';

export interface Recalled {
  sessionId: string;
  hits: RecallHit[];
  episodes: Map<string, Episode>;
  insights: InsightHit[];
  /** The threshold this recall used (0 after "Show weaker matches"). */
  minRelevance: number;
}

interface NotRelevantMark {
  episodeId: string;
  words: string[];
}

const MARKS = 'dejafix.notRelevant';
const MAX_MARKS = 500;
/** An episode marked "not relevant" for an issue this similar (word overlap) is ranked lower. */
const SIMILAR = 0.3;
const DEMOTE = 0.5;

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
    private readonly global: vscode.Memento,
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

  async markNotRelevant(session: SessionState, episodeId: string): Promise<void> {
    const marks = this.global
      .get<NotRelevantMark[]>(MARKS, [])
      .filter((m) => !(m.episodeId === episodeId && same(m.words, words(issueText(session)))));
    marks.push({ episodeId, words: words(issueText(session)) });
    await this.global.update(MARKS, marks.slice(-MAX_MARKS));
    this.invalidate();
  }

  /** Drops the "not relevant" mark this issue put on the episode (similar issues' marks stay). */
  async undoNotRelevant(session: SessionState, episodeId: string): Promise<void> {
    const mine = words(issueText(session));
    const marks = this.global.get<NotRelevantMark[]>(MARKS, []);
    const kept = marks.filter((m) => !(m.episodeId === episodeId && same(m.words, mine)));
    if (kept.length === marks.length) return;
    await this.global.update(MARKS, kept);
    this.invalidate();
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
      { embedder, log: this.log, adjust: (raw) => this.applyMarks(raw, text) },
    );
    this.log.info(
      `recalled ${hits.length} episodes and ${insights.length} insights for "${session.issue.title.slice(0, 80)}" in ${Date.now() - t0} ms`,
    );
    const result = { sessionId: session.id, hits, episodes, insights, minRelevance };
    this.recalled.fire(result);
    return result;
  }

  private applyMarks(hits: RecallHit[], text: string): RecallHit[] {
    const mine = words(text);
    const marks = this.global.get<NotRelevantMark[]>(MARKS, []);
    const out: RecallHit[] = [];
    for (const h of hits) {
      const related = marks.filter((m) => m.episodeId === h.episodeId).map((m) => overlap(m.words, mine));
      if (related.some((o) => o >= 0.999)) continue; // marked for this very issue
      out.push(related.some((o) => o >= SIMILAR) ? { ...h, score: h.score * DEMOTE } : h);
    }
    return out.sort((a, b) => b.score - a.score);
  }

  dispose(): void {
    this.changed.dispose();
    this.recalled.dispose();
  }
}

export function issueText(s: SessionState): string {
  return `${s.issue.title}\n${s.issue.body}`;
}

function words(text: string): string[] {
  return [...new Set([...text.toLowerCase().matchAll(/[a-z0-9_]{3,}/g)].map((m) => m[0]))].slice(0, 200);
}

function overlap(a: string[], b: string[]): number {
  if (!a.length || !b.length) return 0;
  const sb = new Set(b);
  const both = a.filter((x) => sb.has(x)).length;
  return both / new Set([...a, ...b]).size;
}

function same(a: string[], b: string[]): boolean {
  return overlap(a, b) >= 0.999;
}
