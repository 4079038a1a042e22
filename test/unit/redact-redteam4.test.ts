// A fourth red-team pass: the three gaps the README named — a generic secret in a JavaScript call chain or
// constructor (`require("stripe")("…")`, `new Stripe("…")`), random passwords containing a dot, multi-line
// blocks flattened into inline code (private keys with blanks, `<br>` or mangled dashes, kubeconfig key data,
// `.pgpass` runs, `env` lists) — and classes a probe found leaking: secret-store commands, tools' token
// subcommands, Windows remote commands, cipher/MAC keys and keyring passwords in calls, secrets echoed by name.
// Each class is drawn fresh from several seeds (test/fixtures/redact/redteam4Corpus.ts) and put in every
// carrier; ordinary look-alikes must stay byte-identical, and every new rule stays linear on hostile lines.
import assert from 'node:assert/strict';
import { assertOrdinaryKept, itLeaksNothing } from '../fixtures/redact/redteamRun';
import { redact } from '../../src/core/redact';
import { carriers, classes, ordinary } from '../fixtures/redact/redteam4Corpus';

const SEEDS = [4, 19, 2028, 626262];
const PER_SEED = 3;

describe('redact red team 4: call chains, dotted passwords, flattened blocks and the classes the fourth pass found', () => {
  itLeaksNothing(classes, { seeds: SEEDS, perSeed: PER_SEED, salt: 7919, carriers, check: { piece: 10 } });

  it('keeps ordinary look-alikes byte-identical, in every carrier', () => assertOrdinaryKept(ordinary, SEEDS, carriers));

  it('stays linear on hostile single lines of 256,000 characters', async () => {
    const N = 256_000;
    const rep = (unit: string, head = '') => (head + unit.repeat(Math.ceil(N / unit.length))).slice(0, N);
    const hostile = [
      rep(')('),
      rep(')(("a",'),
      rep(')("'),
      rep(`)("${'aB3'.repeat(6)}", `),
      rep('new '),
      rep('new a.'),
      rep('new A("'),
      rep('new A(a, '),
      rep('anew A('),
      rep('password: aB1.'),
      rep('aB1.', 'password: '),
      rep('PRIVATE BEGIN '),
      rep('BEGIN PRIVATE KEY '),
      rep('BEGIN A B C D PRIVATE '),
      rep('AAAA<br>', 'BEGIN PRIVATE KEY '),
      rep('<br>', 'BEGIN PRIVATE KEY '),
      rep('\u2014BEGIN RSA PRIVATE KEY\u2014 '),
      rep('key-data: '),
      rep('A', 'client-key-data: '),
      rep('a:5432:'),
      rep('h:1:d:u:pw '),
      rep('1:2:3:4:5 '),
      rep('a'.repeat(300) + ':1:'),
      rep('- name: A_TOKEN value: '),
      rep('- name: '),
      rep('az keyvault secret set '),
      rep(' --value', 'az keyvault secret set '),
      rep('aws ssm put-parameter '),
      rep('secrets set A=b '),
      rep(' a', 'secrets set'),
      rep('secret put <<<'),
      rep('user-secrets set '),
      rep('ngrok authtoken '),
      rep('net use \\\\a '),
      rep(' /user:a', 'net use'),
      rep(' -p a', 'psexec'),
      rep(' /rp a', 'schtasks'),
      rep('hmac.new(b"'),
      rep('hmac.New(a, []byte("'),
      rep('createCipheriv("a", "'),
      rep('keyring.set_password("a", '),
      rep('set_var("API_KEY", "'),
      rep('echo $API_TOKEN '),
      rep('echo $API_TOKEN\n'),
      rep('echo $API_TOKEN\n  a\n'),
      rep('${{ secrets.'),
      rep('printenv '),
      rep('os.environ["API_KEY"]\nOut[1]: '),
      rep('aB3dE5gH7kL9\n'),
      rep('  aB3dE5gH7kL9\n', 'echo $API_TOKEN\n'),
      rep('\n'),
    ];
    // No clock here (tests never assert on wall time): a rule gone quadratic takes minutes on these lines,
    // which this test's mocha timeout turns into a failure; bench:redact measures the speed.
    for (const h of hostile) assert.equal(typeof (await redact(h)).text, 'string', JSON.stringify(h.slice(0, 24)));
  }).timeout(60_000);
});
