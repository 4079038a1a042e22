import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers/cli';
import { useTempDir } from '../helpers/tmp';
import { makeAttempt, makeEpisode, makeInsight } from '../helpers/records';

/** Every file under `dir`, as bytes. */
function allFiles(dir: string): Buffer[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((p) => join(dir, p))
    .filter((p) => statSync(p).isFile())
    .map((p) => readFileSync(p));
}

describe('forget removes the text from disk at once', () => {
  const tmp = useTempDir();

  it('after forget, no file of the store holds the forgotten texts; the rest is intact', async () => {
    const store = join(tmp.path, 'store');
    const lines: string[] = [];
    for (let i = 0; i < 60; i++) {
      const id = `ep-${i}`;
      lines.push(
        JSON.stringify({
          kind: 'episode',
          ...makeEpisode({
            id,
            sourceId: `src-${i}`,
            issue: { title: `Widget fault number ${i} SECRETWORD${i}X`, body: `body text ${i} BODYWORD${i}X` },
            attempts: [makeAttempt(id, { id: `${id}-a`, outputTail: `output ATTEMPTWORD${i}X` })],
          }),
        }),
      );
    }
    for (let i = 0; i < 6; i++)
      lines.push(JSON.stringify({ kind: 'insight', ...makeInsight({ id: `in-${i}`, text: `Lesson LESSONWORD${i}X` }) }));
    const f = join(tmp.path, 'm.jsonl');
    writeFileSync(f, `${lines.join('\n')}\n`);
    assert.equal((await runCli(['import', '--store', store, '--embedder', 'none', f])).code, 0);
    // By id, by source id, an insight: a small share of each table, so Lance alone would keep the bytes.
    const r = await runCli(['forget', '--store', store, '--yes', 'ep-3', 'src-41', 'in-2']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Forgot 2 episode\(s\) and 1 insight\(s\); the store was compacted/);
    const files = allFiles(store);
    for (const gone of ['SECRETWORD3X', 'BODYWORD3X', 'ATTEMPTWORD3X', 'SECRETWORD41X', 'ATTEMPTWORD41X', 'LESSONWORD2X']) {
      assert.equal(
        files.some((b) => b.includes(gone)),
        false,
        `${gone} is still on disk`,
      );
    }
    const exp = await runCli(['export', '--store', store]);
    const back = exp.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.equal(back.filter((x) => x.kind === 'episode').length, 58);
    assert.equal(back.filter((x) => x.kind === 'insight').length, 5);
    const kept = back.find((x) => x.id === 'ep-4');
    assert.equal(kept.issue.title, 'Widget fault number 4 SECRETWORD4X');
    assert.equal(kept.attempts[0].outputTail, 'output ATTEMPTWORD4X');
    const rec = await runCli(['recall', '--store', store, '--embedder', 'none', '--json', '--min-relevance', '0', 'Widget fault number 5']);
    assert.equal(rec.code, 0, rec.stderr);
    assert.ok(JSON.parse(rec.stdout).results.length > 0, 'the full-text index still works');
  });
});
