// Recall reads the checkout the issue is asked in (src/core/workspace/workspaceCode.ts): the files
// git tracks, bounded, symbolic links not followed, cached until HEAD moves; and relevance uses it
// for hits of that repository only, on every front door (here the core, the CLI and the agent tools).
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AgentTools } from '../../src/core/agent/tools';
import { StoreSessions } from '../../src/core/agent/storeSessions';
import { recall } from '../../src/core/recall/recall';
import { whyText } from '../../src/core/recall/why';
import { ExperienceStore } from '../../src/core/store';
import { sameRepository } from '../../src/core/capture/repoId';
import {
  clearCodeIndexCache,
  codeIndexFor,
  MAX_FILE_BYTES,
  readCode,
  readCodeIndex,
  workspaceCodeOf,
} from '../../src/core/workspace/workspaceCode';
import type { CodeIndex } from '../../src/core/workspace/codeIndex';
import { Rng } from '../fixtures/redact/rng';
import { runCli } from '../helpers/cli';
import { makeEpisode } from '../helpers/records';
import { useTempDir } from '../helpers/tmp';
import { checkout, git } from '../helpers/shopCheckout';

describe("workspace: reading a checkout's code", function () {
  this.timeout(60_000);
  const tmp = useTempDir();
  beforeEach(() => clearCodeIndexCache());

  it('reads the tracked source files only, not tests, untracked files, links or oversized files', async () => {
    const repo = checkout(tmp.path);
    writeFileSync(join(repo, 'shop', 'scratch.py'), 'def untracked_helper():\n    pass\n');
    writeFileSync(join(tmp.path, 'outside.py'), 'def secret_outside_name():\n    pass\n');
    symlinkSync(join(tmp.path, 'outside.py'), join(repo, 'shop', 'linked.py'));
    writeFileSync(join(repo, 'shop', 'huge.py'), `def huge_file_name():\n    pass\n${'#'.repeat(MAX_FILE_BYTES)}\n`);
    git(repo, 'add', 'shop/linked.py', 'shop/huge.py');
    git(repo, 'commit', '-qm', 'link and huge');
    const index = await readCodeIndex(repo);
    assert.deepEqual(index.files.filter((f) => !/module\d+/.test(f)).sort(), [
      'shop/billing/invoice.py',
      'shop/billing/ledger.py',
      'shop/billing/refunds.py',
      'shop/cart.py',
    ]);
    assert.equal(index.files.length, 44);
    assert.deepEqual(index.defs.get('total_with_tax'), [index.files.indexOf('shop/billing/invoice.py')]);
    for (const n of ['untracked_helper', 'secret_outside_name', 'huge_file_name', 'test_add_line_item'])
      assert.equal(index.defs.get(n), undefined, n);
  });

  /** The index as sorted plain data: what it says, whatever order its maps were filled in. */
  const plain = (index: CodeIndex) => {
    const sorted = (m: Map<string, number[]>) => [...m].sort(([a], [b]) => (a < b ? -1 : 1));
    return { files: index.files, lengths: index.lengths, defs: sorted(index.defs), uses: sorted(index.uses), parts: sorted(index.parts) };
  };

  for (const seed of [1, 2, 3, 4])
    it(`seed ${seed}: a rebuild reads only the files that changed, and gives the index a fresh read gives`, async () => {
      const rng = new Rng(seed);
      const repo = checkout(tmp.path);
      let prev = await readCode(repo);
      assert.equal(prev.read, 44);
      const again = await readCode(repo, prev);
      assert.equal(again.read, 0, 'nothing changed: nothing read');
      assert.deepEqual(plain(again.index), plain(prev.index));
      for (let round = 0; round < 3; round++) {
        let touched = 0;
        for (let k = rng.int(1, 4); k > 0; k--) {
          const i = rng.int(0, 39);
          const what = rng.pick(['edit', 'add', 'delete'] as const);
          const file = join(repo, 'shop', what === 'add' ? `added${seed}_${round}_${k}.py` : `module${i}.py`);
          if (what === 'delete') rmSync(file, { force: true });
          else {
            writeFileSync(file, `def changed_${seed}_${round}_${k}(order_total):\n    return order_total * ${rng.int(2, 9)}\n`);
            touched++;
          }
        }
        git(repo, 'add', '-A');
        git(repo, 'commit', '-qm', `round ${round}`, '--allow-empty');
        const next = await readCode(repo, prev);
        assert.ok(next.read <= touched, `${next.read} read, ${touched} written`);
        assert.deepEqual(plain(next.index), plain((await readCode(repo)).index), `round ${round}`);
        prev = next;
      }
    });

  it('from any folder inside the checkout: the repository id as episodes store it, and one index until HEAD moves', async () => {
    const repo = checkout(tmp.path);
    const ws = await workspaceCodeOf(join(repo, 'shop', 'billing'));
    assert.ok(ws);
    assert.equal(ws.repo, 'github.com/acme/shop');
    assert.ok(sameRepository(ws.repo, 'acme/shop') && !sameRepository(ws.repo, 'acme/shopping'));
    assert.equal(await codeIndexFor(repo), ws.index, 'cached');
    writeFileSync(join(repo, 'shop', 'shipping.py'), 'def ship_parcel():\n    pass\n');
    git(repo, 'add', '.');
    git(repo, 'commit', '-qm', 'shipping');
    const after = await codeIndexFor(repo);
    assert.notEqual(after, ws.index, 'rebuilt when HEAD moved');
    assert.ok(after?.defs.has('ship_parcel'));
  });

  it('in a git worktree too: its code is read, and a commit there moves its HEAD (a ref kept in the common folder)', async () => {
    const repo = checkout(tmp.path);
    const wt = join(tmp.path, 'shop-wt');
    git(repo, 'worktree', 'add', '-q', '-b', 'feature', wt);
    const ws = await workspaceCodeOf(wt);
    assert.equal(ws?.repo, 'github.com/acme/shop');
    assert.ok(ws?.index.defs.has('total_with_tax'));
    writeFileSync(join(wt, 'shop', 'coupons.py'), 'def apply_coupon_code(cart):\n    pass\n');
    git(wt, 'add', '.');
    git(wt, 'commit', '-qm', 'coupons');
    assert.ok((await codeIndexFor(wt))?.defs.has('apply_coupon_code'), 'rebuilt when the worktree HEAD moved');
  });

  it('a caller with a deadline (the agent hook) goes without while the checkout is first read, and finds it next time', async () => {
    const repo = checkout(tmp.path);
    assert.equal(await workspaceCodeOf(repo, { waitMs: 0 }), undefined, 'not read yet: no waiting');
    const full = await codeIndexFor(repo);
    assert.ok(full?.defs.has('issue_refund_credit'), 'the build went on');
    assert.equal((await workspaceCodeOf(repo, { waitMs: 0 }))?.index, full, 'then served at once');
  });

  it('an index that only aged out (same HEAD) is served to a caller with a deadline while it is rebuilt', async () => {
    const repo = checkout(tmp.path);
    const first = await codeIndexFor(repo);
    const realNow = Date.now;
    Date.now = () => realNow() + 11 * 60_000;
    try {
      assert.equal((await workspaceCodeOf(repo, { waitMs: 0 }))?.index, first, 'the aged index, not nothing');
      const rebuilt = await codeIndexFor(repo);
      assert.notEqual(rebuilt, first, 'rebuilt in the background');
      assert.ok(rebuilt?.defs.has('issue_refund_credit'));
      assert.equal((await workspaceCodeOf(repo, { waitMs: 0 }))?.index, rebuilt, 'then the new one');
    } finally {
      Date.now = realNow;
    }
    writeFileSync(join(repo, 'shop', 'coupons.py'), 'def apply_coupon_code(order):\n    return order\n');
    git(repo, 'add', '.');
    git(repo, 'commit', '-qm', 'coupons');
    assert.equal(await workspaceCodeOf(repo, { waitMs: 0 }).then((w) => w?.index), undefined, 'a moved HEAD is never served the old code');
  });

  it('outside a checkout, in an empty repository, or with DEJAFIX_NO_WORKSPACE=1: nothing, and no error', async () => {
    mkdirSync(join(tmp.path, 'plain'));
    assert.equal(await workspaceCodeOf(join(tmp.path, 'plain')), undefined);
    assert.equal(await workspaceCodeOf(undefined), undefined);
    const empty = join(tmp.path, 'empty');
    mkdirSync(empty);
    git(empty, 'init', '-q');
    assert.equal((await workspaceCodeOf(empty))?.index.files.length ?? 0, 0);
    const repo = checkout(tmp.path);
    process.env.DEJAFIX_NO_WORKSPACE = '1';
    try {
      assert.equal(await workspaceCodeOf(repo), undefined);
    } finally {
      delete process.env.DEJAFIX_NO_WORKSPACE;
    }
  });
});

describe("relevance with the checkout's code", function () {
  this.timeout(120_000);
  const tmp = useTempDir();
  beforeEach(() => clearCodeIndexCache());

  /** Two earlier repairs of the shop: one in invoice.py, one in cart.py; and one of another repository. */
  async function memory(): Promise<ExperienceStore> {
    const store = await ExperienceStore.open(join(tmp.path, 'store'));
    await store.upsertEpisodes([
      makeEpisode({
        id: 'invoice',
        repo: 'github.com/acme/shop',
        issue: { title: 'Invoice total ignores tax', body: 'The invoice total is wrong for taxed orders.' },
        files: ['shop/billing/invoice.py'],
        symbols: ['Invoice.total_with_tax'],
      }),
      makeEpisode({
        id: 'cart',
        repo: 'github.com/acme/shop',
        issue: { title: 'Cart line items duplicated', body: 'Adding an item to the cart twice duplicates the order lines.' },
        files: ['shop/cart.py'],
        symbols: ['add_line_item'],
      }),
      makeEpisode({
        id: 'elsewhere',
        repo: 'github.com/other/app',
        issue: { title: 'Order refund fails', body: 'Refund of an order fails.' },
      }),
    ]);
    return store;
  }

  it('a hit whose file the checkout ranks first is rated higher; one whose file loses to a file no repair touched, lower', async () => {
    const repo = checkout(tmp.path);
    const store = await memory();
    try {
      const ws = await workspaceCodeOf(repo);
      const ask = async (text: string, withCode: boolean) =>
        recall(store, { text, repo: 'github.com/acme/shop', k: 5, minRelevance: 0 }, withCode ? { workspaceCode: ws } : {});
      // The issue names the invoice's own method: the memory's file is the checkout's best match.
      const onInvoice = 'Invoice order total wrong: total_with_tax() returns the net amount for taxed orders.';
      const [a, b] = [await ask(onInvoice, false), await ask(onInvoice, true)];
      const hit = (hs: typeof a, id: string) => hs.find((h) => h.episodeId === id)!;
      assert.equal(hit(b, 'invoice').why.evidence.wsRank, 1);
      assert.ok(
        hit(b, 'invoice').relevance > hit(a, 'invoice').relevance,
        `${hit(b, 'invoice').relevance} vs ${hit(a, 'invoice').relevance}`,
      );
      // The issue is about refunds (a file no repair touched) though it mentions the order and the invoice.
      const onRefunds = 'Order refund: issue_refund_credit() credits the order total twice when taxed.';
      const [c, d] = [await ask(onRefunds, false), await ask(onRefunds, true)];
      assert.ok(hit(d, 'invoice').why.evidence.wsRank !== 1);
      assert.ok(
        hit(d, 'invoice').relevance < hit(c, 'invoice').relevance,
        `${hit(d, 'invoice').relevance} vs ${hit(c, 'invoice').relevance}`,
      );
      // Without the checkout, or for another repository's hit, there is no workspace evidence; nor when the
      // issue matches no file of the checkout at all (the checkout then says nothing about any repair).
      assert.equal(hit(c, 'invoice').why.evidence.wsRank, undefined);
      const vague = await ask('The total is wrong when taxed.', true);
      assert.equal(hit(vague, 'invoice').why.evidence.wsRank, undefined);
      assert.equal(hit(vague, 'invoice').relevance, hit(await ask('The total is wrong when taxed.', false), 'invoice').relevance);
      const other = d.find((h) => h.episodeId === 'elsewhere');
      if (other) assert.equal(other.why.evidence.wsRank, undefined);
    } finally {
      store.close();
    }
  });

  it('a repair none of whose files the checkout holds is judged by memory alone, however the issue matches the checkout', async () => {
    const store = await memory();
    // A checkout of the same repository holding none of memory's files (a partial or a very different version).
    const other = join(tmp.path, 'other');
    mkdirSync(join(other, 'app'), { recursive: true });
    writeFileSync(
      join(other, 'app', 'orders.py'),
      'def order_total(order):\n    invoice = order.invoice\n    return invoice.total_with_tax()\n',
    );
    git(other, 'init', '-q', '-b', 'main');
    git(other, 'remote', 'add', 'origin', 'git@github.com:acme/shop.git');
    git(other, 'add', '.');
    git(other, '-c', 'user.email=d@example.com', '-c', 'user.name=D', 'commit', '-qm', 'base');
    try {
      const ws = await workspaceCodeOf(other);
      assert.equal(ws?.repo, 'github.com/acme/shop');
      const issues = [
        'Invoice order total wrong: total_with_tax() returns the net amount for taxed orders.',
        'The invoice of an order shows the total without tax.',
        'Adding an item to the cart twice duplicates the order lines in add_line_item.',
        'order_total crashes when the invoice is missing',
      ];
      for (const text of issues) {
        const ask = (code: boolean): ReturnType<typeof recall> =>
          recall(store, { text, repo: 'github.com/acme/shop', k: 5, minRelevance: 0 }, code ? { workspaceCode: ws } : {});
        const without = await ask(false);
        const withCode = await ask(true);
        for (const h of withCode) assert.equal(h.why.evidence.wsRank, undefined, `${text}: ${h.episodeId}`);
        assert.deepEqual(
          withCode.map((h) => [h.episodeId, h.relevance]),
          without.map((h) => [h.episodeId, h.relevance]),
          text,
        );
      }
    } finally {
      store.close();
    }
  });

  it("the checkout's best files bring in the repairs that touched them, though no wording matched; not another repository's", async () => {
    const repo = checkout(tmp.path);
    const store = await memory();
    try {
      await store.upsertEpisodes([
        makeEpisode({
          id: 'ledger',
          repo: 'github.com/acme/shop',
          issue: { title: 'Crash when the payment provider times out', body: 'A timeout from the provider raises instead of retrying.' },
          files: ['shop/billing/ledger.py'],
          symbols: [],
        }),
        makeEpisode({
          id: 'other-ledger',
          repo: 'github.com/other/app',
          issue: { title: 'Crash when the payment provider times out', body: 'A timeout from the provider raises instead of retrying.' },
          files: ['shop/billing/ledger.py'],
          symbols: [],
        }),
      ]);
      const text = 'post_reversal_entry() books a cancelled order twice.';
      const q = { text, repo: 'github.com/acme/shop', k: 5, minRelevance: 0 };
      const without = await recall(store, q);
      assert.equal(
        without.find((h) => h.episodeId === 'ledger'),
        undefined,
        'no wording matched',
      );
      const withCode = await recall(store, q, { workspaceCode: await workspaceCodeOf(repo) });
      const hit = withCode.find((h) => h.episodeId === 'ledger');
      assert.ok(hit, JSON.stringify(withCode.map((h) => h.episodeId)));
      assert.equal(hit.why.evidence.wsRank, 1);
      assert.match(whyText(hit), /touched shop\/billing\/ledger\.py; its file is the checkout's best match for the issue/);
      assert.equal(withCode[0].episodeId, 'ledger', 'first: its file is the one the issue is about');
      assert.equal(
        withCode.find((h) => h.episodeId === 'other-ledger'),
        undefined,
        "another repository's file of the same name is not this code",
      );
    } finally {
      store.close();
    }
  });

  it('the CLI reads the current checkout by default, --no-workspace goes without, and a --workspace that is no checkout is a one-line error', async () => {
    const repo = checkout(tmp.path);
    (await memory()).close();
    const store = join(tmp.path, 'store');
    const q = ['recall', '--store', store, '--embedder', 'none', '--repo', 'github.com/acme/shop', '--json', '--min-relevance', '0'];
    const text = 'Invoice order total wrong: total_with_tax() returns the net amount for taxed orders.';
    const here = await runCli([...q, text], { cwd: join(repo, 'shop') });
    assert.equal(here.code, 0, here.stderr);
    const inv = (r: string) =>
      (JSON.parse(r) as { results: { episodeId: string; why: { evidence: { wsRank?: number } } }[] }).results.find(
        (h) => h.episodeId === 'invoice',
      )!;
    assert.equal(inv(here.stdout).why.evidence.wsRank, 1);
    const without = await runCli([...q, '--no-workspace', text], { cwd: repo });
    assert.equal(without.code, 0, without.stderr);
    assert.equal(inv(without.stdout).why.evidence.wsRank, undefined);
    const named = await runCli([...q, '--workspace', repo, text], { cwd: tmp.path });
    assert.equal(inv(named.stdout).why.evidence.wsRank, 1);
    const bad = await runCli([...q, '--workspace', join(tmp.path, 'nope'), text], { cwd: tmp.path });
    assert.equal(bad.code, 2, bad.stderr);
    assert.match(bad.stderr, /--workspace ".*nope" is not a folder inside a git checkout/);
  });

  it('the agent tools (MCP, LM tools) judge with the code of the folder they work in', async () => {
    const repo = checkout(tmp.path);
    const store = await memory();
    try {
      const tools = new AgentTools({
        store: async () => store,
        sessions: new StoreSessions(store, { folder: repo }),
        folder: repo,
        workspaceCode: () => workspaceCodeOf(repo),
      });
      const r = await tools.run('dejafix_recall', {
        query: 'Order refund: issue_refund_credit() credits the order total twice when taxed.',
        repo: 'github.com/acme/shop',
        minRelevance: 0,
      });
      const plain = new AgentTools({ store: async () => store, sessions: new StoreSessions(store, { folder: repo }), folder: repo });
      const p = await plain.run('dejafix_recall', {
        query: 'Order refund: issue_refund_credit() credits the order total twice when taxed.',
        repo: 'github.com/acme/shop',
        minRelevance: 0,
      });
      const rel = (x: typeof r) =>
        (x.data.episodes as { episodeId: string; relevance: number }[]).find((e) => e.episodeId === 'invoice')!.relevance;
      assert.ok(rel(r) < rel(p), `${rel(r)} with the code, ${rel(p)} without`);
    } finally {
      store.close();
    }
  });
});
