// An insight's life after reflection wrote it, in the core with a real store and the real Anthropic SDK against the
// local Messages API server: approval (approve, edit, retire), feedback counters, staleness when its evidence goes,
// merging paraphrases by meaning, and upgrading an older store's insights.
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createEmbedder } from '../../src/core/embed';
import type { AnthropicProvider } from '../../src/core/llm';
import { recallInsights } from '../../src/core/recall/insights';
import {
  applyFeedback,
  approveInsight,
  checkStaleness,
  editInsight,
  reflectOnEpisode,
  retireInsight,
  InsightError,
} from '../../src/core/reflect';
import { ExperienceStore, SCHEMA_VERSION } from '../../src/core/store';
import { insightToRow } from '../../src/core/store/rows';
import { columnsAddedIn } from '../../src/core/store/schema';
import type { AnthropicServer } from '../helpers/anthropicServer';
import { makeInsight } from '../helpers/records';
import { contrastEpisode, REPO, useReflection } from '../helpers/reflection';
import { useTempDir } from '../helpers/tmp';

describe('insights after reflection: approval, feedback, staleness, merging, upgrade', () => {
  const tmp = useTempDir();
  let store: ExperienceStore;
  let server: AnthropicServer;
  let provider: AnthropicProvider;
  useReflection(tmp, (r) => ({ store, server, provider } = r));

  it('needs approval for new insights by default; approve, edit, retire', async () => {
    await store.upsertEpisodes([contrastEpisode('ep-a')]);
    const r = await reflectOnEpisode(store, provider, 'ep-a');
    const id = r.written[0];
    const text = (await store.getInsight(id))!.text;
    assert.equal((await recallInsights(store, { text, repo: REPO })).length, 0, 'a proposed insight is not recalled');
    assert.equal((await approveInsight(store, id)).status, 'active');
    assert.equal((await recallInsights(store, { text, repo: REPO }))[0]?.insight.id, id);
    const edited = await editInsight(store, id, '  Handle the empty   amount column before summing values.  ');
    assert.equal(edited.text, 'Handle the empty amount column before summing values.');
    await assert.rejects(editInsight(store, id, 'short'), (e: unknown) => e instanceof InsightError && e.code === 'invalid');
    await assert.rejects(approveInsight(store, 'nope'), (e: unknown) => e instanceof InsightError && e.code === 'not-found');
    assert.equal((await retireInsight(store, id)).status, 'retired');
    assert.equal((await recallInsights(store, { text: edited.text, repo: REPO })).length, 0);
    // with approval off, new insights are active at once
    await store.upsertEpisodes([contrastEpisode('ep-b', { files: ['app/report.py'] })]);
    const open = await reflectOnEpisode(store, provider, 'ep-b', { requireApproval: false });
    assert.equal((await store.getInsight(open.written[0]))?.status, 'active');
  });

  it('moves the counter with feedback and retires at 0', async () => {
    await store.upsertInsights([makeInsight({ id: 'fb', importance: 2, scope: REPO })]);
    let i = await applyFeedback(store, 'fb', 'helpful');
    assert.deepEqual([i.importance, i.feedback], [3, { helpful: 1, unhelpful: 0 }]);
    for (let n = 0; n < 3; n++) i = await applyFeedback(store, 'fb', 'not-helpful');
    assert.deepEqual([i.importance, i.status, i.feedback], [0, 'retired', { helpful: 1, unhelpful: 3 }]);
  });

  it('marks an insight stale when its evidence files are gone or its episodes forgotten, and recall ranks it lower', async () => {
    const ws = join(tmp.path, 'ws');
    mkdirSync(join(ws, 'app'), { recursive: true });
    writeFileSync(join(ws, 'app/totals.py'), 'x = 1\n');
    await store.upsertEpisodes([contrastEpisode('ev-1')]);
    const text = 'Handle an empty amount column before summing invoice totals.';
    await store.upsertInsights([
      makeInsight({
        id: 'st-files',
        scope: REPO,
        text,
        importance: 3,
        evidence: { episodes: ['ev-1'], files: ['app/totals.py', '../outside.py'] },
      }),
      makeInsight({ id: 'st-fresh', scope: REPO, text, importance: 3, evidence: { episodes: ['ev-1'], files: [] } }),
      makeInsight({
        id: 'st-eps',
        scope: REPO,
        text: 'Another lesson about invoices.',
        importance: 3,
        evidence: { episodes: ['gone-1', 'gone-2'], files: [] },
      }),
    ]);
    let r = await checkStaleness(store, { workspaceRoot: ws, scope: REPO });
    assert.deepEqual(r.stale, ['st-eps']);
    rmSync(join(ws, 'app/totals.py'));
    r = await checkStaleness(store, { workspaceRoot: ws, scope: REPO });
    assert.deepEqual(r.stale, ['st-files']);
    assert.match((await store.getInsight('st-files'))!.stale!, /evidence files no longer exist/);
    const hits = await recallInsights(store, { text, repo: REPO, k: 5 });
    assert.deepEqual(
      hits.slice(0, 2).map((h) => h.insight.id),
      ['st-fresh', 'st-files'],
    );
    assert.equal(hits[1].why.stale, true);
    assert.ok(hits[1].score < hits[0].score);
    // a check without a workspace keeps the file verdict; the file coming back clears it
    assert.deepEqual((await checkStaleness(store)).fresh, []);
    writeFileSync(join(ws, 'app/totals.py'), 'x = 2\n');
    assert.deepEqual((await checkStaleness(store, { workspaceRoot: ws, scope: REPO })).fresh, ['st-files']);
    // forgetting the evidence episode makes the others stale too
    await store.forget(['ev-1']);
    assert.deepEqual((await checkStaleness(store, { workspaceRoot: ws, scope: REPO })).stale.sort(), ['st-files', 'st-fresh']);
  });

  it('merges paraphrases by meaning with the built-in embedding model, which words alone would not', async () => {
    const embedder = createEmbedder({ provider: 'builtin' })!;
    try {
      const known = 'Write a failing test that reproduces the bug before fixing it.';
      const paraphrase = 'First add a test that fails because of the bug, then fix the code.';
      const unrelated = 'Escape user input before putting it into an SQL query.';
      const add = (text: string) => ({
        kind: 'tool' as const,
        input: {
          operations: [{ op: 'ADD', role: 'fix', scope: 'repo', text, evidence: { episodes: ['ep-m'], files: ['app/totals.py'] } }],
        },
      });
      await store.upsertEpisodes([contrastEpisode('ep-m')]);
      await store.upsertInsights([makeInsight({ id: 'known', scope: REPO, role: 'fix', text: known, importance: 3 })]);
      server.next(add(paraphrase));
      const merged = await reflectOnEpisode(store, provider, 'ep-m', { embedder });
      assert.deepEqual(
        merged.outcomes.map((o) => [o.result, o.insightId]),
        [['merged', 'known']],
      );
      assert.equal((await store.getInsight('known'))?.importance, 4);
      server.next(add(unrelated));
      assert.equal((await reflectOnEpisode(store, provider, 'ep-m', { embedder })).outcomes[0].result, 'added');
      server.next(add(paraphrase));
      assert.equal((await reflectOnEpisode(store, provider, 'ep-m')).outcomes[0].result, 'added', 'by words alone it is a new lesson');
    } finally {
      await embedder.dispose();
    }
  });

  it('upgrades a schema-3 store: insights gain the stale and feedback columns, old rows read unchanged', async () => {
    const dir = join(tmp.path, 'v3');
    const old = await ExperienceStore.open(dir, { targetVersion: 3 });
    const row = insightToRow(makeInsight({ id: 'v3-i', scope: REPO }));
    // A schema-3 row has none of the columns added since (feedback in 4, provenance in 6).
    for (const c of ['stale', 'helpful', 'unhelpful', ...columnsAddedIn('insights', 6)]) delete row[c];
    await old.table('insights').add([row]);
    old.close();
    const s = await ExperienceStore.open(dir);
    try {
      assert.equal(s.schemaVersion, SCHEMA_VERSION);
      const i = await s.getInsight('v3-i');
      assert.equal(i?.stale, undefined);
      assert.equal(i?.feedback, undefined);
      assert.equal((await applyFeedback(s, 'v3-i', 'helpful')).feedback?.helpful, 1);
    } finally {
      s.close();
    }
  });
});
