// Recall with embeddings: the real built-in model, and an OpenAI-compatible server on 127.0.0.1.
import assert from 'node:assert/strict';
import { BuiltinEmbedder, OpenAiCompatibleEmbedder } from '../../src/core/embed';
import { recall } from '../../src/core/recall/recall';
import { vectorizePending } from '../../src/core/recall/vectorize';
import { ExperienceStore } from '../../src/core/store';
import { VECTOR_INDEX_MIN_ROWS, VectorTable } from '../../src/core/store/vectors';
import type { Logger } from '../../src/core/util/logger';
import { startEmbedServer } from '../helpers/embedServer';
import { makeEpisode } from '../helpers/records';
import { useTempDir } from '../helpers/tmp';

const REPO = 'github.com/acme/portal';
const episodes = [
  makeEpisode({
    id: 'twin',
    repo: REPO,
    issue: { title: 'Program crashes when the uploaded spreadsheet has no rows', body: '' },
    files: ['app/upload.py'],
    symbols: [],
  }),
  makeEpisode({
    id: 'avatar',
    repo: REPO,
    issue: { title: 'Profile picture shows up rotated sideways', body: '' },
    files: ['app/avatar.py'],
    symbols: [],
  }),
  makeEpisode({
    id: 'theme',
    repo: REPO,
    issue: { title: 'Dark mode colours are wrong in the settings page', body: '' },
    files: ['web/theme.css'],
    symbols: [],
  }),
];

function recordingLogger(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  return { warnings, debug() {}, info() {}, error() {}, warn: (m) => void warnings.push(m) };
}

describe('recall with vectors', () => {
  const tmp = useTempDir();
  let store: ExperienceStore;
  beforeEach(async () => {
    store = await ExperienceStore.open(tmp.path);
    await store.upsertEpisodes(episodes);
  });
  afterEach(() => store.close());

  it('finds a paraphrased issue that shares no words with it (built-in model)', async () => {
    const embedder = new BuiltinEmbedder();
    try {
      const query = { text: 'Importing an empty Excel workbook makes the service fail', repo: REPO, k: 1, minRelevance: 0 };
      const lexical = await recall(store, query);
      assert.notEqual(lexical[0]?.episodeId, 'twin', 'the words alone do not find it');
      const v = await vectorizePending(store, embedder);
      assert.deepEqual(v, { done: 3, total: 3 });
      assert.deepEqual(await vectorizePending(store, embedder), { done: 0, total: 0 }, 'nothing to redo');
      const hits = await recall(store, query, { embedder });
      assert.equal(hits[0]?.episodeId, 'twin');
      assert.ok(hits[0].why.parts.vector > 0);
    } finally {
      await embedder.dispose();
    }
  });

  it('embeds an episode again when its text changes', async () => {
    const server = await startEmbedServer({ dimensions: 16 });
    const embedder = new OpenAiCompatibleEmbedder({ baseUrl: server.baseUrl, model: 'nomic-embed-text', dimensions: 16 });
    try {
      await vectorizePending(store, embedder);
      await store.upsertEpisodes([{ ...episodes[1], issue: { title: 'Profile picture upside down', body: '' } }]);
      assert.deepEqual(await vectorizePending(store, embedder), { done: 1, total: 1 });
      // Limited to the episodes just saved: the others are not even read.
      await store.upsertEpisodes([
        { ...episodes[0], issue: { title: 'Dark mode colours wrong again', body: '' } },
        { ...episodes[1], issue: { title: 'Profile picture sideways', body: '' } },
      ]);
      assert.deepEqual(await vectorizePending(store, embedder, { ids: [episodes[1].id] }), { done: 1, total: 1 });
      assert.deepEqual(await vectorizePending(store, embedder, { ids: [] }), { done: 0, total: 0 });
      assert.deepEqual(await vectorizePending(store, embedder), { done: 1, total: 1 }, 'the first one was left for a full run');
    } finally {
      await embedder.dispose();
      await server.close();
    }
  });

  it('with a remote model of unknown dimension, stores and finds vectors under its final name', async () => {
    const server = await startEmbedServer({ dimensions: 16 });
    try {
      // No `dimensions` configured: the embedder learns it from the first answer.
      const writer = new OpenAiCompatibleEmbedder({ baseUrl: server.baseUrl, model: 'nomic-embed-text' });
      assert.equal(writer.dimensions, undefined);
      await vectorizePending(store, writer);
      assert.equal(writer.id, 'openai:nomic-embed-text:16');
      assert.equal(await new VectorTable(store, 'openai:nomic-embed-text:16').count(), episodes.length);
      await writer.dispose();
      // A new process (a new embedder, dimension unknown again) still uses those vectors.
      const reader = new OpenAiCompatibleEmbedder({ baseUrl: server.baseUrl, model: 'nomic-embed-text' });
      const hits = await recall(store, { text: episodes[0].issue.title, repo: REPO, k: 3, minRelevance: 0 }, { embedder: reader });
      assert.ok(
        hits.some((h) => h.why.parts.vector > 0),
        JSON.stringify(hits.map((h) => h.why.parts)),
      );
      await reader.dispose();
    } finally {
      await server.close();
    }
  });

  it('redacts the query before sending it to an embedding endpoint', async () => {
    const server = await startEmbedServer({ dimensions: 16 });
    const embedder = new OpenAiCompatibleEmbedder({ baseUrl: server.baseUrl, model: 'nomic-embed-text', dimensions: 16 });
    try {
      await vectorizePending(store, embedder);
      const key = 'ghp_' + 'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8';
      await recall(
        store,
        { text: `dark mode colours broke after I set GITHUB_TOKEN=${key}`, repo: REPO, k: 1, minRelevance: 0 },
        { embedder },
      );
      const sent = JSON.stringify(server.requests.map((r) => r.body));
      assert.ok(sent.includes('dark mode colours'), 'the query was embedded');
      assert.ok(!sent.includes(key), 'the token never left the machine');
    } finally {
      await embedder.dispose();
      await server.close();
    }
  });

  it('falls back to lexical recall, with a warning, when the embedding endpoint is down', async () => {
    const server = await startEmbedServer({ dimensions: 16 });
    const embedder = new OpenAiCompatibleEmbedder({ baseUrl: server.baseUrl, model: 'nomic-embed-text', dimensions: 16, maxRetries: 0 });
    try {
      await vectorizePending(store, embedder);
      await server.close();
      const log = recordingLogger();
      const hits = await recall(store, { text: 'dark mode colours', repo: REPO, k: 1, minRelevance: 0 }, { embedder, log });
      assert.equal(hits[0]?.episodeId, 'theme');
      assert.equal(hits[0].why.parts.vector, 0);
      assert.equal(log.warnings.length, 1);
      assert.match(log.warnings[0], /embedding the query failed, so this recall is lexical only/);
    } finally {
      await embedder.dispose();
    }
  });

  it('never compares vectors of different models', async () => {
    const server = await startEmbedServer({ dimensions: 16 });
    const a = new OpenAiCompatibleEmbedder({ baseUrl: server.baseUrl, model: 'model-a', dimensions: 16 });
    const b = new OpenAiCompatibleEmbedder({ baseUrl: server.baseUrl, model: 'model-b', dimensions: 16 });
    try {
      await vectorizePending(store, a);
      assert.notEqual(a.id, b.id);
      // b has no vectors yet: its query is not searched against a's vectors
      const before = server.requests.length;
      const hits = await recall(store, { text: 'dark mode colours', repo: REPO, k: 3, minRelevance: 0 }, { embedder: b });
      assert.equal(server.requests.length, before, 'no query embedding without vectors of the same model');
      assert.ok(hits.every((h) => h.why.parts.vector === 0));
      await vectorizePending(store, b);
      assert.equal(await new VectorTable(store, a.id).count(), 3);
      assert.equal(await new VectorTable(store, b.id).count(), 3);
      assert.notEqual(new VectorTable(store, a.id).name, new VectorTable(store, b.id).name);
      // a model whose vector length changed under the same id is refused, with a warning
      const log = recordingLogger();
      const narrow = await startEmbedServer({ dimensions: 8 });
      const c = new OpenAiCompatibleEmbedder({ baseUrl: narrow.baseUrl, model: 'model-a' });
      Object.defineProperty(c, 'id', { value: a.id });
      const mixed = await recall(store, { text: 'dark mode colours', repo: REPO, k: 1, minRelevance: 0 }, { embedder: c, log });
      assert.equal(mixed[0]?.episodeId, 'theme');
      assert.ok(
        log.warnings.some((w) => /lexical|dimension|vector/i.test(w)),
        JSON.stringify(log.warnings),
      );
      await c.dispose();
      await narrow.close();
    } finally {
      await a.dispose();
      await b.dispose();
      await server.close();
    }
  });
});

describe('vector table', () => {
  const tmp = useTempDir();

  // The index is approximate and its training (k-means, PQ codebooks) is random in LanceDB, so one
  // probe may land behind a near-tie on some run. What recall needs is that stored vectors are found
  // reliably: 40 probes spread over the table, every one found first with its exact similarity.
  // 128 dimensions (8 PQ sub-vectors) like real models; with 16 (one sub-vector of 16 dimensions,
  // 256 codes for 5,000 vectors) many vectors shared a code and the compressed ranking was a tie.
  it('indexes a large table approximately and still finds stored vectors first', async () => {
    const store = await ExperienceStore.open(tmp.path);
    try {
      const dims = 128;
      const table = new VectorTable(store, `test:random:${dims}`);
      let seed = 7;
      const rnd = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296 - 0.5;
      const unit = () => {
        const v = Float32Array.from({ length: dims }, rnd);
        const n = Math.hypot(...v);
        return v.map((x) => x / n);
      };
      const rows = Array.from({ length: VECTOR_INDEX_MIN_ROWS }, (_, i) => ({
        id: `v${i}`,
        repo: i % 2 ? 'a' : 'b',
        createdAt: '2024-01-01T00:00:00.000Z',
        textHash: 'h',
        vector: unit(),
      }));
      assert.equal(await table.ensureIndex(), false, 'no index for an empty table');
      for (let i = 0; i < rows.length; i += 5000) await table.upsert(rows.slice(i, i + 5000));
      assert.equal(await table.ensureIndex(), true);
      const probes = Array.from({ length: 40 }, (_, i) => rows[Math.floor((i * (rows.length - 1)) / 39)]);
      const missed: string[] = [];
      for (const probe of probes) {
        const near = await table.nearest(probe.vector, [`repo = '${probe.repo}'`], 5);
        const [first] = [...near].sort((x, y) => y[1] - x[1]);
        if (first?.[0] !== probe.id || !(first[1] > 0.99)) missed.push(`${probe.id} → ${first?.[0]} (${first?.[1]})`);
      }
      assert.deepEqual(missed, [], 'every probed vector is its own nearest neighbour');
    } finally {
      store.close();
    }
  });
});
