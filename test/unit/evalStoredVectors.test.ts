// `dejafix eval` with an embedding model asks each episode with the vector the store already holds
// for it (src/core/eval/storedVectors.ts) instead of embedding every query again. Real store in a
// temp folder, real built-in model (wrapped only to count what it is asked to embed), SWE-bench
// Lite instances as the memory.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createEmbedder } from '../../src/core/embed/factory';
import type { Embedder } from '../../src/core/embed/embedder';
import { evaluateMemory, queryText, type EvalReport } from '../../src/core/eval/evaluate';
import { episodeFromInstance } from '../../src/core/ingest';
import type { Episode } from '../../src/core/model';
import { vectorizePending, embedText } from '../../src/core/recall/vectorize';
import { ExperienceStore } from '../../src/core/store';
import { VectorTable } from '../../src/core/store/vectors';
import { useTempDir } from '../helpers/tmp';

const LITE = join(__dirname, '../../../shared/bench/swebench-lite.jsonl');

/** The real model, recording every text it is asked to embed. */
function counting(inner: Embedder): Embedder & { texts: string[] } {
  const texts: string[] = [];
  return {
    texts,
    get id() {
      return inner.id;
    },
    get dimensions() {
      return inner.dimensions;
    },
    embed: (t, signal) => {
      texts.push(...t);
      return inner.embed(t, signal);
    },
    dispose: () => inner.dispose(),
  };
}

/** Lite instances of a few repositories as episodes; without an error signature each is embedded from exactly its query text. */
function liteEpisodes(repos: string[], withSignature: boolean): Episode[] {
  return readFileSync(LITE, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { repo: string })
    .filter((i) => repos.includes(i.repo))
    .map((i) => episodeFromInstance(i))
    .map((e) => (withSignature ? e : { ...e, errorSignature: '' }));
}

function figuresOf(r: EvalReport): unknown {
  return { overall: r.overall, unfiltered: r.unfiltered, repos: r.repos, months: r.months };
}

describe('dejafix eval reuses the stored vectors of episodes', function () {
  this.timeout(600_000);
  const tmp = useTempDir();
  let model: Embedder;
  before(() => {
    model = createEmbedder({ provider: 'builtin' })!;
  });
  after(async () => {
    await model.dispose();
  });

  it('embeds no query when every episode has a current vector, and gives the figures of embedding each query', async () => {
    const store = await ExperienceStore.open(join(tmp.path, 'store'));
    try {
      const episodes = liteEpisodes(['psf/requests', 'pytest-dev/pytest', 'pylint-dev/pylint'], false);
      await store.upsertEpisodes(episodes);
      await vectorizePending(store, model);
      const reuse = counting(model);
      const reused = await evaluateMemory(store, { minRelevance: 0.15, embedder: reuse });
      assert.ok(reused.overall.queries >= 20, JSON.stringify(reused.overall));
      assert.ok(reused.unfiltered.relevantShown > 0, 'the fixture finds something relevant');
      assert.deepEqual(reuse.texts, [], 'a query was embedded although its vector is in the store');

      // The same vectors under a hash that no longer matches: eval must embed every query itself.
      const table = new VectorTable(store, model.id);
      const stored = await table.vectorsOf(episodes.map((e) => e.id));
      assert.equal(stored.size, episodes.length);
      await table.upsert(
        episodes.map((e) => ({ id: e.id, repo: e.repo, createdAt: e.createdAt, textHash: 'stale', vector: stored.get(e.id)!.vector })),
      );
      const fresh = counting(model);
      const embedded = await evaluateMemory(store, { minRelevance: 0.15, embedder: fresh });
      assert.equal(fresh.texts.length, embedded.overall.queries, 'each query embedded once');
      assert.deepEqual(figuresOf(reused), figuresOf(embedded));
    } finally {
      store.close();
    }
  });

  it('embeds exactly the queries whose episode changed or has no vector yet', async () => {
    const store = await ExperienceStore.open(join(tmp.path, 'store'));
    try {
      const episodes = liteEpisodes(['psf/requests', 'pylint-dev/pylint', 'pallets/flask'], true);
      assert.ok(
        episodes.some((e) => e.errorSignature),
        'some episodes carry an error signature (part of their vector)',
      );
      await store.upsertEpisodes(episodes);
      await vectorizePending(store, model);
      const sorted = [...episodes].sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt));
      const last = sorted.at(-1)!;
      const changed = { ...last, issue: { ...last.issue, body: `${last.issue.body}\nAlso seen with requests 2.x.` } };
      const added: Episode = {
        ...sorted[sorted.length - 2],
        id: 'added-later',
        sourceId: 'added-later',
        issue: { title: 'Session.send ignores the proxies argument', body: 'Passing proxies= to Session.send has no effect.' },
        createdAt: new Date(Date.parse(last.createdAt) + 86_400_000).toISOString(),
      };
      await store.upsertEpisodes([changed, added]);
      const counted = counting(model);
      const report = await evaluateMemory(store, { minRelevance: 0.15, embedder: counted });
      const asText = (e: Episode) => queryText({ title: e.issue.title, body: e.issue.body });
      assert.deepEqual(counted.texts.sort(), [asText(changed), asText(added)].sort());
      assert.equal(report.episodes, episodes.length + 1);
      // What a stored vector is embedded from includes the error signature: that is what eval reuses.
      assert.match(embedText({ title: 't', errorSignature: 'TypeError: x', body: 'b' }), /TypeError/);
    } finally {
      store.close();
    }
  });

  it('reads stored vectors by id: missing ids are left out, none asked gives none', async () => {
    const store = await ExperienceStore.open(join(tmp.path, 'store'));
    try {
      const table = new VectorTable(store, model.id);
      assert.equal((await table.vectorsOf(['x'])).size, 0, 'no table yet');
      const [a, b] = liteEpisodes(['psf/requests'], false);
      await store.upsertEpisodes([a, b]);
      await vectorizePending(store, model);
      const got = await table.vectorsOf([a.id, "it's-not-there"]);
      assert.deepEqual([...got.keys()], [a.id]);
      assert.equal(got.get(a.id)!.vector.length, model.dimensions);
      const [again] = await model.embed([embedText({ title: a.issue.title, errorSignature: '', body: a.issue.body })]);
      const dot = again.reduce((s, v, i) => s + v * got.get(a.id)!.vector[i], 0);
      assert.ok(dot > 0.999, `the stored vector is the episode's (cosine ${dot})`);
      assert.equal((await table.vectorsOf([])).size, 0);
    } finally {
      store.close();
    }
  });
});
