// A fifth red-team pass: the README's known gaps — a generated secret passed to an ordinary call, name-then-blank
// directives (`smtp_pass …`), a token a notebook cell printed — and the classes a probe found leaking: salts,
// peppers and MAC keys, environment variables set by name then blank (PowerShell `Set-Item Env:`, fish `set -x`,
// csh `setenv`, a Dockerfile's `ENV X …`), admin-named secrets, fallback defaults of lookups by a secret's name and
// presigned URL signatures. Each class is drawn fresh from several seeds (test/fixtures/redact/redteam5Corpus.ts)
// and put in every carrier; ordinary look-alikes must stay byte-identical, and every new rule stays linear.
import assert from 'node:assert/strict';
import { assertOrdinaryKept, itLeaksNothing } from '../fixtures/redact/redteamRun';
import { redact } from '../../src/core/redact';
import { carriers, classes, ordinary } from '../fixtures/redact/redteam5Corpus';

const SEEDS = [5, 23, 2029, 737373];
const PER_SEED = 3;

describe('redact red team 5: unnamed calls, blank directives, notebook outputs and the classes the fifth pass found', () => {
  itLeaksNothing(classes, { seeds: SEEDS, perSeed: PER_SEED, salt: 7927, carriers, check: { piece: 10 } });

  it('keeps ordinary look-alikes byte-identical, in every carrier', () => assertOrdinaryKept(ordinary, SEEDS, carriers));

  it('stays linear on hostile single lines of 256,000 characters', async () => {
    const N = 256_000;
    const rep = (unit: string, head = '') => (head + unit.repeat(Math.ceil(N / unit.length))).slice(0, N);
    const hostile = [
      rep('salt = '),
      rep('aB3', 'hmac: '),
      rep('Set-Item Env:'),
      rep('Set-Item -Path -Path -Path '),
      rep('$env:A'),
      rep('$env:API_TOKEN = '),
      rep('; set -x '),
      rep(' -x', 'set'),
      rep('setenv A '),
      rep('ENV A '),
      rep('("'),
      rep('"aB3dE5gH7kL9mN1pQ', 'f('),
      rep('"aB3dE5gH7kL9mN1pQ",'),
      rep('a, "aB3dE5gH7kL9mN1pQ" '),
      rep('(((((, "aB3dE5gH7kL9mN1pQ"'),
      rep('smtp_pass '),
      rep('smtp_pass aB3dE5 #'),
      rep('`smtp_pass '),
      rep('"text": ['),
      rep('"aB3dE5gH7kL9mN1pQ\\n", ', '"text": ['),
      rep('"text": "'),
      rep('("API_KEY", "'),
      rep('||'),
      rep('API_KEY || '),
      rep(' or "aB3dE5gH7kL9mN1pQ'),
      rep('?:'),
      rep('&signature='),
      rep('?code=aB3'),
      rep('a', '?X-Amz-Signature='),
      rep('ADMIN_TOKEN='),
      rep('\n'),
    ];
    // No clock here (tests never assert on wall time): a rule gone quadratic takes minutes on these lines,
    // which this test's mocha timeout turns into a failure; bench:redact measures the speed.
    for (const h of hostile) assert.equal(typeof (await redact(h)).text, 'string', JSON.stringify(h.slice(0, 24)));
  }).timeout(60_000);
});
