// What `dejafix hook claude-code` does with one Claude Code hook event. The first prompt opens the
// session (its issue; a GitHub issue reference is fetched) and gets the recalled repairs and lessons
// back as `additionalContext`, and the first later prompt after a failing test run gets what the
// changed checkout adds (midRepairDue); Bash test commands become runs and edits are noted in the session's
// journal, without opening the store; a Stop after a fix, or SessionEnd, commits the episode.
// This module stays light (no store, no LanceDB, no compose): the per-tool-call path is a journal
// append. Everything that needs the store is behind `d.storeSide()`, loaded only when needed.
// Returns what to print on stdout: valid hook JSON, or '' (nothing).
import type { Logger } from '../../util/logger';
import { repoOfPath } from '../../agent/repoOfPath';
import { diffAgainst, headCommit } from '../gitDiff';
import { parseIssueInput } from '../issueRef';
import type { TestCommandMatcher } from '../testCommands';
import { bashOutcome, editedFiles, mcpReport, type HookEvent } from './event';
import { Journal, type JournalEntry, type OpenEntry } from './journal';
import { outcomeOf } from './outcome';

export const AGENT = 'claude-code';
export const BY = `agent:${AGENT}`;
export const DEFAULT_HOOK_BUDGET = 2_000;

/** What needs the store: recall for the first prompt, and committing the journal as an episode. */
export interface HookStoreSide {
  /** The context to inject, or undefined when nothing reaches the relevance threshold. */
  recall(
    open: OpenEntry,
    o: { budget: number; minRelevance: number },
  ): Promise<{ text: string; episodes: string[]; insights: string[] } | undefined>;
  /** Saves the journal's episode (redacted) and queues it for reflection. */
  commit(entries: JournalEntry[], o: { sessionId: string; by: string; now: string }): Promise<void>;
}

export interface HookDeps {
  /** The agent whose hook runs (`claude-code`, or `codex`, whose hooks send the same event JSON). */
  agent?: string;
  journalDir: string;
  matcher: TestCommandMatcher;
  budget: number;
  minRelevance: number;
  log: Logger;
  storeSide(): Promise<HookStoreSide>;
  now?: () => Date;
  github?: { apiBase?: string; token?: string };
}

const EDIT_TOOLS = new Set(['Edit', 'Write', 'MultiEdit', 'NotebookEdit']);

export async function handleClaudeCodeEvent(e: HookEvent, d: HookDeps): Promise<string> {
  const journal = new Journal(d.journalDir, d.agent ?? AGENT, e.sessionId);
  const now = (d.now?.() ?? new Date()).toISOString();
  switch (e.event) {
    case 'UserPromptSubmit':
      return promptSubmitted(e, d, journal, now);
    case 'PostToolUse':
    case 'PostToolUseFailure':
      await toolUsed(e, d, journal, now);
      return '';
    case 'Stop': {
      const runs = (await journal.read()).filter((x) => x.t === 'run');
      if (runs.length && outcomeOf(runs as { exitCode: number | null }[]) === 'resolved') await commit(e, d, journal, now);
      return '';
    }
    case 'SessionEnd':
      await commit(e, d, journal, now);
      return '';
    default:
      return '';
  }
}

async function promptSubmitted(e: HookEvent, d: HookDeps, journal: Journal, now: string): Promise<string> {
  const prompt = (e.prompt ?? '').trim();
  if (!prompt) return '';
  const entries = await journal.read();
  const opened = entries.find((x): x is OpenEntry => x.t === 'open');
  if (opened) return midRepairDue(entries) ? recallAgain(d, journal, now, opened, entries) : '';
  const open = await openEntry(e.cwd, prompt, d, now);
  await journal.append(open);
  const context = await recalled(d, open);
  if (!context) return '';
  await journal.append({ t: 'injected', at: now, episodes: context.episodes, insights: context.insights });
  return injection(context.text);
}

type Recalled = Awaited<ReturnType<HookStoreSide['recall']>>;

/** The session's issue recalled through the store side; undefined when nothing reaches the threshold or the store fails. */
async function recalled(d: HookDeps, open: OpenEntry): Promise<Recalled> {
  try {
    return await (await d.storeSide()).recall(open, { budget: d.budget, minRelevance: d.minRelevance });
  } catch (err) {
    d.log.info(`hook: no memory to recall (${err instanceof Error ? err.message : String(err)})`);
    return undefined;
  }
}

/** The hook's answer that adds `text` to the prompt's context. */
function injection(text: string): string {
  return JSON.stringify({ hookSpecificOutput: { hookEventName: 'UserPromptSubmit', additionalContext: text } });
}

/**
 * A later prompt recalls once more after a failing test run (the last run failed, and nothing was
 * recalled since): the checkout then holds the attempt, and recall reads the files being changed
 * (workspace/editing.ts). Only the session's issue is asked, as on the first prompt.
 */
export function midRepairDue(entries: readonly JournalEntry[]): boolean {
  let due = false;
  for (const x of entries)
    if (x.t === 'run') due = x.exitCode !== 0 && x.exitCode !== null;
    else if (x.t === 'injected') due = false;
  return due;
}

/** The mid-repair recall: injected only when it brings a repair the session was not given yet. */
async function recallAgain(d: HookDeps, journal: Journal, now: string, open: OpenEntry, entries: JournalEntry[]): Promise<string> {
  const given = new Set(entries.flatMap((x) => (x.t === 'injected' ? x.episodes : [])));
  const context = await recalled(d, open);
  const fresh = context?.episodes.some((id) => !given.has(id)) ? context : undefined;
  // Recorded either way, so the next prompt does not ask again until another test run fails.
  await journal.append({ t: 'injected', at: now, episodes: fresh?.episodes ?? [], insights: fresh?.insights ?? [] });
  if (!fresh) return '';
  return injection(`The last test run failed. With the files being changed in the checkout, Dejafix recalled more.\n${fresh.text}`);
}

async function openEntry(cwd: string, prompt: string, d: HookDeps, now: string): Promise<OpenEntry> {
  const [repo, base] = await Promise.all([repoOfPath(cwd), headCommit(cwd)]);
  let issue: OpenEntry['issue'] = { title: prompt.split('\n')[0].slice(0, 200), body: prompt.slice(0, 200_000) };
  const ref = parseIssueInput(prompt.split('\n')[0]);
  if (ref?.kind === 'github') {
    const [owner, name] = ref.owner && ref.name ? [ref.owner, ref.name] : repo.startsWith('github.com/') ? repo.split('/').slice(1, 3) : [];
    if (owner && name) {
      try {
        const { fetchGithubIssue } = await import('../github');
        const got = await fetchGithubIssue({
          owner,
          name,
          number: ref.number,
          apiBase: d.github?.apiBase,
          token: d.github?.token,
          timeoutMs: 3_000,
        });
        issue = { title: got.title, body: got.body, ...(got.url ? { url: got.url } : {}), ...(got.number ? { number: got.number } : {}) };
      } catch (err) {
        d.log.warn(`hook: could not fetch ${owner}/${name}#${ref.number}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  }
  return { t: 'open', at: now, folder: cwd, repo, ...(base ? { base } : {}), issue };
}

async function toolUsed(e: HookEvent, d: HookDeps, journal: Journal, now: string): Promise<void> {
  const reported = mcpReport(e);
  if (reported) {
    // The agent recorded this itself through Dejafix's MCP tools: the MCP session is the record.
    await journal.append({ t: 'mcp', at: now, ...reported });
    return;
  }
  if (e.toolName && EDIT_TOOLS.has(e.toolName)) {
    const files = editedFiles(e);
    if (files.length) await journal.append({ t: 'edit', at: now, files });
    return;
  }
  if (e.toolName !== 'Bash') return;
  const command = typeof e.toolInput?.command === 'string' ? e.toolInput.command.slice(0, 4_000) : '';
  if (!command || !d.matcher.matches(command)) return;
  const open = (await journal.read()).find((x): x is OpenEntry => x.t === 'open');
  if (!open) return;
  const { exitCode, output } = bashOutcome(e);
  let patch = '';
  try {
    patch = await diffAgainst(open.folder, open.base);
  } catch (err) {
    d.log.warn(`hook: could not diff ${open.folder}: ${err instanceof Error ? err.message : String(err)}`);
  }
  await journal.append({ t: 'run', at: now, command, exitCode, output, patch });
}

async function commit(e: HookEvent, d: HookDeps, journal: Journal, now: string): Promise<void> {
  const claimed = await journal.claim();
  if (!claimed) return;
  const entries = await journal.read(claimed);
  const mcp = entries.filter((x) => x.t === 'mcp');
  if (!entries.some((x) => x.t === 'open') || !entries.some((x) => x.t === 'run') || mcp.length) {
    if (mcp.length)
      d.log.info(`hook: session ${e.sessionId.slice(0, 80)} was recorded through the MCP tools (${mcp.length} calls); not saved twice`);
    await Journal.remove(claimed);
    return;
  }
  await (await d.storeSide()).commit(entries, { sessionId: e.sessionId, by: d.agent ? `agent:${d.agent}` : BY, now });
  await Journal.remove(claimed);
}
