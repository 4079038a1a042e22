// Memory Health in a real VS Code measures the memory at the user's own relevance threshold (the
// `dejafix.recall.minRelevance` setting), not at a constant: the same figures `dejafix eval
// --min-relevance` gives. Its own store (a temp folder through `dejafix.store.path`), so the
// figures are about these episodes only.
import * as assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { Episode } from '../../../src/core/model';
import { ExtensionPanelBackend } from '../../../src/vscode/panelBackend';
import { dejafix, eventually } from '../support/dejafix';

function episode(id: string, day: number, title: string, files: string[]): Episode {
  const file = files[0];
  return {
    id,
    repo: 'github.com/acme/health',
    issue: { title, body: `${title}. Seen in ${file}.` },
    errorSignature: '',
    attempts: [],
    finalPatch: `diff --git a/${file} b/${file}\n--- a/${file}\n+++ b/${file}\n@@ -1 +1 @@ def run(\n-a\n+b\n`,
    reproTest: '',
    files,
    symbols: ['run'],
    outcome: 'resolved',
    source: 'editor',
    createdAt: `2025-03-${String(day).padStart(2, '0')}T10:00:00.000Z`,
  };
}

describe('editor: Memory Health uses the relevance threshold setting', function () {
  this.timeout(180_000);
  const config = () => vscode.workspace.getConfiguration('dejafix');
  let storeBefore: string | undefined;
  // The run's own value (the main run sets 0): put back as it was, not removed, or later tests recall at the default.
  let minBefore: number | undefined;

  after(async () => {
    await config().update('recall.minRelevance', minBefore, vscode.ConfigurationTarget.Global);
    await config().update('store.path', storeBefore, vscode.ConfigurationTarget.Global);
  });

  it('reports at the setting, follows a change of it, and at 0 shows what recall without a threshold shows', async () => {
    const api = await dejafix();
    storeBefore = config().inspect<string>('store.path')?.globalValue;
    minBefore = config().inspect<number>('recall.minRelevance')?.globalValue;
    const dir = mkdtempSync(join(tmpdir(), 'dejafix-health-'));
    await config().update('store.path', dir, vscode.ConfigurationTarget.Global);
    await eventually('the store path setting to apply', () => api.app.memory.location() === dir);
    const store = await api.app.memory.open();
    await store.upsertEpisodes([
      episode('ep-h-1', 1, 'Invoice total wrong when a discount is applied', ['billing/totals.py']),
      episode('ep-h-2', 5, 'Invoice total wrong for discounts over 100 percent', ['billing/totals.py']),
      episode('ep-h-3', 9, 'CSV export drops the header row', ['export/csv_export.py']),
      episode('ep-h-4', 12, 'Discount rounding makes the invoice total off by a cent', ['billing/totals.py', 'billing/round.py']),
    ]);
    const backend = new ExtensionPanelBackend(api.app);
    const run = () => backend.memoryHealth(new AbortController().signal, () => undefined);

    await config().update('recall.minRelevance', 1, vscode.ConfigurationTarget.Global);
    const strict = await run();
    assert.equal(strict.minRelevance, 1);
    assert.equal(strict.overall.queries, 3);
    assert.equal(strict.overall.shown, 0, 'nothing reaches relevance 1');
    assert.ok(strict.unfiltered.shown > 0, 'without a threshold the closest repairs are shown');

    await config().update('recall.minRelevance', 0, vscode.ConfigurationTarget.Global);
    const open = await run();
    assert.equal(open.minRelevance, 0);
    assert.deepEqual(open.overall, open.unfiltered);
    assert.deepEqual(open.unfiltered, strict.unfiltered, 'the threshold changes what is counted, not what recall finds');
    assert.ok(open.overall.relevantShown >= 1, JSON.stringify(open.overall));
  });
});
