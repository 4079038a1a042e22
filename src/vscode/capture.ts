// Turns test runs into attempts of the active session: tasks that end (onDidEndTaskProcess) and
// terminal commands that end under shell integration (onDidEndTerminalShellExecution) whose
// command line matches dejafix.capture.testCommands. Each attempt carries the diff against the
// session's base commit at that moment. Off in untrusted workspaces and when the setting is off.
import * as vscode from 'vscode';
import { diffAgainst } from '../core/capture/gitDiff';
import { OUTPUT_TAIL_CHARS } from '../core/capture/session';
import { testCommandMatcher, type TestCommandMatcher } from '../core/capture/testCommands';
import { childLogger, type Logger } from '../core/util/logger';
import { stripAnsi } from '../core/util/text';
import { errorText } from './log';
import type { AttemptRecorded, Sessions } from './sessions';
import { affects, type Settings } from './settings';
import { TaskOutput } from './taskOutput';

export interface CapturedRun {
  command: string;
  exitCode: number | null;
  output: string;
  by: string;
  /** The change under test when the caller knows it (an agent's patch); else the working tree's diff. */
  patch?: string;
  /** Where it ran (a terminal's cwd, a task's folder): the folder of an implicit session. */
  cwd?: string;
  origin?: 'terminal' | 'task';
}

export class Capture implements vscode.Disposable {
  private readonly subscriptions: vscode.Disposable[] = [];
  private matcher: TestCommandMatcher;
  /** Output being read from terminal commands that are test runs, until they end. */
  private readonly reading = new Map<vscode.TerminalShellExecution, { text: string }>();
  private readonly taskOutput: TaskOutput;
  private readonly log: Logger;

  constructor(
    private readonly sessions: Sessions,
    private readonly settings: Settings,
    log: Logger,
    private readonly onRecorded: (r: AttemptRecorded, run: CapturedRun) => void,
    /** Asked when a test run ends with no session open (implicit sessions); true when one is open now. */
    private readonly autoOpen?: (run: CapturedRun) => Promise<boolean>,
  ) {
    this.log = childLogger(log, 'capture');
    this.matcher = this.compile();
    this.taskOutput = new TaskOutput(log);
    this.subscriptions.push(
      this.taskOutput,
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (affects(e, 'capture.testCommands')) this.matcher = this.compile();
      }),
      vscode.tasks.onDidEndTaskProcess((e) => void this.taskEnded(e)),
      vscode.window.onDidStartTerminalShellExecution((e) => this.terminalStarted(e)),
      vscode.window.onDidEndTerminalShellExecution((e) => void this.terminalEnded(e)),
    );
  }

  /** Whether runs are captured now: the workspace is trusted, the setting is on, a session is open (or may open by itself). */
  enabled(): boolean {
    return (
      vscode.workspace.isTrusted &&
      this.settings.get('capture.enabled') &&
      (this.sessions.active() !== undefined || (!!this.autoOpen && this.settings.get('capture.autoSession') !== 'off'))
    );
  }

  isTestCommand(commandLine: string): boolean {
    return this.matcher.matches(commandLine);
  }

  /** Records one run as an attempt (also the entry point for agents reporting a run). */
  async record(run: CapturedRun): Promise<AttemptRecorded | undefined> {
    let s = this.sessions.active();
    if (!s && this.autoOpen && (await this.autoOpen(run))) s = this.sessions.active();
    if (!s) return undefined;
    let patch = run.patch ?? '';
    if (run.patch === undefined && s.folder) {
      try {
        patch = await diffAgainst(s.folder, s.baseCommit);
      } catch (e) {
        this.log.warn(`could not diff ${s.folder}: ${errorText(e)}`);
      }
    }
    const r = await this.sessions.record({
      command: run.command,
      exitCode: run.exitCode,
      outputTail: run.output,
      patch,
      by: run.by,
      at: new Date().toISOString(),
    });
    if (r) {
      this.log.info(`captured ${r.attempt.outcome} run: ${r.attempt.command.slice(0, 120)} (exit ${r.attempt.exitCode ?? '?'})`);
      this.onRecorded(r, run);
    }
    return r;
  }

  private compile(): TestCommandMatcher {
    const m = testCommandMatcher(this.settings.get('capture.testCommands'));
    for (const bad of m.invalid) this.log.warn(`dejafix.capture.testCommands: ignoring ${JSON.stringify(bad.pattern)}: ${bad.reason}`);
    return m;
  }

  private async taskEnded(e: vscode.TaskProcessEndEvent): Promise<void> {
    if (!this.enabled()) return;
    const task = e.execution.task;
    const command = taskCommandLine(task);
    const isTest = task.group?.id === vscode.TaskGroup.Test.id || this.isTestCommand(command) || this.isTestCommand(task.name);
    if (!isTest) return;
    const output = stripAnsi(await this.taskOutput.of(task));
    const folder = typeof task.scope === 'object' ? task.scope.uri.fsPath : undefined;
    await this.record({
      command: command || task.name,
      exitCode: e.exitCode ?? null,
      output,
      by: 'human',
      cwd: folder,
      origin: 'task',
    }).catch((err) => this.log.error(err, 'recording the run failed'));
  }

  /** A task's own terminal reports its command again; the task event already recorded it. */
  private isTaskTerminal(terminal: vscode.Terminal, commandLine: string): boolean {
    return (
      /^\s*\*\s+Executing task\b/.test(commandLine) ||
      /^Task - /.test(terminal.name) ||
      /^Task - /.test((terminal.creationOptions as { name?: string }).name ?? '')
    );
  }

  private terminalStarted(e: vscode.TerminalShellExecutionStartEvent): void {
    if (
      !this.enabled() ||
      !this.isTestCommand(e.execution.commandLine.value) ||
      this.isTaskTerminal(e.terminal, e.execution.commandLine.value)
    )
      return;
    const buffer = { text: '' };
    this.reading.set(e.execution, buffer);
    void (async () => {
      try {
        for await (const chunk of e.execution.read()) {
          buffer.text = (buffer.text + chunk).slice(-OUTPUT_TAIL_CHARS * 2);
        }
      } catch (err) {
        this.log.debug(`reading terminal output failed: ${errorText(err)}`);
      }
    })();
  }

  private async terminalEnded(e: vscode.TerminalShellExecutionEndEvent): Promise<void> {
    const buffer = this.reading.get(e.execution);
    this.reading.delete(e.execution);
    const command = e.execution.commandLine.value;
    if (!this.enabled() || !this.isTestCommand(command) || this.isTaskTerminal(e.terminal, command)) return;
    // Let the last chunks of output arrive.
    await new Promise((r) => setTimeout(r, 50));
    await this.record({
      command,
      exitCode: e.exitCode ?? null,
      output: stripAnsi(buffer?.text ?? ''),
      by: 'human',
      cwd: e.execution.cwd?.fsPath,
      origin: 'terminal',
    }).catch((err) => this.log.error(err, 'recording the run failed'));
  }

  dispose(): void {
    for (const s of this.subscriptions.splice(0)) s.dispose();
    this.reading.clear();
  }
}

function taskCommandLine(task: vscode.Task): string {
  const ex = task.execution;
  if (ex instanceof vscode.ShellExecution) {
    if (ex.commandLine) return ex.commandLine;
    const cmd = typeof ex.command === 'string' ? ex.command : (ex.command?.value ?? '');
    return [cmd, ...(ex.args ?? []).map((a) => (typeof a === 'string' ? a : a.value))].join(' ');
  }
  if (ex instanceof vscode.ProcessExecution) return [ex.process, ...ex.args].join(' ');
  return '';
}
