// A damaged store met over MCP (issue 13): a tool answers with one line naming the table and
// `dejafix doctor`, a resource read fails with the same line — never LanceDB's error chain.
import assert from 'node:assert/strict';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ExperienceStore } from '../../src/core/store/store';
import { callTool, memoryMcp, resultText, type MemoryMcp } from '../helpers/mcpMemory';
import { makeAttempt, makeEpisode } from '../helpers/records';
import { useTempDir } from '../helpers/tmp';

const TRACE = /\n\s+at |\.rs:\d+|LanceError|panicked|Caused by|source:/;

async function seed(dir: string): Promise<void> {
  const store = await ExperienceStore.open(dir);
  const eps = Array.from({ length: 3 }, (_, i) =>
    makeEpisode({
      id: `ep-d${i}`,
      issue: { title: `Invoice rounding error ${i} for discounted lines`, body: 'Totals are off by a cent on discounted invoice lines.' },
    }),
  );
  await store.upsertEpisodes(eps.map((e) => ({ ...e, attempts: [makeAttempt(e.id, { command: 'pytest tests/test_totals.py' })] })));
  store.close();
}

const damages: Record<string, (dir: string) => void> = {
  'deleted data files': (dir) => {
    const d = join(dir, 'attempts.lance', 'data');
    for (const f of readdirSync(d)) rmSync(join(d, f));
  },
};

describe('MCP on a damaged store', function () {
  this.timeout(300_000);
  const tmp = useTempDir();
  let mcp: MemoryMcp | undefined;
  afterEach(async () => mcp?.close());

  for (const [name, damage] of Object.entries(damages)) {
    it(`attempts table with ${name}: one-line tool error and resource error naming the table and dejafix doctor`, async () => {
      await seed(tmp.path);
      damage(tmp.path);
      mcp = await memoryMcp(tmp.path);
      const client = await mcp.connect('claude-code');
      const r = await callTool(client, 'dejafix_recall', { query: 'Invoice rounding error for discounted lines', minRelevance: 0 });
      assert.equal(r.isError, true, resultText(r));
      const text = resultText(r);
      assert.equal(text.split('\n').length, 1, text);
      assert.match(text, /the attempts table cannot be read/);
      assert.match(text, /dejafix doctor --store/);
      assert.doesNotMatch(text, TRACE);
      const read = await client.readResource({ uri: 'dejafix://episodes/ep-d0' }).then(
        () => 'read',
        (e: Error) => e.message,
      );
      assert.match(read, /the attempts table cannot be read.*dejafix doctor/);
      assert.doesNotMatch(read, TRACE);
      // The server keeps serving: a call that does not touch the damaged table still works.
      const lessons = await client.readResource({ uri: 'dejafix://insights' });
      assert.ok(lessons.contents.length === 1);
    });
  }
});
