// The agent tools, once, for both front doors: the MCP server and the VS Code LM tools call
// `run(name, input, caller)`. Input is validated here with the same zod schemas the hosts declare;
// every failure is an AgentToolError whose message tells the model what to do next.
import { composePrompt, ComposeError } from '../compose';
import type { Embedder } from '../embed/embedder';
import type { Insight } from '../model/insight';
import { recallWithContext } from '../recall/withContext';
import { DEFAULT_MIN_RELEVANCE } from '../recall/relevance';
import { rememberLesson } from '../reflect/remember';
import type { ExperienceStore } from '../store/store';
import { silentLogger, type Logger } from '../util/logger';
import { agentSource } from './callers';
import { AgentToolError, describeIssues } from './errors';
import { recallText, type RecalledRepair } from './format';
import { resolveRepo } from './repoOfPath';
import type { WorkspaceCode } from '../workspace/workspaceCode';
import type { SessionBackend } from './sessionBackend';
import type { SessionScope } from '../store/openSessions';
import type { ComposePromptInput, FeedbackInput, RecallInput, RecordAttemptInput, RecordOutcomeInput } from './schemas';
import { TOOLS, TOOL_NAMES, type ToolName } from './toolInfo';
import { giveVerdict, verdictText } from '../feedback/verdict';
import { errorText } from '../util/errors';

export interface ToolResult {
  /** What the model reads. */
  text: string;
  /** The same as data, for callers that show it (chat cards, tests). */
  data: Record<string, unknown>;
}

export interface AgentToolsDeps {
  store: () => Promise<ExperienceStore>;
  sessions: SessionBackend;
  embedder?: () => Promise<Embedder | undefined>;
  /** The repository to rank first when the caller names none (the editor's folder, the server's cwd). */
  defaultRepo?: () => Promise<string | undefined>;
  /** The relevance threshold when the call names none (the editor's setting); DEFAULT_MIN_RELEVANCE without it. */
  minRelevance?: () => number | undefined;
  /** Folder whose repository `repo` paths resolve against (MCP: the working directory). */
  folder?: string;
  /** Folders a `repo` path may name (default: `folder`): the ones the user opened or configured. */
  allowedFolders?: readonly string[];
  /** The code of the checkout the agent works in, for relevance (workspace/workspaceCode.ts); none without it. */
  workspaceCode?: () => Promise<WorkspaceCode | undefined>;
  log?: Logger;
}

export interface Caller {
  /** The name the client announced (MCP clientInfo.name); the `agent` argument wins over it. */
  announced?: string;
  /** The sessions this caller may see and end (an MCP connection: the ones it opened). */
  sessions?: SessionScope;
}

export class AgentTools {
  constructor(private readonly deps: AgentToolsDeps) {}

  /** Validates `input` against the tool's schema and runs it. */
  async run(name: ToolName, input: unknown, caller: Caller = {}): Promise<ToolResult> {
    const info = TOOLS[name];
    if (!info)
      throw new AgentToolError(
        `Unknown tool ${String(name).slice(0, 80)}. The tools are ${TOOL_NAMES.slice(0, -1).join(', ')} and ${TOOL_NAMES[TOOL_NAMES.length - 1]}.`,
      );
    const parsed = info.schema.safeParse(input ?? {});
    if (!parsed.success)
      throw new AgentToolError(`Invalid arguments for ${name}: ${describeIssues(parsed.error.issues)}. Fix these and call ${name} again.`);
    const args = parsed.data as never;
    switch (name) {
      case 'dejafix_recall':
        return this.recall(args);
      case 'dejafix_record_attempt':
        return this.recordAttempt(args, caller);
      case 'dejafix_record_outcome':
        return this.recordOutcome(args, caller);
      case 'dejafix_compose_prompt':
        return this.compose(args);
      case 'dejafix_feedback':
        return this.feedback(args);
    }
  }

  async feedback(input: FeedbackInput): Promise<ToolResult> {
    const r = await giveVerdict(await this.deps.store(), input);
    if (!r)
      throw new AgentToolError(
        `No past repair or lesson has the id ${JSON.stringify(input.id.slice(0, 200))}. Use an episodeId or insight id exactly as dejafix_recall returned it.`,
      );
    const text =
      input.undo && !r.undone
        ? `Nothing to take back: ${r.subjectKind} ${r.subject} was not marked ${input.verdict} for this query.`
        : verdictText(r, 'dejafix_feedback with `undo: true`');
    return { text, data: { id: r.subject, kind: r.subjectKind, verdict: r.verdict, undo: input.undo === true, undone: r.undone } };
  }

  async recall(input: RecallInput): Promise<ToolResult> {
    const store = await this.deps.store();
    const repo = await this.repoOf(input.repo);
    const embedder = await this.embedder();
    const k = input.k ?? 3;
    const minRelevance = input.minRelevance ?? this.deps.minRelevance?.() ?? DEFAULT_MIN_RELEVANCE;
    const { hits, episodes, lessons, insights } = await recallWithContext(
      store,
      { text: input.query, repo, k, minRelevance, insightsK: input.includeInsights === false ? 0 : 5 },
      { embedder, log: this.log, workspaceCode: await this.workspaceCode() },
    );
    const repairs: RecalledRepair[] = hits.map((hit) => ({
      hit,
      episode: episodes.get(hit.episodeId),
      lessons: lessons.get(hit.episodeId),
    }));
    return {
      text: await recallText(repairs, insights, minRelevance),
      data: {
        repo: repo ?? null,
        minRelevance,
        episodes: repairs.map((r) => ({
          episodeId: r.hit.episodeId,
          title: r.hit.title,
          outcome: r.hit.outcome,
          score: r.hit.score,
          relevance: r.hit.relevance,
          repo: r.hit.repo,
          ...r.lessons,
        })),
        insights: insights.map((i) => ({
          id: i.insight.id,
          text: i.insight.text,
          role: i.insight.role,
          importance: i.insight.importance,
          score: i.score,
        })),
      },
    };
  }

  async recordAttempt(input: RecordAttemptInput, caller: Caller): Promise<ToolResult> {
    const by = agentSource(input.agent, caller.announced);
    const r = await this.deps.sessions.recordAttempt(input, by, caller.sessions);
    const verdict = r.attempt.outcome === 'passed' ? 'passed' : r.attempt.outcome === 'failed' ? 'failed' : 'result unknown';
    const next = r.looksFixed
      ? 'It passed after a failure: if the issue is fixed, call dejafix_record_outcome with outcome "resolved".'
      : r.attempt.outcome === 'failed'
        ? 'Keep going; record each further attempt the same way.'
        : 'When you are done, call dejafix_record_outcome.';
    return {
      text: `${r.opened ? `Opened repair session ${r.sessionId} for "${r.issueTitle}". ` : ''}Recorded attempt ${r.attempts} (${verdict}) of session ${r.sessionId} as ${by}. Pass session "${r.sessionId}" in later calls. ${next}`,
      data: {
        sessionId: r.sessionId,
        opened: r.opened,
        attemptId: r.attempt.id,
        attempts: r.attempts,
        outcome: r.attempt.outcome,
        looksFixed: r.looksFixed,
        by,
      },
    };
  }

  async recordOutcome(input: RecordOutcomeInput, caller: Caller): Promise<ToolResult> {
    const by = agentSource(input.agent, caller.announced);
    const r = await this.deps.sessions.recordOutcome(input, by, caller.sessions);
    if (!r.episode)
      return { text: r.note ?? `Session ${r.sessionId} closed without saving.`, data: { sessionId: r.sessionId, saved: false } };
    const ep = r.episode;
    let lesson: Insight | undefined;
    if (input.lesson) {
      const store = await this.deps.store();
      // the episode is saved either way: a lesson that is not one (too short once tidied) is only logged
      lesson = await rememberLesson(
        store,
        {
          text: input.lesson,
          role: input.lessonRole ?? 'fix',
          repo: ep.repo,
          episodeId: ep.id,
          files: ep.files,
          by: `agent ${by}`,
          approved: false,
        },
        this.log,
      ).then(
        (r) => r.insight,
        (e: unknown) => void this.log.warn(`lesson from ${by} not kept: ${errorText(e)}`),
      );
    }
    return {
      text: `Saved the repair of "${ep.issue.title}" as ${ep.outcome} (episode ${ep.id}, ${ep.attempts.length} attempts${ep.files.length ? `, files ${ep.files.slice(0, 5).join(', ')}` : ''}). dejafix_recall finds it from now on.${lesson ? ` Your lesson was saved as proposed insight ${lesson.id}; it is used once a person approves it.` : ''}`,
      data: {
        sessionId: r.sessionId,
        saved: true,
        episodeId: ep.id,
        outcome: ep.outcome,
        attempts: ep.attempts.length,
        files: ep.files,
        ...(lesson ? { insightId: lesson.id } : {}),
      },
    };
  }

  async compose(input: ComposePromptInput): Promise<ToolResult> {
    const store = await this.deps.store();
    const repo = await this.repoOf(input.repo);
    const workspace = { ...(input.errorOutput ? { errorOutput: input.errorOutput } : {}), ...(input.diff ? { diff: input.diff } : {}) };
    try {
      const p = await composePrompt(
        store,
        { stage: input.stage, issue: { ...input.issue, repo }, workspace, budget: input.budget },
        {
          embedder: await this.embedder(),
          log: this.log,
          minRelevance: this.deps.minRelevance?.(),
          workspaceCode: await this.workspaceCode(),
        },
      );
      const note = p.overBudget
        ? `\n\n[The issue alone takes ${p.tokens} tokens, over the budget's limit of ${p.limit}; the prompt holds only the issue. Call again with a larger budget.]`
        : '';
      return {
        text: p.markdown + note,
        data: { stage: p.stage, tokens: p.tokens, budget: p.budget, overBudget: p.overBudget, used: p.used, trimmed: p.trimmed.steps },
      };
    } catch (e) {
      if (e instanceof ComposeError) throw new AgentToolError(`${e.message}. Fix the arguments and call dejafix_compose_prompt again.`);
      throw e;
    }
  }

  private async repoOf(given: string | undefined): Promise<string | undefined> {
    if (given) return (await resolveRepo(given, this.deps.folder, this.deps.allowedFolders)).repo;
    return this.deps.defaultRepo?.();
  }

  private async embedder(): Promise<Embedder | undefined> {
    return this.deps.embedder?.().catch((e) => {
      this.log.warn(`embeddings unavailable, recall is lexical: ${errorText(e)}`);
      return undefined;
    });
  }

  /** Recall goes on without the workspace's code when it cannot be read. */
  private async workspaceCode(): Promise<WorkspaceCode | undefined> {
    return this.deps.workspaceCode?.().catch((e) => {
      this.log.warn(`could not read the workspace's code, relevance goes without it: ${errorText(e)}`);
      return undefined;
    });
  }

  private get log(): Logger {
    return this.deps.log ?? silentLogger;
  }
}
