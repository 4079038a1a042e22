// A third red-team pass: classes that still leaked with fresh variants — Kubernetes Secrets and PuTTY
// keys flattened onto one line, credential files in a shell's numbered `history`, newer vendor token
// formats, webhook URLs (Teams, `/hooks/<id>`, Telegram Bot API), secrets passed to setters by name or
// at their place in a known call, `||=` defaults, settings elements named by an attribute, shell commands
// continued over several lines, CI masking commands, secrets given in a sentence, an AWS secret starting
// with `/`, name/value settings, SQL logins and Go MySQL DSNs, WordPress keys, PowerShell SecureStrings,
// service directives (`requirepass …`), typed declarations and wrapped literals, YAML block scalars,
// multipart form fields.
// Each class is drawn fresh from several seeds (test/fixtures/redact/redteam3Corpus.ts) and put in every
// carrier; ordinary look-alikes must stay byte-identical, and every new rule stays linear on hostile lines.
import assert from 'node:assert/strict';
import { assertOrdinaryKept, itLeaksNothing } from '../fixtures/redact/redteamRun';
import { redact } from '../../src/core/redact';
import { Rng, carriers, classes, ordinary, vendorTokens3 } from '../fixtures/redact/redteam3Corpus';

const SEEDS = [3, 17, 2027, 515151];
const PER_SEED = 3;

describe('redact red team 3: fresh variants of the classes found in the third pass', () => {
  itLeaksNothing(classes, { seeds: SEEDS, perSeed: PER_SEED, salt: 6007, carriers, check: { piece: 10 } });

  it('redacts every vendor format the pass added', async () => {
    for (const seed of SEEDS) {
      for (const token of vendorTokens3(new Rng(seed))) {
        for (const text of [`key = "${token}"`, `I rotated ${token} yesterday.`]) {
          assert.ok(!(await redact(text)).text.includes(token.slice(-12)), text.slice(0, 80));
        }
      }
    }
  });

  it('keeps ordinary look-alikes byte-identical, in every carrier', () => assertOrdinaryKept(ordinary, SEEDS, carriers));

  it('stays linear on hostile single lines of 256,000 characters', async () => {
    const N = 256_000;
    const rep = (unit: string, head = '') => (head + unit.repeat(Math.ceil(N / unit.length))).slice(0, N);
    const hostile = [
      rep('a: ', 'kind: Secret stringData: '),
      rep('data: ', 'kind: Secret '),
      rep('kind: Secret data: '),
      rep('a: b,', 'kind: Secret data: {'),
      rep('"a": "', 'kind: Secret data: '),
      rep('a', 'kind: Secret data: k: '),
      rep('Private-Lines: 9 '),
      rep('AAAA ', 'Private-Lines: 400 '),
      rep('A\r', 'Private-Lines: 400 '),
      rep(' 12  a\n'),
      rep('1  '),
      rep('://a/hooks/'),
      rep('/bot1234567890:AA'),
      rep('.webhook.office.com/webhookb2/'),
      rep('tskey-abc-'),
      rep('sk-or-v1-'),
      rep('getConnection('),
      rep('getConnection(a, "'),
      rep('jwt.sign(x, "a", '),
      rep('os.Setenv("API_TOKEN", "'),
      rep('<entry key="password">'),
      rep('<entry key="password">a</entry>'),
      rep('</entry>'),
      rep('a ||= '),
      rep('curl \\\n'),
      rep('\\\n'),
      rep(' `\n-p '),
      rep('::add-mask::'),
      rep('##vso[task.setvariable issecret=true'),
      rep('token '),
      rep('password for a b c '),
      rep("token '"),
      rep(`token '${'a1'.repeat(200)}`),
      rep('password was set to '),
      rep('login with a / '),
      rep(`creds: a/${'b1'.repeat(200)}`),
      rep('- name: API_KEY\n  value: '),
      rep('"name": "API_KEY", "value": "'),
      rep('"github-oauth": {'),
      rep('"github-oauth": {"a.b": "'),
      rep(`- name: TOKEN\n  value: "${'a'.repeat(3000)}`),
      rep('USER IDENTIFIED BY '),
      rep("user password '"),
      rep('a:b@tcp('),
      rep('SET PASSWORD = PASSWORD('),
      rep("define( '"),
      rep("define( 'AUTH_KEY', "),
      rep('ConvertTo-SecureString "a" '),
      rep('\nrequirepass '),
      rep('`requirepass a'),
      rep('psk="'),
      rep('token: String = '),
      rep('password As String = "'),
      rep('key = []byte("'),
      rep('key = b'),
      rep('password: |\n'),
      rep('password: |\n  a\n'),
      rep('Content-Disposition: form-data; name="password"\n\n'),
    ];
    // No clock here (tests never assert on wall time): a rule gone quadratic takes minutes on these lines,
    // which this test's mocha timeout turns into a failure; bench:redact measures the speed.
    for (const h of hostile) assert.equal(typeof (await redact(h)).text, 'string', JSON.stringify(h.slice(0, 24)));
  }).timeout(60_000);
});
