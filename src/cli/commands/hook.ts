// `dejafix hook claude-code`: the one command Claude Code runs for every hook event (see
// core/capture/hooks). It never breaks the agent: it always exits 0, prints nothing but valid hook
// JSON, ignores stdin that is not an event (garbage, huge, truncated, silent) and writes its errors to
// a log file next to the session journals.
import { appendFileSync, mkdirSync, statSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { DEFAULT_TEST_COMMANDS, testCommandMatcher } from '../../core/capture/testCommands';
import { AGENT, DEFAULT_HOOK_BUDGET, handleClaudeCodeEvent } from '../../core/capture/hooks/claudeCode';
import { MAX_EVENT_BYTES, parseHookEvent } from '../../core/capture/hooks/event';
import { lineLogger, type Logger } from '../../core/util/logger';
import { openStore, storeDir } from '../store';
import type { Ctx } from '../context';

interface HookOpts {
  store?: string;
  budget: string;
}

/** How long to wait for the event on stdin before giving up. */
const STDIN_TIMEOUT_MS = 5_000;
const MAX_LOG_BYTES = 1_000_000;

export function journalDirOf(store: string): string {
  return process.env.DEJAFIX_HOOK_DIR || `${store}-journal`;
}

export function registerHook(program: Command, ctx: Ctx): void {
  program
    .command('hook')
    .description("Handle one agent hook event from stdin (Claude Code's hook JSON); always exits 0.")
    .argument('<agent>', AGENT)
    .option('--budget <tokens>', 'tokens the injected memory may take', String(DEFAULT_HOOK_BUDGET))
    .option('--store <dir>', 'store folder (default: the per-user store; DEJAFIX_STORE overrides)')
    .action(async (agent: string, opts: HookOpts) => {
      ctx.exitCode = 0;
      const dir = journalDirOf(storeDir(opts));
      const log = fileLogger(join(dir, 'hook.log'));
      try {
        if (agent !== AGENT) {
          log.warn(`hook: unknown agent ${JSON.stringify(agent.slice(0, 100))}; only ${AGENT} is supported`);
          return;
        }
        const event = parseHookEvent(await readStdin(MAX_EVENT_BYTES, STDIN_TIMEOUT_MS));
        if (!event) {
          log.warn('hook: stdin held no hook event; ignored');
          return;
        }
        const budget = Number(opts.budget);
        const out = await handleClaudeCodeEvent(event, {
          journalDir: dir,
          openStore: (mode) => openStore(opts, mode, log),
          matcher: testCommandMatcher(DEFAULT_TEST_COMMANDS),
          budget: Number.isInteger(budget) && budget >= 200 && budget <= 100_000 ? budget : DEFAULT_HOOK_BUDGET,
          log,
          github: { apiBase: process.env.DEJAFIX_GITHUB_API_URL, token: process.env.GITHUB_TOKEN },
        });
        if (out) ctx.io.out(`${out}\n`);
      } catch (e) {
        log.error(e, 'hook failed');
      }
    });
}

/** Reads stdin up to `max` bytes (more: ''), or '' when nothing arrives in time. */
function readStdin(max: number, timeoutMs: number): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    const done = (text: string) => {
      clearTimeout(timer);
      process.stdin.removeAllListeners('data').removeAllListeners('end').removeAllListeners('error');
      process.stdin.pause();
      process.stdin.unref?.();
      resolve(text);
    };
    const timer = setTimeout(() => done(''), timeoutMs);
    process.stdin.on('data', (c: Buffer) => {
      size += c.length;
      if (size > max) over = true;
      else chunks.push(c);
    });
    process.stdin.on('end', () => done(over ? '' : Buffer.concat(chunks).toString('utf8')));
    process.stdin.on('error', () => done(''));
  });
}

function fileLogger(path: string): Logger {
  return lineLogger((level, line) => {
    if (level === 'debug') return;
    try {
      mkdirSync(join(path, '..'), { recursive: true, mode: 0o700 });
      try {
        if (statSync(path).size > MAX_LOG_BYTES) truncateSync(path, 0);
      } catch {
        // no log yet
      }
      appendFileSync(path, `${new Date().toISOString()} [${level}] ${line.replace(/\n/g, '\n  ')}\n`, { mode: 0o600 });
    } catch {
      // nowhere to log: stay silent rather than disturb the agent
    }
  });
}
