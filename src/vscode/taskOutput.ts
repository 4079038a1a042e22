// The output of a task run, for its attempt. A task reusing a terminal reports its run as a
// shell-integration execution (" *  Executing task: …"), whose output is read as it arrives. The
// first task in a fresh terminal is not reported that way (checked in VS Code 1.103), so its output is
// copied from the terminal's buffer (select all → copy → the clipboard's text restored) and cut to
// the last run. Everything here is best effort: no output is better than a failed capture.
import * as vscode from 'vscode';
import { OUTPUT_TAIL_CHARS } from '../core/capture/session';
import { childLogger, type Logger } from '../core/util/logger';
import { errorText } from './log';

interface Reading {
  text: string;
  done: Promise<void>;
}

const TASK_BANNER = /^\s*\*\s+Executing task\b/;

export class TaskOutput implements vscode.Disposable {
  private readonly subscriptions: vscode.Disposable[] = [];
  /** The latest task execution read in each terminal. */
  private readonly reading = new Map<vscode.Terminal, Reading>();

  private readonly log: Logger;

  constructor(log: Logger) {
    this.log = childLogger(log, 'task output');
    this.subscriptions.push(
      vscode.window.onDidStartTerminalShellExecution((e) => this.started(e)),
      vscode.window.onDidCloseTerminal((t) => this.reading.delete(t)),
    );
  }

  private started(e: vscode.TerminalShellExecutionStartEvent): void {
    if (!TASK_BANNER.test(e.execution.commandLine.value)) return;
    const r: Reading = { text: '', done: Promise.resolve() };
    r.done = (async () => {
      try {
        for await (const chunk of e.execution.read()) r.text = (r.text + chunk).slice(-OUTPUT_TAIL_CHARS * 2);
      } catch (err) {
        this.log.debug(`reading failed: ${errorText(err)}`);
      }
    })();
    this.reading.set(e.terminal, r);
  }

  /** The output of the task run that just ended (raw terminal text, possibly with escape codes), or ''. */
  async of(task: vscode.Task): Promise<string> {
    const terminal = vscode.window.terminals.find(
      (t) => t.name === task.name || (t.creationOptions as { name?: string }).name === task.name,
    );
    if (!terminal) return '';
    const r = this.reading.get(terminal);
    if (r) {
      this.reading.delete(terminal);
      await Promise.race([r.done, new Promise((res) => setTimeout(res, 1_500))]);
      if (r.text.trim()) return r.text;
    }
    return lastTaskRun(await this.copyBuffer(terminal));
  }

  /** The terminal's whole buffer through the clipboard, which is restored afterwards. */
  private async copyBuffer(terminal: vscode.Terminal): Promise<string> {
    let saved: string | undefined;
    try {
      saved = await vscode.env.clipboard.readText();
      const marker = `dejafix-${Date.now()}-${Math.random()}`;
      await vscode.env.clipboard.writeText(marker);
      terminal.show(true);
      await vscode.commands.executeCommand('workbench.action.terminal.selectAll');
      await vscode.commands.executeCommand('workbench.action.terminal.copySelection');
      await vscode.commands.executeCommand('workbench.action.terminal.clearSelection');
      const text = await vscode.env.clipboard.readText();
      return text === marker ? '' : text;
    } catch (err) {
      this.log.debug(`copying the terminal failed: ${errorText(err)}`);
      return '';
    } finally {
      if (saved !== undefined) await Promise.resolve(vscode.env.clipboard.writeText(saved)).catch(() => undefined);
    }
  }

  dispose(): void {
    for (const s of this.subscriptions.splice(0)) s.dispose();
    this.reading.clear();
  }
}

/** The text of the last task run in a terminal buffer: after its banner, without VS Code's closing notes. */
export function lastTaskRun(buffer: string): string {
  const lines = buffer.split(/\r?\n/);
  let start = 0;
  for (let i = lines.length - 1; i >= 0; i--) {
    if (TASK_BANNER.test(lines[i])) {
      start = i + 1;
      break;
    }
  }
  const run = lines.slice(start).filter((l) => !/^\s*\*\s+(The terminal process\b|Terminal will be reused by tasks\b)/.test(l));
  return run.join('\n').trim();
}
