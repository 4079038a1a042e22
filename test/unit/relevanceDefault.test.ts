// One relevance threshold everywhere: recall() itself, the CLI (`recall`, `mcp`), the MCP tool, the
// editor setting and package.json all default to DEFAULT_MIN_RELEVANCE, and `0` restores "always
// the top k". A store whose repairs are all about other code abstains; one whose repair is in the
// file the issue names does not. The panel's relevance words agree with core's.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { recall } from '../../src/core/recall/recall';
import { DEFAULT_MIN_RELEVANCE, relevanceLabel, relevanceWord } from '../../src/core/recall/relevance';
import { ExperienceStore } from '../../src/core/store';
import { relevanceWordOf } from '../../src/shared/relevanceWords';
import { SETTINGS } from '../../src/vscode/settingsSchema';
import { assertOneLine, CLI, runCli } from '../helpers/cli';
import { makeEpisode } from '../helpers/records';
import { useTempDir } from '../helpers/tmp';

const REPO = 'github.com/acme/shop';
const recent = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString();

/** Repairs of unrelated code: a checkout question should find nothing confident here. */
const strangers = [
  makeEpisode({
    id: 'mail',
    repo: REPO,
    createdAt: recent(30),
    issue: { title: 'Newsletter footer shows the wrong year', body: 'The footer template hard-codes 2023.' },
    files: ['shop/mail/footer.py'],
    symbols: ['render_footer'],
  }),
  makeEpisode({
    id: 'search',
    repo: REPO,
    createdAt: recent(40),
    issue: { title: 'Search ignores accents in product names', body: 'Searching "creme" does not find "crème".' },
    files: ['shop/search/normalize.py'],
    symbols: ['fold_accents'],
  }),
  makeEpisode({
    id: 'images',
    repo: REPO,
    createdAt: recent(50),
    issue: { title: 'Thumbnails are blurry on retina screens', body: 'srcset is missing the 2x variant.' },
    files: ['shop/media/thumbs.py'],
    symbols: ['thumb_srcset'],
  }),
];
/** A repair in the very file the next issue names. */
const sameFile = makeEpisode({
  id: 'cart-total',
  repo: REPO,
  createdAt: recent(10),
  issue: {
    title: 'Cart total ignores the discount code in cart_totals.py',
    body: 'apply_discount is never called when the cart has one item.',
  },
  files: ['shop/cart/cart_totals.py'],
  symbols: ['apply_discount', 'cart_total'],
});
const QUESTION = 'Checkout crashes with KeyError when the shipping country is missing';
const NAMED = 'cart_totals.py: the cart total is wrong when a discount code and free shipping are combined';

describe('relevance threshold: one default everywhere', function () {
  this.timeout(120_000);
  const tmp = useTempDir();

  it('recall() abstains by default when nothing is relevant, and minRelevance 0 gives the old top k', async () => {
    const store = await ExperienceStore.open(tmp.path);
    try {
      await store.upsertEpisodes(strangers);
      const all = await recall(store, { text: QUESTION, repo: REPO, k: 5, minRelevance: 0 });
      assert.ok(all.length >= 1, 'the strangers should still be found with minRelevance 0');
      assert.ok(
        all.every((h) => h.relevance < DEFAULT_MIN_RELEVANCE),
        `a stranger looks relevant: ${all.map((h) => `${h.episodeId} ${h.relevance}`).join(', ')}`,
      );
      assert.deepEqual(await recall(store, { text: QUESTION, repo: REPO, k: 5 }), []);
    } finally {
      store.close();
    }
  });

  it('recall() by default keeps a repair in the file the issue names, and only hits at or above the threshold', async () => {
    const store = await ExperienceStore.open(tmp.path);
    try {
      await store.upsertEpisodes([...strangers, sameFile]);
      const hits = await recall(store, { text: NAMED, repo: REPO, k: 5 });
      assert.equal(hits[0]?.episodeId, 'cart-total', JSON.stringify(hits.map((h) => [h.episodeId, h.relevance])));
      assert.ok(hits.every((h) => h.relevance >= DEFAULT_MIN_RELEVANCE));
      const everything = await recall(store, { text: NAMED, repo: REPO, k: 5, minRelevance: 0 });
      assert.ok(everything.length > hits.length, 'minRelevance 0 should also return the weaker ones');
      // A threshold above every hit leaves nothing: the cut is by relevance, not by count.
      assert.deepEqual(await recall(store, { text: NAMED, repo: REPO, k: 5, minRelevance: 1 }), []);
    } finally {
      store.close();
    }
  });

  it('the editor setting and package.json default to DEFAULT_MIN_RELEVANCE', () => {
    assert.equal(SETTINGS['recall.minRelevance'], DEFAULT_MIN_RELEVANCE);
    const pkg = JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8')) as {
      contributes: { configuration: { properties: Record<string, { default: unknown }> } };
    };
    assert.equal(pkg.contributes.configuration.properties['dejafix.recall.minRelevance']?.default, DEFAULT_MIN_RELEVANCE);
  });

  it("the panel's words agree with core's at every hundredth, and labels carry the word and the number", () => {
    for (let i = 0; i <= 100; i++) assert.equal(relevanceWordOf(i / 100), relevanceWord(i / 100), `at ${i / 100}`);
    assert.equal(relevanceLabel(0.62), 'high relevance (0.62)');
    assert.equal(relevanceLabel(0.2), 'medium relevance (0.20)');
    assert.equal(relevanceLabel(0.05), 'low relevance (0.05)');
  });

  it('dejafix recall: no flag says "no confident match"; --min-relevance 0 lists the closest', async () => {
    const store = await ExperienceStore.open(tmp.path);
    await store.upsertEpisodes(strangers);
    store.close();
    const none = await runCli(['recall', '--store', tmp.path, '--embedder', 'none', '--repo', REPO, QUESTION]);
    assert.equal(none.code, 0, none.stderr);
    assert.match(none.stdout, new RegExp(`No confident match: no past repair reached relevance ${DEFAULT_MIN_RELEVANCE.toFixed(2)}`));
    assert.doesNotMatch(none.stdout, /^1\. /m);
    const some = await runCli(['recall', '--store', tmp.path, '--embedder', 'none', '--repo', REPO, '--min-relevance', '0', QUESTION]);
    assert.equal(some.code, 0, some.stderr);
    assert.match(some.stdout, /^1\. \[resolved\]/m);
    assert.match(some.stdout, /low relevance \(0\.\d\d\)/);
  });

  it('dejafix mcp --min-relevance: a bad value is one line (exit 2); 0 makes dejafix_recall return the closest', async () => {
    for (const bad of ['x', '-0.1', '1.5', '', 'NaN'])
      assertOneLine(
        await runCli(['mcp', '--store', tmp.path, '--embedder', 'none', '--min-relevance', bad]),
        2,
        /--min-relevance .* is not a number from 0 to 1/,
      );
    const store = await ExperienceStore.open(tmp.path);
    await store.upsertEpisodes(strangers);
    store.close();
    const call = async (extra: string[], args: Record<string, unknown>) => {
      const transport = new StdioClientTransport({
        command: process.execPath,
        args: [CLI, 'mcp', '--store', tmp.path, '--embedder', 'none', ...extra],
        stderr: 'pipe',
      });
      const client = new Client({ name: 'test-agent', version: '1.0.0' });
      await client.connect(transport);
      try {
        return (await client.callTool({ name: 'dejafix_recall', arguments: { query: QUESTION, repo: REPO, ...args } })) as unknown as {
          content: { text: string }[];
          structuredContent: { episodes: unknown[]; minRelevance: number };
        };
      } finally {
        await client.close();
      }
    };
    const byDefault = await call([], {});
    assert.equal(byDefault.structuredContent.episodes.length, 0);
    assert.equal(byDefault.structuredContent.minRelevance, DEFAULT_MIN_RELEVANCE);
    assert.match(byDefault.content[0].text, /No confident match/);
    const open = await call(['--min-relevance', '0'], {});
    assert.ok(open.structuredContent.episodes.length >= 1);
    assert.equal(open.structuredContent.minRelevance, 0);
    // The call's own minRelevance wins over the server's flag.
    const strict = await call(['--min-relevance', '0'], { minRelevance: 0.9 });
    assert.equal(strict.structuredContent.episodes.length, 0);
  });
});
