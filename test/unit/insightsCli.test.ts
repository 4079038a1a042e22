// `dejafix insights list|approve|edit|retire|feedback`, run as the built CLI against a real store.
import * as assert from 'node:assert/strict';
import { ExperienceStore } from '../../src/core/store/store';
import { runCli } from '../helpers/cli';
import { makeInsight } from '../helpers/records';
import { useTempDir } from '../helpers/tmp';

describe('dejafix insights', function () {
  this.timeout(60_000);
  const tmp = useTempDir();
  beforeEach(async () => {
    const store = await ExperienceStore.open(tmp.path);
    await store.upsertInsights([
      makeInsight({ id: 'in-a', text: 'Check for None before arithmetic on optional columns.', importance: 3 }),
      makeInsight({ id: 'in-p', text: 'Reset the cache in setUp when tests share a worker.', status: 'proposed', role: 'reproduce' }),
      makeInsight({ id: 'in-r', text: 'A lesson that turned out to be wrong entirely.', status: 'retired', importance: 0 }),
    ]);
    store.close();
  });
  const cli = (...args: string[]) => runCli(['insights', ...args, '--store', tmp.path]);

  it('lists current lessons strongest first, filters, and prints JSON', async () => {
    const r = await cli('list');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^in-a {2}\[active · fix · importance 3 · github\.com\/acme\/invoices\]\n {2}Check for None/);
    assert.match(r.stdout, /in-p {2}\[proposed · reproduce/);
    assert.doesNotMatch(r.stdout, /in-r/);
    const all = JSON.parse((await cli('list', '--all', '--json')).stdout);
    assert.deepEqual(
      all.insights.map((i: { id: string }) => i.id),
      ['in-a', 'in-p', 'in-r'],
    );
    const proposed = JSON.parse((await cli('list', '--status', 'proposed', '--json')).stdout);
    assert.deepEqual(
      proposed.insights.map((i: { id: string }) => i.id),
      ['in-p'],
    );
    assert.match((await cli('list', '--role', 'review')).stdout, /No lessons match/);
  });

  it('approves, edits, retires and takes feedback', async () => {
    assert.equal(JSON.parse((await cli('approve', 'in-p', '--json')).stdout).insight.status, 'active');
    const edited = JSON.parse(
      (await cli('edit', 'in-a', 'Check for None and NaN before arithmetic on optional columns.', '--json')).stdout,
    ).insight;
    assert.equal(edited.text, 'Check for None and NaN before arithmetic on optional columns.');
    const fb = JSON.parse((await cli('feedback', 'in-a', 'not-helpful', '--json')).stdout).insight;
    assert.equal(fb.importance, 2);
    assert.deepEqual(fb.feedback, { helpful: 0, unhelpful: 1 });
    const retired = await cli('retire', 'in-a');
    assert.equal(retired.code, 0);
    assert.match(retired.stdout, /in-a {2}\[retired/);
  });

  it('prints clear errors and exits 2 for bad input, without asking anything', async () => {
    const cases: [string[], RegExp][] = [
      [['approve', 'in-missing'], /No insight in-missing.*dejafix insights list --all/],
      [['edit', 'in-a', 'short'], /12–400 characters/],
      [['edit', 'in-a', 'x'.repeat(5000)], /12–400 characters; this text has 5000/],
      [['feedback', 'in-a', 'great'], /"helpful" or "not-helpful"/],
      [['list', '--status', 'bogus'], /unknown --status bogus/],
      [['list', '--role', "fix' OR 1=1 --"], /unknown --role/],
    ];
    for (const [args, expected] of cases) {
      const r = await cli(...args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, expected);
      assert.equal(r.stdout, '');
    }
    const scoped = await cli('list', '--scope', "x' OR '1'='1");
    assert.equal(scoped.code, 0);
    assert.match(scoped.stdout, /No lessons match/, 'the scope is quoted, not injected');
  });
});
