// Runs the MCP server over stdio for one client, for as long as the client stays connected.
// stdout carries only protocol messages: logs go to stderr, and so does anything a library prints
// with console.log. When the client goes away (stdin ends, stdout breaks, a signal), the calls in
// flight finish — a write to the store is never cut in half — and the store is closed.
import { format } from 'node:util';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { AgentTools, StoreSessions } from '../core/agent';
import { repoOfPath } from '../core/agent/repoOfPath';
import { workspaceCodeOf } from '../core/workspace/workspaceCode';
import type { Embedder } from '../core/embed/embedder';
import type { RemoteOptions } from '../core/store/remote/config';
import { ExperienceStore } from '../core/store/store';
import { childLogger, type Logger } from '../core/util/logger';
import { createMcpServer } from './server';
import { DEFAULT_SESSION_EXPIRY_HOURS, startSessionExpiry, type Scheduler } from './sessionExpiry';

/** A message larger than this closes the connection (the SDK's guard); arguments are limited far below it. */
export const MAX_MESSAGE_BYTES = 32 * 1024 * 1024;

export interface StdioOptions {
  /** A folder or an s3://, gs://, az:// URI. */
  storeDir: string;
  /** Credentials and the single-writer override for a store on object storage. */
  remote?: RemoteOptions;
  version: string;
  /** The folder the agent works in: its repository ranks first, its git diff is an attempt's default patch. */
  folder: string;
  /** More folders a client's `repo` path may name (besides `folder`): the ones the user configured. */
  allowFolders?: string[];
  embedder?: () => Embedder | undefined;
  log: Logger;
  stdin?: NodeJS.ReadableStream;
  stdout?: NodeJS.WritableStream;
  /** The client sees and ends every open session, not only the ones it opened. */
  allSessions?: boolean;
  /** dejafix_recall's threshold when a call names none (`--min-relevance`; DEFAULT_MIN_RELEVANCE without it). */
  minRelevance?: number;
  /** Hours without a recorded attempt before an open session is ended as abandoned (default 24; 0 = never). */
  sessionExpiryHours?: number;
  /** The clock (tests move it). */
  now?: () => Date;
  /** Runs the periodic expiry sweep (default: an unref'd interval). */
  scheduler?: Scheduler;
}

export async function runStdioServer(opts: StdioOptions): Promise<void> {
  const stdin = opts.stdin ?? process.stdin;
  const stdout = opts.stdout ?? process.stdout;
  keepConsoleOffStdout();
  const log = opts.log;
  const mcpLog = childLogger(log, 'mcp');

  let storePromise: Promise<ExperienceStore> | undefined;
  const store = () =>
    (storePromise ??= ExperienceStore.open(opts.storeDir, { mode: 'write', log, remote: opts.remote }).catch((e) => {
      storePromise = undefined;
      throw e;
    }));
  let embedder: Embedder | undefined | null = null;
  const getEmbedder = async () => {
    if (embedder === null) embedder = opts.embedder?.();
    return embedder;
  };
  const allowedFolders = [opts.folder, ...(opts.allowFolders ?? [])];
  // One back end (one write queue) however many calls ask for it at once.
  let sessionsOf: Promise<StoreSessions> | undefined;
  const sessions = () =>
    (sessionsOf ??= store().then(
      (s) => new StoreSessions(s, { folder: opts.folder, allowedFolders, embedder: getEmbedder, log, now: opts.now }),
      (e) => {
        sessionsOf = undefined;
        throw e;
      },
    ));
  let defaultRepo: Promise<string> | undefined;
  const tools = new AgentTools({
    store,
    sessions: {
      recordAttempt: async (input, by, scope) => (await sessions()).recordAttempt(input, by, scope),
      recordOutcome: async (input, by, scope) => (await sessions()).recordOutcome(input, by, scope),
    },
    embedder: getEmbedder,
    defaultRepo: () => (defaultRepo ??= repoOfPath(opts.folder)),
    folder: opts.folder,
    allowedFolders,
    workspaceCode: () => workspaceCodeOf(opts.folder, { log }),
    minRelevance: () => opts.minRelevance,
    log,
  });

  const inFlight = new Set<Promise<unknown>>();
  const track = <T>(p: Promise<T>): Promise<T> => {
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p)).catch(() => undefined);
    return p;
  };
  const server = createMcpServer({
    version: opts.version,
    store,
    sessions,
    tools,
    log,
    track,
    allSessions: opts.allSessions,
    storeDir: opts.storeDir,
  });
  // Before the connection: a client's first look at its sessions comes after the first sweep.
  const expiry = startSessionExpiry({
    idleMs: (opts.sessionExpiryHours ?? DEFAULT_SESSION_EXPIRY_HOURS) * 3_600_000,
    sessions,
    log: mcpLog,
    scheduler: opts.scheduler,
    track,
    storeDir: opts.storeDir,
  });
  const transport = new StdioServerTransport(stdin as never, stdout as never, { maxBufferSize: MAX_MESSAGE_BYTES });

  await new Promise<void>((resolve) => {
    let closing = false;
    const shutdown = async (why: string) => {
      if (closing) return;
      closing = true;
      expiry.stop();
      mcpLog.info(`${why}; finishing ${inFlight.size} call(s) in flight`);
      while (inFlight.size) await Promise.allSettled([...inFlight]);
      await server.close().catch(() => undefined);
      if (storePromise) (await storePromise.catch(() => undefined))?.close();
      if (embedder) await embedder.dispose().catch(() => undefined);
      resolve();
    };
    transport.onerror = (e) => mcpLog.warn(e.message);
    // Our handler replaces the CLI's exit-on-EPIPE one: calls in flight finish first.
    if (stdout === process.stdout) process.stdout.removeAllListeners('error');
    stdout.on('error', (e: NodeJS.ErrnoException) => void shutdown(`the client stopped reading (${e.code ?? e.message})`));
    stdin.on('end', () => void shutdown('the client disconnected'));
    stdin.on('close', () => void shutdown('the client disconnected'));
    const onSignal = (sig: string) => void shutdown(`received ${sig}`);
    process.once('SIGTERM', onSignal);
    process.once('SIGINT', onSignal);
    server.server.onclose = () => void shutdown('the connection closed');
    server.connect(transport).then(
      () => {
        mcpLog.info(`serving the store at ${opts.storeDir} over stdio`);
      },
      (e) => {
        mcpLog.error(e, 'could not start');
        void shutdown('start failed');
      },
    );
  });
}

/** Libraries that print with console.log must not corrupt the protocol stream. */
function keepConsoleOffStdout(): void {
  const toStderr = (...args: unknown[]) => {
    process.stderr.write(`${format(...args)}\n`);
  };
  console.log = toStderr;
  console.info = toStderr;
  console.debug = toStderr;
}
