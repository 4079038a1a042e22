// A Claude Code session transcript becomes one episode: the first prompt is the issue, each test
// run (a Bash command such as `pytest` or `npm test`) is an attempt whose patch is every edit made
// so far, and the session ends resolved when its last test run passed, failed when it failed, and
// abandoned when no test ran.
import { stat } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import type { Attempt, AttemptOutcome } from '../model/attempt';
import type { Episode } from '../model/episode';
import { errorSignature } from '../model/errorSignature';
import { stableId } from '../model/ids';
import { patchFiles, patchSymbols } from '../model/patch';
import {
  parseEvent,
  promptText,
  resultField,
  str,
  toolResults,
  toolUses,
  type SessionEvent,
  type ToolResult,
  type ToolUse,
} from './claudeCodeEvents';
import type { DocumentFormat } from './documents';
import { EditTracker, type TextEdit } from './editTracker';
import { outcomeOf, splitPrompt } from './transcript';
import { readLines } from './lines';
import { LineError } from './records';
import { exitCodeIsTheTests, isTestCommand, judgeOutput } from './testRuns';

export const CLAUDE_CODE_AGENT = 'claude-code';
/** Bad lines reported per file; the rest are counted. */
const MAX_LINE_PROBLEMS = 50;

export const claudeCodeFormat: DocumentFormat = {
  // Sub-agent transcripts (`agent-*.jsonl`, `<session>/subagents/`) are parts of their parent session.
  accepts: (name) => name.endsWith('.jsonl') && !name.startsWith('agent-'),
  skipsFolder: (name) => name === 'subagents',
  read: readSession,
};

export async function readSession(file: string): Promise<{ episode?: Episode; problems: { line?: number; reason: string }[] }> {
  const problems: { line?: number; reason: string }[] = [];
  let bad = 0;
  const session = new Session();
  let events = 0;
  for await (const l of readLines(file)) {
    let reason = l.error;
    if (l.text !== undefined) {
      try {
        session.add(parseEvent(l.text));
        events++;
      } catch (e) {
        if (!(e instanceof LineError)) throw e;
        reason = e.message;
      }
    }
    if (reason !== undefined && ++bad <= MAX_LINE_PROBLEMS) problems.push({ line: l.line, reason });
  }
  if (bad > MAX_LINE_PROBLEMS) problems.push({ reason: `… and ${bad - MAX_LINE_PROBLEMS} more bad lines` });
  if (events === 0)
    return {
      problems: [...problems, { reason: bad ? 'no readable transcript events; nothing imported' : 'the file is empty, nothing to import' }],
    };
  const mtime = (await stat(file)).mtime.toISOString();
  const episode = session.episode(basename(file, '.jsonl'), basename(dirname(file)), mtime);
  if (!episode) problems.push({ reason: 'no prompt from a person in this transcript, so no issue to remember; skipped' });
  return { episode, problems };
}

interface PendingAttempt extends Omit<Attempt, 'id' | 'episodeId'> {
  toolUseId: string;
}

class Session {
  private sessionId?: string;
  private cwd?: string;
  private first?: string;
  private last?: string;
  private prompt?: string;
  private readonly uses = new Map<string, ToolUse>();
  private readonly tracker = new EditTracker();
  private readonly attempts: PendingAttempt[] = [];

  add(e: SessionEvent): void {
    const at = validTime(e.timestamp);
    if (at) {
      this.first ??= at;
      this.last = at;
    }
    this.sessionId ??= e.sessionId;
    this.cwd ??= e.cwd;
    this.prompt ??= promptText(e);
    for (const u of toolUses(e)) this.uses.set(u.id, u);
    for (const r of toolResults(e)) {
      const u = this.uses.get(r.toolUseId);
      if (!u) continue;
      this.uses.delete(r.toolUseId);
      this.apply(u, r, e);
    }
  }

  episode(fileId: string, folder: string, fileTime: string): Episode | undefined {
    if (this.prompt === undefined) return undefined;
    const sessionId = this.sessionId ?? fileId;
    const id = stableId('ep', 'claude-code', sessionId);
    const createdAt = this.first ?? fileTime;
    const attempts: Attempt[] = this.attempts.map(({ toolUseId, ...a }) => ({
      ...a,
      at: a.at || createdAt,
      id: stableId('at', 'claude-code', sessionId, toolUseId),
      episodeId: id,
    }));
    const finalPatch = this.tracker.patch().patch;
    const failed = attempts.find((a) => a.outcome === 'failed');
    return {
      id,
      repo: this.cwd ? basename(this.cwd.replace(/[\\/]+$/, '')) || this.cwd : folder,
      issue: splitPrompt(this.prompt),
      errorSignature: errorSignature(this.prompt) || (failed ? errorSignature(failed.outputTail) : ''),
      attempts,
      finalPatch,
      reproTest: '',
      files: patchFiles(finalPatch),
      symbols: patchSymbols(finalPatch),
      outcome: outcomeOf(attempts),
      source: `import:${CLAUDE_CODE_AGENT}`,
      sourceId: sessionId,
      createdAt,
      ...(this.last ? { endedAt: this.last } : {}),
    };
  }

  private apply(u: ToolUse, r: ToolResult, e: SessionEvent): void {
    const i = u.input;
    const path = str(i.file_path);
    if (u.name === 'Bash') this.bash(u, r, e);
    if (r.isError || path === undefined) return;
    const before = str(resultField(e, 'originalFile'));
    if (u.name === 'Edit') {
      const edit = textEdit(i);
      if (edit) this.tracker.edit(this.relative(path), [edit], before);
    } else if (u.name === 'MultiEdit' && Array.isArray(i.edits)) {
      const edits = i.edits.map((x) => textEdit(x as Record<string, unknown>));
      if (edits.every((x): x is TextEdit => x !== undefined)) this.tracker.edit(this.relative(path), edits, before);
    } else if (u.name === 'Write' && typeof i.content === 'string') {
      const created = resultField(e, 'type') === 'create';
      this.tracker.write(this.relative(path), i.content, created ? null : before);
    }
  }

  private bash(u: ToolUse, r: ToolResult, e: SessionEvent): void {
    const command = str(u.input.command);
    if (command === undefined || !isTestCommand(command)) return;
    const stdout = str(resultField(e, 'stdout')) ?? '';
    const stderr = str(resultField(e, 'stderr')) ?? '';
    const output = r.text || [stdout, stderr].filter(Boolean).join('\n');
    const interrupted = resultField(e, 'interrupted') === true;
    const code = /^(?:Error: )?Exit code (\d{1,3})\b/.exec(r.text);
    const verdict = judgeOutput(output);
    let outcome: AttemptOutcome;
    if (interrupted) outcome = 'unknown';
    else if (r.isError || verdict === 'failed') outcome = 'failed';
    else outcome = exitCodeIsTheTests(command) || verdict === 'passed' ? 'passed' : 'unknown';
    const { patch } = this.tracker.patch();
    this.attempts.push({
      toolUseId: u.id,
      patch,
      command,
      exitCode: r.isError ? (code ? Number(code[1]) : null) : interrupted ? null : 0,
      outputTail: output,
      // Filled from the session's start when no event so far had a time.
      at: validTime(e.timestamp) ?? this.last ?? '',
      by: CLAUDE_CODE_AGENT,
      outcome,
    });
  }

  /** Paths in the patch are relative to the session's folder when inside it. */
  private relative(path: string): string {
    const p = path.replace(/\\/g, '/');
    const root = this.cwd?.replace(/\\/g, '/').replace(/\/+$/, '');
    if (root && p.startsWith(`${root}/`)) return p.slice(root.length + 1);
    return p.replace(/^[A-Za-z]:/, '').replace(/^\/+/, '');
  }
}

function textEdit(x: Record<string, unknown>): TextEdit | undefined {
  if (typeof x !== 'object' || x === null) return undefined;
  const oldText = str(x.old_string);
  const newText = str(x.new_string);
  return oldText === undefined || newText === undefined ? undefined : { oldText, newText, all: x.replace_all === true };
}

function validTime(t: string | undefined): string | undefined {
  if (t === undefined) return undefined;
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}
