// The `@dejafix` chat participant's handler: /recall, /insights, /compose, /remember, and plain
// questions (recall, then an answer from the chat's model when there is one). It uses VS Code types
// only, so its unit test drives it with a fake response stream and a real store.
import type * as vscode from 'vscode';
import type { SessionState } from '../../core/capture/session';
import { composePrompt, stages, type Stage } from '../../core/compose';
import type { Embedder } from '../../core/embed/embedder';
import { fenced } from '../../core/agent/format';
import { insightRoles, type Insight, type InsightRole } from '../../core/model/insight';
import { recallInsights } from '../../core/recall/insights';
import { recallWithContext } from '../../core/recall/withContext';
import { rememberLesson } from '../../core/reflect/remember';
import { insightsFor } from '../../core/store/queries';
import type { ExperienceStore } from '../../core/store/store';
import { childLogger, type Logger } from '../../core/util/logger';
import { episodeCard, insightView } from '../panel/toView';
import { episodeMarkdown, escapeMd, insightMarkdown } from './cards';
import { DejafixError, errorText } from '../../core/util/errors';
import type { WorkspaceCode } from '../../core/workspace/workspaceCode';

export interface ChatDeps {
  store(): Promise<ExperienceStore>;
  embedder(): Promise<Embedder | undefined>;
  /** The window's open repair session, if any: its issue is the default question. */
  session(): SessionState | undefined;
  /** The workspace's repository when no session is open. */
  repo(): Promise<string | undefined>;
  k(): number;
  /** The relevance threshold (the `dejafix.recall.minRelevance` setting). */
  minRelevance(): number;
  /** The open repository's code, for relevance (none when the setting is off or there is no checkout). */
  workspaceCode?(): Promise<WorkspaceCode | undefined>;
  log: Logger;
}

export interface DejafixChatResult extends vscode.ChatResult {
  metadata: { command: string; query?: string; episodes?: string[] };
}

type Stream = Pick<vscode.ChatResponseStream, 'markdown' | 'button' | 'progress'>;
type Request = Pick<vscode.ChatRequest, 'prompt' | 'command'> & { model?: vscode.LanguageModelChat };

export function chatHandler(deps: ChatDeps, lm?: { userMessage(text: string): vscode.LanguageModelChatMessage }) {
  return async (request: Request, _context: unknown, stream: Stream, token: vscode.CancellationToken): Promise<DejafixChatResult> => {
    const command = request.command ?? '';
    const text = request.prompt.toWellFormed().trim();
    const s = deps.session();
    const repo = s?.repo ?? (await deps.repo());
    const issueText = s ? `${s.issue.title}\n${s.issue.body}` : '';
    switch (command) {
      case 'recall':
        return recallCards(text || issueText, repo, stream, command);
      case 'insights':
        return insights(text, repo, stream);
      case 'compose':
        return compose(text, issueText, repo, stream);
      case 'remember':
        return remember(text, repo, stream);
      default: {
        const result = await recallCards(text || issueText, repo, stream, '');
        if (text && request.model && lm && !token.isCancellationRequested) await answer(text, repo, request.model, lm, stream, token);
        return result;
      }
    }
  };

  async function recallCards(query: string, repo: string | undefined, stream: Stream, command: string): Promise<DejafixChatResult> {
    if (!query) {
      stream.markdown(
        'Tell me the issue or paste the failure, e.g. `/recall TypeError when the date column is empty`, or open an issue with **Dejafix: Open Issue…**.',
      );
      return { metadata: { command } };
    }
    stream.progress('Searching past repairs…');
    const store = await deps.store();
    const minRelevance = deps.minRelevance();
    const {
      hits,
      episodes: found,
      insights: lessons,
    } = await recallWithContext(
      store,
      { text: query, repo, k: deps.k(), minRelevance },
      { embedder: await deps.embedder(), log: deps.log, workspaceCode: await deps.workspaceCode?.() },
    );
    if (hits.length === 0)
      stream.markdown(
        minRelevance > 0
          ? `No confident match: no past repair reached relevance ${minRelevance.toFixed(2)} (setting \`dejafix.recall.minRelevance\`; 0 shows the closest anyway).\n\n`
          : 'No similar past repair is remembered.\n\n',
      );
    for (const [i, h] of hits.entries()) {
      const e = found.get(h.episodeId);
      if (!e) continue;
      stream.markdown(`${episodeMarkdown(episodeCard(e, h), i + 1)}\n\n`);
      if (e.finalPatch.trim() || e.attempts.some((a) => a.patch.trim()))
        stream.button({ title: 'Open Patch', command: 'dejafix.openPatch', arguments: [e.id] });
    }
    const views = lessons.map((l) => insightView(l.insight)).filter((v) => v !== null);
    if (views.length) stream.markdown(`**Lessons**\n\n${views.map(insightMarkdown).join('\n')}\n`);
    return { metadata: { command: command || 'recall', query, episodes: hits.map((h) => h.episodeId) } };
  }

  async function insights(query: string, repo: string | undefined, stream: Stream): Promise<DejafixChatResult> {
    const store = await deps.store();
    let list: Insight[];
    if (query) list = (await recallInsights(store, { text: query, repo, k: 10 })).map((h) => h.insight);
    else {
      list = (await insightsFor(store, { repo: repo || null })).slice(0, 20);
    }
    const views = list.map((i) => insightView(i)).filter((v) => v !== null);
    if (views.length === 0)
      stream.markdown(
        query ? 'No lesson applies to that.' : 'No lessons yet. They are distilled from finished repairs, or add one with `/remember`.',
      );
    else stream.markdown(`**Lessons${repo ? ` for ${escapeMd(repo)}` : ''}**\n\n${views.map(insightMarkdown).join('\n')}\n`);
    return { metadata: { command: 'insights', query } };
  }

  async function compose(text: string, issueText: string, repo: string | undefined, stream: Stream): Promise<DejafixChatResult> {
    const first = text.split(/\s+/, 1)[0]?.toLowerCase() ?? '';
    const stage: Stage = (stages as readonly string[]).includes(first) ? (first as Stage) : 'fix';
    const body = (stage === first ? text.slice(first.length) : text).trim() || issueText;
    if (!body.trim()) {
      stream.markdown('Give the issue text, e.g. `/compose fix TypeError when the date column is empty`, or open an issue first.');
      return { metadata: { command: 'compose' } };
    }
    stream.progress(`Composing a ${stage} prompt…`);
    const p = await composePrompt(
      await deps.store(),
      { stage, issue: { body, repo } },
      { embedder: await deps.embedder(), log: deps.log, minRelevance: deps.minRelevance(), workspaceCode: await deps.workspaceCode?.() },
    );
    stream.markdown(
      `A **${stage}** prompt from ${p.used.episodes.length} past repair(s) and ${p.used.insights.length} lesson(s), ${p.tokens} tokens:\n\n${fenced(p.markdown, 'markdown')}\n`,
    );
    if (p.overBudget)
      stream.markdown('\n*The issue alone exceeds the budget (setting `dejafix.compose.budget`); the prompt holds only the issue.*');
    return { metadata: { command: 'compose', query: body } };
  }

  async function remember(text: string, repo: string | undefined, stream: Stream): Promise<DejafixChatResult> {
    const m = /^(\w+)\s*:\s*/.exec(text);
    const role: InsightRole =
      m && (insightRoles as readonly string[]).includes(m[1].toLowerCase()) ? (m[1].toLowerCase() as InsightRole) : 'general';
    const lesson = m && role === m[1].toLowerCase() ? text.slice(m[0].length) : text;
    let insight: Insight;
    try {
      // A person's own words count as approved: the lesson is active at once.
      insight = (await rememberLesson(await deps.store(), { text: lesson, role, repo, by: 'human', approved: true }, deps.log)).insight;
    } catch (e) {
      if (!(e instanceof DejafixError && e.code === 'bad-lesson')) throw e;
      stream.markdown(`${e.userMessage} For example: \`/remember fix: Empty CSV cells arrive as '' not None; check both.\``);
      return { metadata: { command: 'remember' } };
    }
    stream.markdown(
      `Remembered as a **${role}** lesson for ${escapeMd(insight.scope)} (\`${insight.id}\`). Recall and composed prompts use it from now on.`,
    );
    return { metadata: { command: 'remember' } };
  }

  async function answer(
    question: string,
    repo: string | undefined,
    model: vscode.LanguageModelChat,
    factory: { userMessage(text: string): vscode.LanguageModelChatMessage },
    stream: Stream,
    token: vscode.CancellationToken,
  ): Promise<void> {
    try {
      const p = await composePrompt(
        await deps.store(),
        { stage: 'chat', issue: { body: question, repo } },
        { embedder: await deps.embedder(), log: deps.log, minRelevance: deps.minRelevance(), workspaceCode: await deps.workspaceCode?.() },
      );
      const response = await model.sendRequest([factory.userMessage(`${p.system}\n\n${p.messages[0].content}`)], {}, token);
      stream.markdown('\n---\n\n');
      for await (const chunk of response.text) stream.markdown(chunk);
    } catch (e) {
      childLogger(deps.log, '@dejafix').warn(`the chat model did not answer: ${errorText(e)}`);
      stream.markdown(
        `\n\n*The chat model did not answer (${escapeMd(errorText(e))}); the past repairs above are what Dejafix remembers.*`,
      );
    }
  }
}

/** Follow-ups after each answer: the natural next step. */
export function followups(result: DejafixChatResult): vscode.ChatFollowup[] {
  const q = result.metadata?.query ?? '';
  switch (result.metadata?.command) {
    case 'recall':
      return [
        { prompt: q, command: 'compose', label: 'Compose a fix prompt from these' },
        { prompt: q, command: 'insights', label: 'Which lessons apply?' },
      ];
    case 'insights':
      return [{ prompt: q, command: 'recall', label: 'Show the past repairs' }];
    case 'compose':
      return [
        { prompt: `review ${q}`, command: 'compose', label: 'Compose a review prompt' },
        { prompt: q, command: 'recall', label: 'Show the past repairs' },
      ];
    case 'remember':
      return [{ prompt: '', command: 'insights', label: 'Show all lessons' }];
    default:
      return [];
  }
}
