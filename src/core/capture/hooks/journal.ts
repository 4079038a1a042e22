// The per-session journal of a hooked agent session: one small JSON-lines file per session (mode
// 0600) that the per-tool-call path appends to, so it never opens the store. The session end reads
// it back and commits it as an episode. Lines that cannot be read (a torn write) are skipped.
// Every text is redacted before it is appended, so no secret ever reaches the disk, even briefly.
import { createHash } from 'node:crypto';
import { appendFile, mkdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { redact } from '../../redact';

export type OpenEntry = {
  t: 'open';
  at: string;
  folder: string;
  repo: string;
  base?: string;
  issue: { title: string; body: string; url?: string; number?: number };
};
export type JournalEntry =
  | OpenEntry
  | { t: 'run'; at: string; command: string; exitCode: number | null; output: string; patch: string }
  | { t: 'edit'; at: string; files: string[] }
  | { t: 'injected'; at: string; episodes: string[]; insights: string[] }
  /** The agent reported a run or an outcome itself through Dejafix's MCP tools. */
  | { t: 'mcp'; at: string; tool: string; command?: string; exitCode?: number | null };

/** Output kept per run in the journal (the attempt keeps less). */
const MAX_OUTPUT = 16_000;

export class Journal {
  readonly path: string;

  constructor(
    readonly dir: string,
    readonly agent: string,
    readonly sessionId: string,
  ) {
    const key = createHash('sha256').update(`${agent}\0${sessionId}`).digest('hex').slice(0, 32);
    this.path = join(dir, `${agent}-${key}.jsonl`);
  }

  async append(entry: JournalEntry): Promise<void> {
    const e = await redacted(entry);
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    await appendFile(this.path, `${JSON.stringify(e)}\n`, { mode: 0o600 });
  }

  async read(path = this.path): Promise<JournalEntry[]> {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch {
      return [];
    }
    const out: JournalEntry[] = [];
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      try {
        const e = JSON.parse(line) as JournalEntry;
        if (e && typeof e === 'object' && typeof e.t === 'string') out.push(e);
      } catch {
        // a torn line: skip it
      }
    }
    return out;
  }

  /** Takes the journal away for committing, so events arriving meanwhile start a new one. */
  async claim(): Promise<string | undefined> {
    const claimed = `${this.path}.${process.pid}.${Date.now()}.commit`;
    try {
      await rename(this.path, claimed);
      return claimed;
    } catch {
      return undefined;
    }
  }

  static async remove(path: string): Promise<void> {
    await rm(path, { force: true });
  }
}

const clean = async (s: string): Promise<string> => (await redact(s)).text;

/** The entry with its texts redacted (and a run's output cut to its end). Rejects when redaction cannot run. */
async function redacted(e: JournalEntry): Promise<JournalEntry> {
  switch (e.t) {
    case 'open':
      return { ...e, issue: { ...e.issue, title: await clean(e.issue.title), body: await clean(e.issue.body) } };
    case 'run':
      return { ...e, command: await clean(e.command), output: await clean(e.output.slice(-MAX_OUTPUT)), patch: await clean(e.patch) };
    case 'mcp':
      return e.command === undefined ? e : { ...e, command: await clean(e.command) };
    default:
      return e;
  }
}
