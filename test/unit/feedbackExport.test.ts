// Export/import carry the feedback and the recall log (issue 17 item 3): replayed sessions' events,
// credits and markers, CLI verdicts, teammates' rows and the recall log go out as Dejafix JSONL and
// come back byte for byte into a fresh store, where recall hides and ranks exactly as before.
// Malformed and hostile feedback/recall lines get FILE:LINE and a reason; every other line is kept.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { creditSession, hiddenFor, logRecall, queryHash, recordFeedback, utilityFor } from '../../src/core/feedback/feedback';
import { exportJsonl, importLines } from '../../src/core/ingest';
import { parseDejafixLine } from '../../src/core/ingest/jsonl';
import { recall } from '../../src/core/recall/recall';
import { feedbackRows, SEP } from '../../src/core/store/feedbackLog';
import { ExperienceStore } from '../../src/core/store';
import { runCli } from '../helpers/cli';
import { makeEpisode, makeInsight } from '../helpers/records';
import { useTempDir } from '../helpers/tmp';

const REPO = 'github.com/acme/shop';

async function exported(store: ExperienceStore): Promise<string[]> {
  const lines: string[] = [];
  await exportJsonl(store, (l) => void lines.push(l));
  return lines;
}

/** A store with episodes, a lesson and feedback given every way there is, seeded by `n`. */
async function seeded(dir: string, n: number): Promise<{ store: ExperienceStore; ids: string[]; query: string }> {
  const store = await ExperienceStore.open(dir);
  const ids = Array.from({ length: 5 + n }, (_, i) => `ep${n}-${i}`);
  await store.upsertEpisodes(
    ids.map((id, i) =>
      makeEpisode({
        id,
        repo: REPO,
        issue: { title: `Cart total wrong with coupon ${i}`, body: `discount coupon cart ${n}` },
        files: [`app/cart${i}.py`],
        finalPatch: `diff --git a/app/cart${i}.py b/app/cart${i}.py\n--- a/app/cart${i}.py\n+++ b/app/cart${i}.py\n@@ -1,1 +1,1 @@\n-a${i}\n+b${i}\n`,
        createdAt: `2024-0${1 + (i % 9)}-0${1 + (i % 7)}T00:00:00.000Z`,
      }),
    ),
  );
  await store.upsertInsights([makeInsight({ id: `lesson-${n}`, text: 'Coupons apply before tax, never after it.', scope: REPO })]);
  const query = `Cart total is wrong when a coupon is used (${n})`;
  for (let s = 0; s < 2 + n; s++) {
    const sessionId = `s${n}-${s}`;
    await logRecall(store, { sessionId, query, episodes: ids.slice(s, s + 3), insights: [`lesson-${n}`], source: 'panel' });
    await recordFeedback(store, { subject: ids[s], kind: 'opened', sessionId, query });
    await recordFeedback(store, { subject: ids[s + 1], kind: 'not-relevant', sessionId, query });
    await recordFeedback(store, { subject: `lesson-${n}`, kind: 'prompted', sessionId, query, subjectKind: 'insight' });
    await creditSession(store, { sessionId, outcome: s % 2 ? 'failed' : 'resolved' });
  }
  await recordFeedback(store, { subject: ids[4], kind: 'helpful', query: 'another issue' });
  await recordFeedback(store, { subject: ids[0], kind: 'not-relevant', query });
  await logRecall(store, { query, episodes: ids.slice(0, 2), source: 'cli' });
  // A teammate's credit (team sync writes these with `by`).
  await feedbackRows.write(store, [
    {
      id: ['cr', 'bob-s1', ids[2]].join(SEP),
      subject: ids[2],
      subjectKind: 'episode',
      kind: 'helped',
      sessionId: 'bob-s1',
      queryHash: '',
      at: new Date().toISOString(),
      by: 'bob',
    },
  ]);
  return { store, ids, query };
}

describe('export/import carry feedback and the recall log', function () {
  this.timeout(180_000);
  const tmp = useTempDir();

  for (const n of [0, 1, 2]) {
    it(`round trip (variant ${n}): same lines, same hiding, same utility, same ranking`, async () => {
      const { store, ids, query } = await seeded(join(tmp.path, 'a'), n);
      const out = await exported(store);
      assert.ok(out.some((l) => l.includes('"kind":"feedback"')) && out.some((l) => l.includes('"kind":"recall"')));
      assert.ok(!out.some((l) => l.includes('Cart total is wrong when')), 'the query text itself is never exported');
      const file = join(tmp.path, 'export.jsonl');
      writeFileSync(file, out.join(''));
      const copy = await ExperienceStore.open(join(tmp.path, 'b'));
      try {
        const r = await importLines(copy, file, parseDejafixLine);
        assert.deepEqual(r.errorLines, []);
        assert.equal(r.feedback, out.filter((l) => l.includes('"kind":"feedback"')).length);
        assert.equal(r.recalls, out.filter((l) => l.includes('"kind":"recall"')).length);
        assert.deepEqual((await exported(copy)).sort(), [...out].sort());
        assert.deepEqual([...(await hiddenFor(copy, query))].sort(), [...(await hiddenFor(store, query))].sort());
        const now = Date.now();
        assert.deepEqual(await utilityFor(copy, ids, now), await utilityFor(store, ids, now));
        const q = { text: query, repo: REPO, k: 10, minRelevance: 0 };
        assert.deepEqual(
          (await recall(copy, q)).map((h) => [h.episodeId, h.score]),
          (await recall(store, q)).map((h) => [h.episodeId, h.score]),
        );
        assert.deepEqual((await copy.getInsight(`lesson-${n}`))?.feedback, (await store.getInsight(`lesson-${n}`))?.feedback);
        // Importing again changes nothing (rows are keyed).
        await importLines(copy, file, parseDejafixLine);
        assert.deepEqual((await exported(copy)).sort(), [...out].sort());
      } finally {
        copy.close();
        store.close();
      }
    });
  }

  it('malformed and hostile feedback/recall lines: FILE:LINE and a reason each, every good line kept', async () => {
    const { store } = await seeded(join(tmp.path, 'a'), 0);
    const good = await exported(store);
    store.close();
    const fb = good.find((l) => l.includes('"kind":"feedback"') && l.includes('"type":"not-relevant"'))!;
    const rec = good.find((l) => l.includes('"kind":"recall"'))!;
    const f = JSON.parse(fb) as Record<string, unknown>;
    const r = JSON.parse(rec) as Record<string, unknown>;
    const h = queryHash('x');
    const bad: [string, RegExp][] = [
      [JSON.stringify({ ...f, id: `cr${SEP}s0-0${SEP}ep0-4` }), /id does not match its fields/],
      [JSON.stringify({ ...f, type: 'helped' }), /id does not match its fields/],
      [JSON.stringify({ ...f, type: 'launch-missiles' }), /unknown feedback type/],
      [JSON.stringify({ ...f, subject: `ep${SEP}x` }), /control characters/],
      [JSON.stringify({ ...f, sessionId: '', queryHash: '' }), /sessionId or a queryHash/],
      [JSON.stringify({ ...f, queryHash: 'DROP TABLE' }), /query hash/],
      [JSON.stringify({ ...f, at: 'yesterday' }), /not a valid ISO time/],
      [JSON.stringify({ ...f, text: 'the query in clear' }), /Unrecognized key/i],
      [JSON.stringify({ ...f, subject: 'x'.repeat(10_000) }), /subject/],
      [JSON.stringify({ ...f, kind: 'feedbacks' }), /each line needs "kind"/],
      [JSON.stringify({ kind: 'feedback' }), /not a valid feedback row/],
      [JSON.stringify({ ...r, id: `log${SEP}other${SEP}${h}` }), /recall id does not match/],
      [JSON.stringify({ ...r, episodes: Array.from({ length: 101 }, (_, i) => `e${i}`) }), /episodes/],
      [JSON.stringify({ ...r, episodes: 'ep0-0' }), /episodes/],
      ['{"kind":"recall",', /not valid JSON/],
    ];
    // A subject that looks like SQL is just an id: stored literally when its key is right.
    const sqlish = "ep' OR '1'='1";
    const literal = { ...f, subject: sqlish, id: ['ev', String(f.sessionId), sqlish, 'not-relevant'].join(SEP) };
    const lines = [...good.map((l) => l.trimEnd()), ...bad.map(([l]) => l), JSON.stringify(literal)];
    const file = join(tmp.path, 'hostile.jsonl');
    writeFileSync(file, `${lines.join('\n')}\n`);
    const dir = join(tmp.path, 'c');
    const cli = await runCli(['import', '--store', dir, '--format', 'jsonl', file]);
    assert.equal(cli.code, 1, cli.stderr);
    const errs = cli.stderr
      .trim()
      .split('\n')
      .filter((l) => l.startsWith(`${file}:`));
    assert.equal(errs.length, bad.length, cli.stderr);
    bad.forEach(([, reason], i) => {
      assert.ok(errs[i].startsWith(`${file}:${good.length + i + 1}: `), errs[i]);
      assert.match(errs[i], reason);
    });
    assert.doesNotMatch(cli.stderr, /\n\s+at |LanceError/);
    const copy = await ExperienceStore.open(dir, { mode: 'read' });
    try {
      const back = await exported(copy);
      const want = [...good, `${JSON.stringify(literal)}\n`];
      assert.deepEqual(back.sort(), want.sort(), 'every good line kept, nothing of a bad one');
    } finally {
      copy.close();
    }
  });
});
