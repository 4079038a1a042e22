// Running one agent hook event: read the event from stdin, handle it, return what goes on stdout.
// Shared by `dejafix hook claude-code` (the CLI) and dist/hook.js (the small bundle agents run).
// It never breaks the agent: errors go to `hook.log` next to the session journals, never out.
// Nothing here loads the store: `storeSide` does, and only the events that need it call it.
import { appendFileSync, mkdirSync, statSync, truncateSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { AGENT, DEFAULT_HOOK_BUDGET, handleClaudeCodeEvent, type HookDeps, type HookStoreSide } from '../../core/capture/hooks/claudeCode';
import { MAX_EVENT_BYTES, parseHookEvent, type HookEvent } from '../../core/capture/hooks/event';
import { DEFAULT_TEST_COMMANDS, testCommandMatcher } from '../../core/capture/testCommands';
import { DEFAULT_MIN_RELEVANCE, parseMinRelevance } from '../../core/recall/relevance';
import { isRemoteStore } from '../../core/store/location';
import { defaultStoreDir } from '../../core/store/paths';
import { lineLogger, type Logger } from '../../core/util/logger';

export interface HookOptions {
  store?: string;
  budget?: string;
  minRelevance?: string;
}

/** Agents whose hooks send Claude Code's event JSON (Codex's hooks follow the same reference). */
export const HOOK_AGENTS = [AGENT, 'codex'];

/** How long to wait for the event on stdin before giving up. */
const STDIN_TIMEOUT_MS = 5_000;
const MAX_LOG_BYTES = 1_000_000;

/** The store folder (resolved) or object-storage URI the hook uses. */
export function hookStoreDir(opts: HookOptions, env: NodeJS.ProcessEnv = process.env): string {
  const s = opts.store ?? defaultStoreDir(env);
  return isRemoteStore(s) ? s.trim() : resolve(s);
}

export function journalDirOf(store: string, env: NodeJS.ProcessEnv = process.env): string {
  return env.DEJAFIX_HOOK_DIR || (isRemoteStore(store) ? join(defaultStoreDir(env), '..', 'dejafix-hook-journal') : `${store}-journal`);
}

type StoreSideOf = (store: string, log: Logger) => Promise<HookStoreSide>;

/** Handles the event on stdin for `agent`; resolves to the text for stdout ('' for nothing). Never rejects. */
export async function runHook(agent: string, opts: HookOptions, storeSide: StoreSideOf): Promise<string> {
  const store = hookStoreDir(opts);
  const log = fileLogger(join(journalDirOf(store), 'hook.log'));
  const text = HOOK_AGENTS.includes(agent) ? await readStdin(MAX_EVENT_BYTES, STDIN_TIMEOUT_MS) : '';
  const out = await handleHookText(agent, text, opts, storeSide, log);
  return out === DECLINED ? '' : out;
}

/** What the Node hook and the warm server's fast path share: the deps the event is handled with. */
export function hookDeps(agent: string, opts: HookOptions, storeSide: StoreSideOf, log: Logger): HookDeps {
  const store = hookStoreDir(opts);
  const budget = Number(opts.budget ?? DEFAULT_HOOK_BUDGET);
  return {
    agent,
    journalDir: journalDirOf(store),
    matcher: testCommandMatcher(DEFAULT_TEST_COMMANDS),
    budget: Number.isInteger(budget) && budget >= 200 && budget <= 100_000 ? budget : DEFAULT_HOOK_BUDGET,
    minRelevance: (opts.minRelevance !== undefined ? parseMinRelevance(opts.minRelevance) : undefined) ?? DEFAULT_MIN_RELEVANCE,
    log,
    storeSide: () => storeSide(store, log),
    github: { apiBase: process.env.DEJAFIX_GITHUB_API_URL, token: process.env.GITHUB_TOKEN },
  };
}

/**
 * Handles one event's text (stdin) for `agent`. `gate` (the warm server's fast path) may turn the
 * parsed event away before anything is done: then the result is `DECLINED` and nothing was written.
 */
export async function handleHookText(
  agent: string,
  text: string,
  opts: HookOptions,
  storeSide: StoreSideOf,
  log: Logger,
  gate?: (e: HookEvent, d: HookDeps) => Promise<boolean>,
): Promise<string | typeof DECLINED> {
  try {
    if (!HOOK_AGENTS.includes(agent)) {
      log.warn(`hook: unknown agent ${JSON.stringify(agent.slice(0, 100))}; one of ${HOOK_AGENTS.join(', ')}`);
      return '';
    }
    const event = parseHookEvent(text);
    if (!event) {
      log.warn('hook: stdin held no hook event; ignored');
      return '';
    }
    const deps = hookDeps(agent, opts, storeSide, log);
    if (gate && (await gate(event, deps))) return DECLINED;
    return await handleClaudeCodeEvent(event, deps);
  } catch (e) {
    log.error(e, 'hook failed');
    return '';
  }
}

export const DECLINED = Symbol('declined: for the Node hook');

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

export function fileLogger(path: string): Logger {
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
