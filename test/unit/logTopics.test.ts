// Each part of Dejafix logs under its topic through a child logger (`store: …`, `recall: …`,
// `mcp: …`), exactly once per line, and a failure's log line carries its `cause` chain — checked
// through the real parts: a LanceDB store in a temp folder, recall against an embedding endpoint
// that is down, and `dejafix mcp` over stdio with a store it cannot open.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { OpenAiCompatibleEmbedder } from '../../src/core/embed';
import { recallWithContext } from '../../src/core/recall/withContext';
import { ExperienceStore } from '../../src/core/store';
import { lineLogger, type LogLevel } from '../../src/core/util/logger';
import { CLI } from '../helpers/cli';
import { startEmbedServer } from '../helpers/embedServer';
import { makeEpisode } from '../helpers/records';
import { useTempDir } from '../helpers/tmp';

function recorder() {
  const lines: string[] = [];
  return { lines, log: lineLogger((level: LogLevel, line) => lines.push(`${level} ${line}`)) };
}

/** No line names its topic twice (a prefix typed at the call site under a child logger). */
function assertNoDoubledTopic(lines: string[]): void {
  for (const l of lines) assert.doesNotMatch(l, /\b(store|recall|reflect|llm|mcp|panel|capture): \1: /, l);
}

describe('log topics (child loggers)', () => {
  const tmp = useTempDir();

  it('the store logs its migrations under "store:"', async () => {
    const { lines, log } = recorder();
    const store = await ExperienceStore.open(join(tmp.path, 'fresh'), { log });
    await store.close();
    const migrations = lines.filter((l) => l.includes('migrating to schema'));
    assert.ok(migrations.length > 0, lines.join('\n'));
    for (const l of migrations) assert.match(l, /^info store: migrating to schema \d+: /);
    assertNoDoubledTopic(lines);
  });

  it('recall warns under "recall:" when the embedding endpoint is down, and still answers', async () => {
    const store = await ExperienceStore.open(tmp.path);
    const server = await startEmbedServer({ dimensions: 8 });
    const baseUrl = server.baseUrl;
    await server.close();
    const embedder = new OpenAiCompatibleEmbedder({ baseUrl, model: 'nomic-embed-text', maxRetries: 0 });
    try {
      await store.upsertEpisodes([
        makeEpisode({
          id: 'tz',
          repo: 'github.com/acme/cal',
          issue: { title: 'Calendar shows meetings an hour late after the clocks change', body: '' },
        }),
      ]);
      const { lines, log } = recorder();
      const r = await recallWithContext(
        store,
        { text: 'meetings an hour late after daylight saving', repo: 'github.com/acme/cal', k: 1, minRelevance: 0 },
        { embedder, log },
      );
      assert.equal(r.hits[0]?.episodeId, 'tz');
      const warnings = lines.filter((l) => l.startsWith('warn '));
      assert.equal(warnings.length, 1, lines.join('\n'));
      assert.match(warnings[0], /^warn recall: embedding the query failed, so this recall is lexical only: /);
      assertNoDoubledTopic(lines);
    } finally {
      await embedder.dispose();
      await store.close();
    }
  });

  it('an MCP tool failure is logged under "mcp:" with the error and every cause', async () => {
    const file = join(tmp.path, 'a-file');
    writeFileSync(file, 'not a folder');
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [CLI, 'mcp', '--store', join(file, 'store'), '--embedder', 'none'],
      stderr: 'pipe',
    });
    let stderr = '';
    transport.stderr?.on('data', (d) => (stderr += d));
    const client = new Client({ name: 'log-topics', version: '1.0.0' });
    await client.connect(transport);
    try {
      const r = (await client.callTool({ name: 'dejafix_recall', arguments: { query: 'meetings an hour late' } })) as {
        isError?: boolean;
        content: { text: string }[];
      };
      assert.equal(r.isError, true);
      assert.match(
        r.content[0].text,
        /is not a folder\. Pass a folder to --store\. This is not caused by your arguments/,
        `one full stop, not two: ${r.content[0].text}`,
      );
    } finally {
      await client.close();
    }
    assert.match(stderr, /^error: mcp: dejafix_recall failed: StoreError: .*is not a folder/m);
    assert.match(stderr, /\n {4}at /, 'the stack is logged');
    // The cause is the file system's refusal: ENOTDIR where the store's folder is created under a file, EEXIST
    // where the private (0700) store folder itself would be created over the file.
    assert.match(stderr, /^caused by: Error: (ENOTDIR|EEXIST): /m);
    assertNoDoubledTopic(stderr.split('\n'));
  });
});
