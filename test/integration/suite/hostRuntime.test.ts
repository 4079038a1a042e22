// LanceDB (native) and the built-in embedding model (WASM in a worker thread) inside the extension
// host's Node, through the product's own core code.
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { BuiltinEmbedder, BUILTIN_DIMENSIONS, dot } from '../../../src/core/embed';
import { recall } from '../../../src/core/recall/recall';
import { vectorizePending } from '../../../src/core/recall/vectorize';
import { ExperienceStore } from '../../../src/core/store';
import { makeAttempt, makeEpisode } from '../../helpers/records';

describe('LanceDB and embeddings in the extension host', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'dejafix-it-store-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it(`runs in VS Code ${vscode.version} on Node ${process.versions.node}`, () => {
    const [major, minor] = vscode.version.split('.').map(Number);
    assert.ok(major > 1 || minor >= 101, `VS Code ${vscode.version} is older than engines.vscode ^1.101`);
  });

  it('writes an episode with attempts to a LanceDB store and reads it back', async () => {
    const store = await ExperienceStore.open(join(dir, 'store'));
    try {
      const ep = makeEpisode({
        id: 'it-ep-1',
        issue: { title: 'CSV export crashes on empty date column', body: 'TypeError in export_csv' },
      });
      const attempts = [makeAttempt(ep.id, { exitCode: 1, outcome: 'failed' }), makeAttempt(ep.id, { exitCode: 0, outcome: 'passed' })];
      await store.upsertEpisodes([{ ...ep, attempts }]);
      const back = await store.getEpisode('it-ep-1');
      assert.ok(back, 'episode not found after upsert');
      assert.equal(back.issue.title, ep.issue.title);
      assert.deepEqual(back.attempts.map((a) => a.exitCode).sort(), [0, 1]);
    } finally {
      store.close();
    }
  });

  it('embeds sentences with the built-in model and ranks a related one above an unrelated one', async () => {
    const embedder = new BuiltinEmbedder({ idleUnloadMs: 0 });
    try {
      const [q, near, far] = await embedder.embed([
        'TypeError when the date column is empty in the CSV export',
        'Exporting a CSV with a blank date field raises a TypeError',
        'The login page logo is blurry on high resolution screens',
      ]);
      assert.equal(q.length, BUILTIN_DIMENSIONS);
      assert.ok(Math.abs(dot(q, q) - 1) < 1e-3, 'vectors are normalised');
      assert.ok(dot(q, near) > dot(q, far), `related ${dot(q, near)} should beat unrelated ${dot(q, far)}`);
    } finally {
      await embedder.dispose();
    }
  });

  it('recalls the stored episode for a new issue with vector similarity', async () => {
    const store = await ExperienceStore.open(join(dir, 'store'));
    const embedder = new BuiltinEmbedder({ idleUnloadMs: 0 });
    try {
      await store.upsertEpisodes([
        makeEpisode({ id: 'it-ep-2', issue: { title: 'Login logo blurry on retina displays', body: 'The image is scaled up.' } }),
      ]);
      assert.deepEqual(await vectorizePending(store, embedder), { done: 2, total: 2 });
      const hits = await recall(store, { text: 'Blank date field makes the CSV exporter throw TypeError', minRelevance: 0 }, { embedder });
      assert.ok(hits.length > 0, 'no hits');
      assert.equal(hits[0].episodeId, 'it-ep-1');
      assert.ok(hits[0].why.parts.vector > 0, `no vector similarity in ${JSON.stringify(hits[0].why)}`);
    } finally {
      await embedder.dispose();
      store.close();
    }
  });
});
