// The secret classes a red team found leaking (issue 13) and the ones found since, one generated
// corpus (test/fixtures/redact/corpus.json, see generateCorpus.ts) plus exact-output cases for
// each rule, the false positives it must not make, and hostile input for the new rules.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { redact, stripTerminalCodes } from '../../src/core/redact';

interface Corpus {
  secrets: { id: string; cls: string; carrier: string; text: string; secret: string }[];
  ordinary: { id: string; text: string }[];
}
const corpus = JSON.parse(readFileSync(path.join(__dirname, '..', 'fixtures', 'redact', 'corpus.json'), 'utf8')) as Corpus;

describe('redact classes: generated corpus', () => {
  it('has at least 250 secrets in 40 classes and every carrier, and 50 ordinary snippets', () => {
    assert.ok(corpus.secrets.length >= 250, `${corpus.secrets.length} secrets`);
    assert.ok(new Set(corpus.secrets.map((s) => s.cls)).size >= 40);
    for (const c of ['issue', 'command', 'output', 'diff', 'repro', 'lesson', 'repo', 'file']) {
      assert.ok(
        corpus.secrets.some((s) => s.carrier === c),
        `no ${c} carrier`,
      );
    }
    for (const s of corpus.secrets) assert.ok(stripTerminalCodes(s.text).includes(s.secret), `${s.id}: secret not in its text`);
    assert.ok(corpus.ordinary.length >= 50);
  });

  it('leaks no secret, plain or base64, in any carrier', async () => {
    const leaks: string[] = [];
    for (const s of corpus.secrets) {
      const out = (await redact(s.text)).text;
      if (out.includes(s.secret) || out.includes(Buffer.from(s.secret).toString('base64'))) leaks.push(`${s.id}: ${out.slice(0, 200)}`);
      assert.equal((await redact(out)).text, out, `${s.id}: redacting twice changes the text`);
      assert.ok(!out.includes('\u001b'), `${s.id}: colour codes kept`);
    }
    assert.deepEqual(leaks, []);
  });

  it('keeps every ordinary snippet byte-identical', async () => {
    for (const o of corpus.ordinary) assert.equal((await redact(o.text)).text, o.text, o.id);
  });
});

describe('redact classes: exact output', () => {
  const cases: [string, string][] = [
    // 1. base64 values ending in `=`
    ['  password: c2VjcmV0cGFzcw==', '  password: [REDACTED:env]'],
    ['data:\n  DB_PASSWORD: aHVudGVyMjJzZWNyZXQ=\n  username: YWRtaW4=', 'data:\n  DB_PASSWORD: [REDACTED:env]\n  username: YWRtaW4='],
    [
      'kind: Secret\ndata:\n  conn: cG9zdGdyZXM6Ly94\n  user: YWRtaW4=\nmetadata:\n  name: x',
      'kind: Secret\ndata:\n  conn: [REDACTED:k8s-secret]\n  user: [REDACTED:k8s-secret]\nmetadata:\n  name: x',
    ],
    // 2. colours
    ['\u001b[32mghp_aB3dE5gH7jK9mN1pQ3sT5vW7yZ9bC1dF3hJ5\u001b[0m', '[REDACTED:github]'],
    ['token=\u001b[1mTk9xQ2v8\u001b[22mLp3Rz7Wm', 'token=[REDACTED:env]'],
    ['\u001b[31mFAILED\u001b[0m test_x', 'FAILED test_x'],
    // 3. command lines
    ['mysql -u root -pS3cretPw9 app', 'mysql -u root -p[REDACTED:cli-password] app'],
    ['mysql --password Hun7erTwo app', 'mysql --password [REDACTED:cli-password] app'],
    ['mysqldump --password=Hun7erTwo app', 'mysqldump --password=[REDACTED:env] app'],
    ['curl -u admin:Zq8wX2pL9 https://x', 'curl -u admin:[REDACTED:cli-password] https://x'],
    ['docker login -u bob -p Dk9Pw7Xq2 registry.io', 'docker login -u bob -p [REDACTED:cli-password] registry.io'],
    ['twine upload -u __token__ -p Tw1nePass99 dist/*', 'twine upload -u __token__ -p [REDACTED:cli-password] dist/*'],
    ['sshpass -p Ss9hPw2x ssh host', 'sshpass -p [REDACTED:cli-password] ssh host'],
    ['sqlplus scott/Tig3rPw@orcl', 'sqlplus scott/[REDACTED:cli-password]@orcl'],
    ['sqlplus svc.backup/Hunt03zHL1aNe@db:1521/ORCL', 'sqlplus svc.backup/[REDACTED:cli-password]@db:1521/ORCL'],
    ['sqlplus ci-bot/Zeph8801z9imN@db.internal:1521/ORCL', 'sqlplus ci-bot/[REDACTED:cli-password]@db.internal:1521/ORCL'],
    [
      'echo "Pw9xQz2k" | docker login -u me --password-stdin ghcr.io',
      'echo "[REDACTED:cli-password]" | docker login -u me --password-stdin ghcr.io',
    ],
    // 4. formats
    ['{"auths":{"reg.io":{"auth":"Ym9iOkRrOVB3N1hxMg=="}}}', '{"auths":{"reg.io":{"auth":"[REDACTED:docker-auth]"}}}'],
    ['machine api.heroku.com login me@x.com password Nt9rcPw2Xq', 'machine api.heroku.com login me@x.com password [REDACTED:netrc]'],
    ['db.example.com:5432:app:appuser:Pg9PassW0rd', 'db.example.com:5432:app:appuser:[REDACTED:pgpass]'],
    ['VAULT hvs.CAESIJ3xq9Zk2mP7Lw8Rt5Yv1Nb4Hc6Gd0Fe', 'VAULT [REDACTED:vault]'],
    ['t=dop_v1_3f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a', 't=[REDACTED:digitalocean]'],
    ['mg key-3f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c', 'mg [REDACTED:mailgun]'],
    ['AGE-SECRET-KEY-1QQPQ7ZJ8F3X9V4M2K6L5N7P8R0T2W4Y6A8C0E2G4J6L8N0Q2S4U6W8', '[REDACTED:age]'],
    [
      'https://a.blob.core.windows.net/c/f?sv=2022-11-02&sig=Zk9%2Bq3Lw8Rt5Yv1Nb4Hc6Gd0Fe9xQ%3D',
      'https://a.blob.core.windows.net/c/f?sv=2022-11-02&sig=[REDACTED:azure-sas]',
    ],
    ['client.run("MTk4NjIyNDgzNDcxOTI1MjQ4.Cl2FMQ.ZnCjm1XVW7vRze4b7Cq4se7kKWs")', 'client.run("[REDACTED:discord]")'],
    ['url aHR0cHM6Ly9ib2I6SHVudDNyMjJAZXhhbXBsZS5jb20vcmVwbw==', 'url [REDACTED:base64-url-credentials]'],
    [
      'dsn https://3f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c@o12345.ingest.sentry.io/678',
      'dsn https://[REDACTED:sentry]@o12345.ingest.sentry.io/678',
    ],
    // found on our own
    ['Cookie: sessionid=q8Zk2mP7Lw8Rt5Yv1Nb4Hc6Gd0Fe9xQ3; Path=/', 'Cookie: sessionid=[REDACTED:cookie]; Path=/'],
    ['jdbc:oracle:thin:scott/Tig3rPw@db:1521/ORCL', 'jdbc:oracle:thin:scott/[REDACTED:url-credentials]@db:1521/ORCL'],
    ['export AWS_SESSION_TOKEN=FwoGZXIvYXdzEJr//////////wEaDPq9Zk2mP7Lw8Rt5Yv1Nb4Hc6Gd0Fe9xQ3', 'export AWS_SESSION_TOKEN=[REDACTED:aws]'],
    ['tf abcdEFGH1234ij.atlasv1.KLMNopqr5678stuvWXYZ9012abcdEFGH3456ijklMNOP7890qrstUVWX1234yzAB', 'tf [REDACTED:terraform]'],
    ['dapi0123456789abcdef0123456789abcdef', '[REDACTED:databricks]'],
    ['key: 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', 'key: [REDACTED:google-oauth]'],
  ];
  for (const [input, expected] of cases) {
    it(`redacts to ${JSON.stringify(expected).slice(0, 90)}`, async () => {
      assert.equal((await redact(input)).text, expected);
    });
  }
});

describe('redact classes: no false positives', () => {
  const keep = [
    'Cache restored from key: Linux-node-3f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a',
    'Cache saved with key: Linux-x64-pip-7d2c1b0a9f8e7d6c5b4a39281706f5e4d3c2b1a0',
    '{"Key": "uploads/2024/01/invoice-7f3a9c.pdf", "Size": 1234}',
    '# public key: age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p',
    'password = get_password()',
    'token = request.headers["Authorization"]',
    'mysql -u root -p app',
    'docker login -u bob --password-stdin registry.io',
    'openssl rand -base64 32',
    'git log --pretty=format:%H -- src/app.ts',
    'psql -h db -p 5432 -U app',
    'pip install -r requirements.txt --index-url https://pypi.org/simple',
    'ssh -p 2222 deploy@host',
    'grep -rn "password" src/',
    'const auth = "Bearer " + token;',
    'src/core/redact/vendorTokens.ts:12:3',
    'kubectl get secret app -o yaml',
    'color: #3f9a8b;',
    '123e4567-e89b-12d3-a456-426614174000',
  ];
  for (const text of keep) {
    it(`keeps ${JSON.stringify(text).slice(0, 80)}`, async () => {
      assert.equal((await redact(text)).text, text);
    });
  }
});

describe('redact classes: hostile input stays fast enough to finish', () => {
  const hostile: [string, string][] = [
    ['dashes', 'xoxb-'.repeat(100_000)],
    ['flags', '--password '.repeat(50_000)],
    ['short flags', 'mysql -p'.repeat(50_000)],
    ['pgpass-like', 'a:1:b:c:'.repeat(50_000)],
    ['cookies', 'Cookie: a=b; '.repeat(50_000)],
    ['k8s data', `kind: Secret\ndata:\n${'  k: v\n'.repeat(50_000)}`],
    ['netrc', 'machine x '.repeat(50_000)],
    ['base64 run', 'QUJD'.repeat(200_000)],
    ['nested base64', Buffer.from(Buffer.from('x'.repeat(100_000)).toString('base64')).toString('base64')],
    ['ansi', '\u001b[31m'.repeat(100_000)],
  ];
  for (const [name, input] of hostile) {
    it(name, async () => {
      const r = await redact(input);
      assert.equal(typeof r.text, 'string');
    });
  }
});
