// A second red-team pass (issue 13): classes that still leaked with fresh variants — escaped JSON
// inside JSON, percent-encoded URLs, newer vendor prefixes, id/secret pairs, more CLI flags, cookies
// in code, netrc/pgpass variants, Terraform defaults, XML, dotted YAML passwords, quoted Kubernetes
// Secrets, `->`, subscripts, shell prompts, secrets passed to calls, other Authorization schemes,
// token-only URL users, keys printed with a log prefix, age keys on removed diff lines. Each class is
// drawn fresh from several seeds (test/fixtures/redact/redteamCorpus.ts) and put in every carrier.
import assert from 'node:assert/strict';
import { assertOrdinaryKept, itLeaksNothing } from '../fixtures/redact/redteamRun';
import { redact } from '../../src/core/redact';
import { findEscaped } from '../../src/core/redact/escaped';
import { carriers, classes, ordinary } from '../fixtures/redact/redteamCorpus';

const SEEDS = [1, 7, 2026, 424242];
const PER_SEED = 3;

describe('redact red team: fresh variants of the classes found in the second pass', () => {
  itLeaksNothing(classes, {
    seeds: SEEDS,
    perSeed: PER_SEED,
    salt: 7919,
    carriers,
    check: { piece: 14, forms: (s) => [encodeURIComponent(s)] },
  });

  it('keeps ordinary text near the new rules byte-identical, in every carrier', () => assertOrdinaryKept(ordinary, SEEDS, carriers));

  it('redacts only the secret inside escapes, and redacting twice changes nothing', async () => {
    const text = '{"content":"DEBUG=1\\nAPI_SECRET=Kx81!aB3dE5fG\\nPORT=80","tool":"cat .env"}';
    const out = (await redact(text)).text;
    assert.equal(out, '{"content":"DEBUG=1\\nAPI_SECRET=[REDACTED:env]\\nPORT=80","tool":"cat .env"}');
    assert.equal((await redact(out)).text, out);
    const url = `GET /r?to=${encodeURIComponent('postgres://app:Hx7pLm2qR9@db:5432/x')}&y=1`;
    assert.equal((await redact(url)).text, 'GET /r?to=postgres%3A%2F%2F[REDACTED:url-credentials]%40db%3A5432%2Fx&y=1');
  });

  it('pairs quotes per line, so an apostrophe in prose does not hide a later literal', async () => {
    const text = `It's odd: {"cfg": "{\\"clientSecret\\": \\"Qw9!rT5yU2iO8p\\"}"}`;
    assert.ok(!(await redact(text)).text.includes('Qw9!rT5yU2iO8p'));
  });

  it('stays linear on hostile escapes, quotes, calls and closing tags', async () => {
    const hostile = [
      `"${'\\n'.repeat(100_000)}"`,
      `'${"\\'".repeat(50_000)}`,
      '"a\\"'.repeat(40_000),
      '%3A'.repeat(100_000),
      'setPassword("'.repeat(30_000),
      '</password>'.repeat(30_000),
      '-----BEGIN PRIVATE KEY-----\nx | '.repeat(20_000) + '-----END PRIVATE KEY-----',
    ];
    // No clock here (tests never assert on wall time): a rule gone quadratic takes minutes on these lines,
    // which this test's mocha timeout turns into a failure; bench:redact measures the speed.
    for (const h of hostile) assert.equal(typeof (await redact(h)).text, 'string', h.slice(0, 20));
    assert.deepEqual(
      findEscaped('no escapes here', () => []),
      [],
    );
  }).timeout(60_000);
});
