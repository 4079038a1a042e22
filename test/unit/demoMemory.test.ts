// The demo memory (demo/memory.jsonl + demo/workspace) as `npm start` and "Seed Demo Memory" set it
// up: real demonstrations whose evidence files exist in the demo project, none of which is the demo
// issue itself, seeded with dates moved to just before today so no lesson is stale, and the right past
// repair recalled first for the quick start's issue (with the real embedding model).
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { importLines, lineParser, newestTime, recentDatesParser, shiftParsed } from '../../src/core/ingest';
import type { Parsed } from '../../src/core/ingest/records';
import { BuiltinEmbedder } from '../../src/core/embed';
import { recall } from '../../src/core/recall/recall';
import { vectorizePending } from '../../src/core/recall/vectorize';
import { checkStaleness } from '../../src/core/reflect';
import { ExperienceStore } from '../../src/core/store';
import { insightView } from '../../src/vscode/panel/toView';
import { assertOneLine, runCli } from '../helpers/cli';
import { useTempDir } from '../helpers/tmp';

const ROOT = join(__dirname, '../..');
const MEMORY = join(ROOT, 'demo/memory.jsonl');
const WORKSPACE = join(ROOT, 'demo/workspace');
const REPO = 'github.com/acme/invoice-service';
/** The quick start's issue (README, scripts/start.mjs). */
const ISSUE = 'CSV export fails with TypeError in csv_export.py when the issue date column is empty';
const DAY = 86_400_000;

const records = (): Parsed[] =>
  readFileSync(MEMORY, 'utf8')
    .trim()
    .split('\n')
    .map((l) => {
      const { kind, ...rest } = JSON.parse(l) as { kind: string };
      return kind === 'episode' ? { episodes: [rest] } : ({ insights: [rest] } as Parsed);
    }) as Parsed[];

function allTimes(p: Parsed): number[] {
  const e = p.episodes ?? [];
  return [
    ...e.flatMap((x) => [x.createdAt, x.endedAt, ...x.attempts.map((a) => a.at)]),
    ...(p.insights ?? []).flatMap((i) => [i.createdAt, i.updatedAt, i.lastUsedAt]),
  ]
    .filter((t): t is string => t !== undefined)
    .map((t) => Date.parse(t));
}

describe('demo memory: real demonstrations in the demo project', () => {
  const all = records();
  const episodes = all.flatMap((p) => p.episodes ?? []);
  const insights = all.flatMap((p) => p.insights ?? []);

  it('every file an episode or lesson of the demo project names exists in demo/workspace', () => {
    const local = [
      ...episodes.filter((e) => e.repo === REPO).flatMap((e) => e.files),
      ...insights.filter((i) => i.scope === REPO).flatMap((i) => i.evidence.files),
    ];
    assert.ok(local.length >= 8, `only ${local.length} evidence files`);
    for (const f of new Set(local)) assert.ok(existsSync(join(WORKSPACE, f)), `${f} is named as evidence but missing from demo/workspace`);
  });

  it('no demo episode is the demo issue itself (recall must transfer, not answer)', () => {
    const issueCode = readFileSync(join(WORKSPACE, 'invoice_service/export/csv_export.py'), 'utf8');
    const buggy = issueCode.split('\n').find((l) => l.includes('days_to_pay') && l.includes(' - '));
    assert.ok(buggy, 'the demo workspace no longer has the bug the quick start is about');
    for (const e of episodes) {
      assert.notEqual(e.issue.title.toLowerCase(), ISSUE.toLowerCase(), e.id);
      assert.doesNotMatch(e.errorSignature, /unsupported operand type\(s\) for -/, `${e.id} has the demo issue's error`);
      for (const patch of [e.finalPatch, ...e.attempts.map((a) => a.patch)]) {
        assert.ok(!patch.includes(`\n-${buggy}\n`), `${e.id} patches the very line of the demo issue`);
      }
    }
  });

  it('shiftParsed moves every timestamp by the same amount and keeps the order and gaps', () => {
    const shift = 123 * DAY + 4567;
    for (const p of all) {
      const before = allTimes(p);
      const after = allTimes(shiftParsed(p, shift));
      assert.equal(after.length, before.length);
      after.forEach((t, i) => assert.equal(t - before[i], shift));
    }
    const newest = Math.max(...all.map((p) => newestTime(p) ?? 0));
    assert.equal(newest, Math.max(...all.flatMap(allTimes)));
    assert.equal(newestTime({}), undefined);
  });
});

describe('demo memory: seeded as npm start seeds it', function () {
  this.timeout(180_000);
  const tmp = useTempDir();

  it('with --shift-dates the newest record is at the given time and no lesson is stale, in the panel or in the workspace check', async () => {
    const now = new Date();
    const newest = new Date(now.getTime() - 2 * DAY);
    const store = join(tmp.path, 'store');
    const r = await runCli(['import', '--store', store, '--embedder', 'none', '--shift-dates', newest.toISOString(), MEMORY]);
    assert.equal(r.code, 0, r.stderr);
    const s = await ExperienceStore.open(store);
    try {
      const ins = await s.insights();
      assert.equal(ins.length, 4);
      const times = ins.flatMap((i) => [i.createdAt, i.updatedAt]).map((t) => Date.parse(t));
      assert.ok(Math.max(...times) <= newest.getTime());
      for (const i of ins) assert.equal(insightView(i, now)?.stale, false, `${i.id} shows as stale (updated ${i.updatedAt})`);
      const check = await checkStaleness(s, { workspaceRoot: WORKSPACE, scope: REPO });
      assert.deepEqual(check.stale, [], 'lessons whose evidence files are missing from demo/workspace');
      // The check can fail: the same lesson left at its written date, seen 100 days later, is stale.
      const written = records()
        .flatMap((p) => p.insights ?? [])
        .find((i) => i.id === ins[0].id)!;
      assert.equal(insightView(written, new Date(Date.parse(written.updatedAt) + 100 * DAY))?.stale, true);
    } finally {
      s.close();
    }
  });

  it('recalls the related past repair in the same code first for the quick start issue (real embedding model)', async () => {
    const s = await ExperienceStore.open(join(tmp.path, 'store'));
    const embedder = new BuiltinEmbedder();
    try {
      const parse = await recentDatesParser(MEMORY, (await lineParser('jsonl')).parse, new Date());
      const report = await importLines(s, MEMORY, parse);
      assert.equal(report.errors, 0);
      await vectorizePending(s, embedder);
      const hits = await recall(s, { text: ISSUE, repo: REPO, k: 5 }, { embedder });
      assert.equal(hits[0]?.episodeId, 'demo-ep-01', hits.map((h) => h.episodeId).join(', '));
      assert.ok(hits[0].why.parts.vector > 0, 'no vector similarity');
      const top = await s.getEpisode('demo-ep-01');
      assert.ok(top?.files.includes('invoice_service/export/csv_export.py'), 'the top repair is not in the same code');
      assert.deepEqual(
        top?.attempts.map((a) => a.outcome),
        ['failed', 'passed', 'passed'],
        'not a wrong → right demonstration',
      );
    } finally {
      s.close();
      await embedder.dispose();
    }
  });

  it('rejects a --shift-dates that is not a time, and with a document format, in one line', async () => {
    const store = join(tmp.path, 'store');
    for (const bad of ['yesterday', '', '2026-13-45T99:00:00Z', 'x'.repeat(5000)]) {
      assertOneLine(
        await runCli(['import', '--store', store, '--embedder', 'none', '--shift-dates', bad, MEMORY]),
        2,
        /^dejafix: --shift-dates must be an ISO time/,
      );
    }
    const dir = join(tmp.path, 'traj');
    writeFileSync(join(tmp.path, 'empty.jsonl'), '');
    assertOneLine(
      await runCli(['import', '--store', store, '--format', 'claude-code', '--shift-dates', 'now', dir]),
      2,
      /--shift-dates works with the line formats/,
    );
    assert.equal(existsSync(store), false, 'a rejected import wrote a store');
  });
});
