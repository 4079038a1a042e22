// Mid-repair recall (src/core/workspace/editing.ts): the checkout's changed source files are where
// the agent or the user thinks the issue's code is. They are read fresh on every recall (tests,
// other files and untracked files left out, nothing past MAX_EDITING), a repair of one is brought in
// and rated higher (relevance.ts EDITING), and a clean checkout changes nothing.
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { recall } from '../../src/core/recall/recall';
import { EDITING, relevanceOf, type Evidence } from '../../src/core/recall/relevance';
import { whyText } from '../../src/core/recall/why';
import { ExperienceStore } from '../../src/core/store';
import { EDITING_WAIT_MS, editingFilesOf, editingFrom, MAX_EDITING } from '../../src/core/workspace/editing';
import { clearCodeIndexCache, workspaceCodeOf } from '../../src/core/workspace/workspaceCode';
import { runCli } from '../helpers/cli';
import { makeEpisode } from '../helpers/records';
import { checkout, git } from '../helpers/shopCheckout';
import { useTempDir } from '../helpers/tmp';
import { Rng } from '../fixtures/redact/rng';

describe('editing: which files a changed checkout lists', () => {
  const SOURCE = ['py', 'ts', 'js', 'go', 'rs', 'java', 'rb', 'php', 'c', 'cpp'];
  const OTHER = ['md', 'txt', 'json', 'lock', 'png', 'cfg', ''];
  const dirs = ['src', 'pkg/core', 'lib/a b', 'app/ünï', 'x'];

  it('keeps the source files and drops tests, other files, duplicates and empty names, over 200 drawn listings', () => {
    const g = new Rng(17);
    const r = () => g.next();
    const pick = <T>(xs: readonly T[]) => g.pick(xs);
    for (let draw = 0; draw < 200; draw++) {
      const want = new Set<string>();
      const listing: string[] = [];
      const n = Math.floor(r() * 12);
      for (let i = 0; i < n; i++) {
        const kind = r();
        const name = `f${Math.floor(r() * 1e6)}`;
        if (kind < 0.5) {
          const p = `${pick(dirs)}/${name}.${pick(SOURCE)}`;
          want.add(p);
          listing.push(p, ...(r() < 0.2 ? [p] : []));
        } else if (kind < 0.7) listing.push(pick([`tests/${name}.py`, `pkg/test_${name}.py`, `src/${name}.test.ts`, `go/${name}_test.go`]));
        else if (kind < 0.9) listing.push(`${pick(dirs)}/${name}${pick(OTHER) ? `.${pick(OTHER)}` : ''}`);
        else listing.push('');
      }
      assert.deepEqual(new Set(editingFrom(listing.join('\0'))), want, listing.join(' | '));
    }
  });

  it('a checkout-wide change (more than MAX_EDITING source files) says nothing; exactly MAX_EDITING still counts', () => {
    const files = (n: number) => Array.from({ length: n }, (_, i) => `src/m${i}.py`);
    assert.equal(editingFrom(files(MAX_EDITING).join('\0')).length, MAX_EDITING);
    assert.deepEqual(editingFrom(files(MAX_EDITING + 1).join('\0')), []);
    assert.deepEqual(editingFrom(files(200_000).join('\0')), [], 'a huge listing');
    assert.deepEqual(editingFrom(''), []);
    assert.deepEqual(editingFrom('\0\0\0'), []);
  });

  it('hostile names are kept as names, never read or run', () => {
    const names = ['a\nb.py', '-rf.py', '$(touch x).py', '../../etc/x.py', 'very/'.repeat(200) + 'deep.py', '\u202ebidi.py', 'x.py\u0000'];
    assert.deepEqual(editingFrom(names.join('\0')), [
      'a\nb.py',
      '-rf.py',
      '$(touch x).py',
      '../../etc/x.py',
      'very/'.repeat(200) + 'deep.py',
      '\u202ebidi.py',
      'x.py',
    ]);
  });
});

describe('editing: a real checkout', function () {
  this.timeout(60_000);
  const tmp = useTempDir();
  beforeEach(() => clearCodeIndexCache());

  it('lists changed and staged tracked source files (and deleted ones), not untracked files, tests or docs', async () => {
    const repo = checkout(tmp.path);
    assert.deepEqual(await editingFilesOf(repo), [], 'a clean checkout');
    writeFileSync(join(repo, 'shop', 'cart.py'), 'def add_line_item(cart, item):\n    return 1\n');
    writeFileSync(join(repo, 'shop', 'billing', 'ledger.py'), 'def post_reversal_entry(order):\n    return 2\n');
    git(repo, 'add', 'shop/billing/ledger.py');
    rmSync(join(repo, 'shop', 'module3.py'));
    writeFileSync(join(repo, 'shop', 'tests', 'test_cart.py'), 'def test_add_line_item():\n    assert 1\n');
    writeFileSync(join(repo, 'shop', 'scratch.py'), 'x = 1\n');
    writeFileSync(join(repo, 'NOTES.md'), 'notes\n');
    git(repo, 'add', 'NOTES.md');
    assert.deepEqual((await editingFilesOf(repo))?.sort(), ['shop/billing/ledger.py', 'shop/cart.py', 'shop/module3.py']);
  });

  it('is read fresh on every recall (a change shows at once, a reverted one goes), from any folder inside', async () => {
    const repo = checkout(tmp.path);
    assert.deepEqual((await workspaceCodeOf(join(repo, 'shop')))?.editing, []);
    writeFileSync(join(repo, 'shop', 'cart.py'), 'def add_line_item(cart, item):\n    return 1\n');
    assert.deepEqual((await workspaceCodeOf(join(repo, 'shop', 'billing')))?.editing, ['shop/cart.py']);
    git(repo, 'checkout', '--', 'shop/cart.py');
    assert.deepEqual((await workspaceCodeOf(repo))?.editing, []);
  });

  it('a listing slower than EDITING_WAIT_MS (a clean filter of the global config that sleeps) is left out: recall goes without', async () => {
    const repo = checkout(tmp.path);
    const home = join(tmp.path, 'home');
    mkdirSync(home);
    writeFileSync(join(home, '.gitconfig'), `[filter "slow"]\n\tclean = sleep ${(EDITING_WAIT_MS + 1_500) / 1000}; cat\n`);
    writeFileSync(join(repo, '.gitattributes'), '*.py filter=slow\n');
    writeFileSync(join(repo, 'shop', 'cart.py'), 'def add_line_item(cart, item):\n    return 1\n');
    const saved = process.env.HOME;
    process.env.HOME = home;
    try {
      const ws = await workspaceCodeOf(repo);
      assert.ok(ws?.index.files.length, 'the code is read');
      assert.equal(ws.editing, undefined, 'the changed files are not known in time');
    } finally {
      process.env.HOME = saved;
    }
    assert.deepEqual((await workspaceCodeOf(repo))?.editing, ['shop/cart.py'], 'without the slow filter');
  });

  it('outside a checkout or before the first commit: unknown, and no error', async () => {
    mkdirSync(join(tmp.path, 'plain'));
    assert.equal(await editingFilesOf(join(tmp.path, 'plain')), undefined);
    const empty = join(tmp.path, 'empty');
    mkdirSync(empty);
    git(empty, 'init', '-q');
    writeFileSync(join(empty, 'a.py'), 'x = 1\n');
    git(empty, 'add', '.');
    assert.equal(await editingFilesOf(empty), undefined);
  });
});

describe('editing: recall mid-repair', function () {
  this.timeout(120_000);
  const tmp = useTempDir();
  beforeEach(() => clearCodeIndexCache());

  /** Repairs of the shop's invoice.py, cart.py and ledger.py (worded unlike the issue), and another repository's ledger.py. */
  async function memory(): Promise<ExperienceStore> {
    const store = await ExperienceStore.open(join(tmp.path, 'store'));
    const shop = 'github.com/acme/shop';
    await store.upsertEpisodes([
      makeEpisode({
        id: 'invoice',
        repo: shop,
        issue: { title: 'Invoice total ignores tax', body: 'The invoice total is wrong for taxed orders.' },
        files: ['shop/billing/invoice.py'],
        symbols: ['Invoice.total_with_tax'],
      }),
      makeEpisode({
        id: 'cart',
        repo: shop,
        issue: { title: 'Cart line items duplicated', body: 'Adding twice duplicates lines.' },
        files: ['shop/cart.py'],
      }),
      makeEpisode({
        id: 'ledger',
        repo: shop,
        issue: { title: 'Crash when the payment provider times out', body: 'A timeout raises instead of retrying.' },
        files: ['shop/billing/ledger.py'],
        symbols: [],
      }),
      makeEpisode({
        id: 'other-ledger',
        repo: 'github.com/other/app',
        issue: { title: 'Crash when the payment provider times out', body: 'A timeout raises instead of retrying.' },
        files: ['shop/billing/ledger.py'],
        symbols: [],
      }),
    ]);
    return store;
  }
  const ISSUE = 'Invoice order total wrong for taxed orders in the summary view.';
  const q = { text: ISSUE, repo: 'github.com/acme/shop', k: 5, minRelevance: 0 };

  it('a repair of a changed file is brought in though no wording matched, rated far above the same repair while another file changes, and says why', async () => {
    const repo = checkout(tmp.path);
    const store = await memory();
    try {
      const clean = await recall(store, q, { workspaceCode: await workspaceCodeOf(repo) });
      assert.equal(
        clean.find((h) => h.episodeId === 'ledger'),
        undefined,
        'no wording matched',
      );
      assert.ok(
        clean.every((h) => h.why.evidence.edited === undefined),
        'a clean checkout adds no evidence',
      );
      writeFileSync(join(repo, 'shop', 'billing', 'ledger.py'), 'def post_reversal_entry(order):\n    return 2\n');
      const mid = await recall(store, q, { workspaceCode: await workspaceCodeOf(repo) });
      const ledger = mid.find((h) => h.episodeId === 'ledger');
      assert.ok(ledger, JSON.stringify(mid.map((h) => h.episodeId)));
      assert.equal(ledger.why.evidence.edited, 1);
      assert.match(whyText(ledger), /touched shop\/billing\/ledger\.py; .*its file is being changed in the checkout/);
      assert.equal(
        mid.find((h) => h.episodeId === 'other-ledger'),
        undefined,
        "another repository's file of the same name is not this code",
      );
      // Repairs of files not being changed: the change is evidence against them, a bounded amount.
      const inv = (hs: typeof mid) => hs.find((h) => h.episodeId === 'invoice')!;
      assert.equal(inv(mid).why.evidence.edited, 0);
      const asIfClean = relevanceOf({ ...inv(mid).why.evidence, edited: undefined });
      assert.ok(inv(mid).relevance < asIfClean && inv(mid).relevance > asIfClean / 3, `${inv(mid).relevance} vs ${asIfClean}`);
      assert.ok(inv(clean).relevance > 0);
      // The same repair while another file is being changed instead: brought in by nothing, or rated lower.
      git(repo, 'checkout', '--', '.');
      writeFileSync(join(repo, 'shop', 'cart.py'), 'def add_line_item(cart, item):\n    return 1\n');
      const elsewhere = (await recall(store, q, { workspaceCode: await workspaceCodeOf(repo) })).find((h) => h.episodeId === 'ledger');
      assert.ok(!elsewhere || elsewhere.relevance < ledger.relevance / 5, `${elsewhere?.relevance} vs ${ledger.relevance}`);
    } finally {
      store.close();
    }
  });

  it('too many changed files, or only tests and docs changed: recall is as in a clean checkout', async () => {
    const repo = checkout(tmp.path);
    const store = await memory();
    try {
      const clean = await recall(store, q, { workspaceCode: await workspaceCodeOf(repo) });
      const strip = (hs: typeof clean) => hs.map((h) => [h.episodeId, h.relevance]);
      writeFileSync(join(repo, 'shop', 'tests', 'test_cart.py'), 'def test_add_line_item():\n    assert 1\n');
      assert.deepEqual(strip(await recall(store, q, { workspaceCode: await workspaceCodeOf(repo) })), strip(clean));
      for (let i = 0; i <= MAX_EDITING; i++) writeFileSync(join(repo, 'shop', `module${i}.py`), `X = ${i}\n`);
      writeFileSync(join(repo, 'shop', 'billing', 'ledger.py'), 'def post_reversal_entry(order):\n    return 2\n');
      assert.deepEqual(strip(await recall(store, q, { workspaceCode: await workspaceCodeOf(repo) })), strip(clean));
    } finally {
      store.close();
    }
  });

  it('the CLI run in a changed checkout recalls the repair of the changed file; --no-workspace does not', async () => {
    const repo = checkout(tmp.path);
    (await memory()).close();
    writeFileSync(join(repo, 'shop', 'billing', 'ledger.py'), 'def post_reversal_entry(order):\n    return 2\n');
    const args = ['recall', '--store', join(tmp.path, 'store'), '--embedder', 'none', '--repo', 'github.com/acme/shop', '--json'];
    const ids = (out: string) => (JSON.parse(out) as { results: { episodeId: string }[] }).results.map((h) => h.episodeId);
    const here = await runCli([...args, '--min-relevance', '0', ISSUE], { cwd: repo });
    assert.equal(here.code, 0, here.stderr);
    assert.ok(ids(here.stdout).includes('ledger'), here.stdout);
    const without = await runCli([...args, '--min-relevance', '0', '--no-workspace', ISSUE], { cwd: repo });
    assert.ok(!ids(without.stdout).includes('ledger'));
  });
});

describe('editing: the relevance update', () => {
  const base: Evidence = {
    code: 4,
    text: 3,
    file: 4,
    namedFiles: 0,
    namedSymbols: 0,
    rank: 1,
    gap: 0.2,
    shared: 2,
    rarity: 3,
    ageDays: 200,
    sameRepo: 1,
  };

  it('absent: unchanged; a changed file of the repair: higher; changes elsewhere: a little lower — over 300 drawn hits', () => {
    const g = new Rng(5);
    const r = () => g.next();
    for (let i = 0; i < 300; i++) {
      const e: Evidence = {
        ...base,
        code: r() * 20,
        text: r() * 20,
        file: r() * 20,
        namedFiles: Math.floor(r() * 3),
        rank: r(),
        ageDays: Math.floor(r() * 3000),
        fileRank: Math.floor(r() * 6),
        ...(r() < 0.5 ? { wsRank: Math.floor(r() * 20), wsShare: r(), wsScore: r() * 30 } : {}),
      };
      const p = relevanceOf(e);
      assert.equal(relevanceOf({ ...e, edited: undefined }), p);
      const on = relevanceOf({ ...e, edited: 1 + Math.floor(r() * 3) });
      const off = relevanceOf({ ...e, edited: 0 });
      assert.ok(on >= p && off <= p, `${off} ≤ ${p} ≤ ${on}`);
      // Bounded: the update is a fixed shift of the log-odds, so odds change by at most e^|bias| elsewhere.
      const odds = (x: number) => Math.max(1e-3, x) / Math.max(1e-3, 1 - x);
      if (p > 0.01 && p < 0.99) assert.ok(odds(off) >= odds(p) * Math.exp(EDITING.bias) * 0.8, `${off} vs ${p}`);
    }
  });
});
