// The real `dejafix mcp` server (runStdioServer, as the CLI runs it) in this process, on a pair of
// streams instead of the process's stdin/stdout, with the MCP SDK's client on the other end: tests
// inject the clock and the scheduler of the periodic work, which a separate process would not allow.
import { PassThrough } from 'node:stream';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { silentLogger } from '../../src/core/util/logger';
import { runStdioServer, type StdioOptions } from '../../src/mcp/stdio';
import type { Scheduler } from '../../src/mcp/sessionExpiry';

export interface StdioMcp {
  client: Client;
  /** Ends the client's side of the connection and waits until the server has closed the store. */
  stop(): Promise<void>;
}

export async function stdioMcp(opts: Partial<StdioOptions> & { storeDir: string }, name = 'claude-code'): Promise<StdioMcp> {
  const toServer = new PassThrough();
  const fromServer = new PassThrough();
  const consoleWas = { log: console.log, info: console.info, debug: console.debug };
  const served = runStdioServer({
    version: 'test',
    folder: opts.storeDir,
    log: silentLogger,
    ...opts,
    stdin: toServer,
    stdout: fromServer,
  });
  // The runner moves console output to stderr for the protocol's sake; the test reporter keeps stdout.
  Object.assign(console, consoleWas);
  // The transport is a newline-delimited JSON-RPC pipe, the same in both directions.
  const client = new Client({ name, version: '1.0.0' });
  await client.connect(new StdioServerTransport(fromServer, toServer));
  return {
    client,
    async stop() {
      await client.close().catch(() => undefined);
      toServer.end();
      await served;
    },
  };
}

/** A scheduler the test runs by hand: `tick()` runs every registered job once. */
export function manualScheduler(): Scheduler & { intervals: number[]; stopped: number; tick(): void } {
  const jobs: { run: () => void; live: boolean }[] = [];
  const s = {
    intervals: [] as number[],
    stopped: 0,
    every(ms: number, run: () => void) {
      const job = { run, live: true };
      jobs.push(job);
      s.intervals.push(ms);
      return {
        stop: () => {
          job.live = false;
          s.stopped++;
        },
      };
    },
    tick() {
      for (const j of jobs) if (j.live) j.run();
    },
  };
  return s;
}
