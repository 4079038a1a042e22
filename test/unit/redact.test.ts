import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { type RedactResult, findOwnHits, redact, redactAll } from '../../src/core/redact';
import { PRESET_RULE_IDS, couldSecretlintMatch, lintWithSecretlint, presetRuleIds } from '../../src/core/redact/secretlint';

interface SecretCase {
  name: string;
  kind: string;
  carrier: string[];
  secrets: string[];
}
interface CleanCase {
  name: string;
  carrier: string[];
}

const fixtures = path.join(__dirname, '..', 'fixtures', 'redact');
const load = <T>(file: string): T => JSON.parse(readFileSync(path.join(fixtures, file), 'utf8')) as T;
const secretCases = load<{ cases: SecretCase[] }>('secrets.json').cases;
const cleanCases = load<{ cases: CleanCase[] }>('clean.json').cases;
const text = (c: { carrier: string[] }): string => c.carrier.join('\n');

/** Findings are sorted, disjoint, and replacing them in the original reproduces the output. */
function assertConsistent(original: string, r: RedactResult): void {
  let at = 0;
  let rebuilt = '';
  for (const f of r.findings) {
    assert.ok(f.start >= at && f.end > f.start && f.end <= original.length, `bad span ${JSON.stringify(f)}`);
    rebuilt += original.slice(at, f.start) + `[REDACTED:${f.rule}]`;
    at = f.end;
  }
  assert.equal(rebuilt + original.slice(at), r.text);
}

/** Every occurrence of `secret` in `original` lies inside one finding. */
function assertCovered(original: string, r: RedactResult, secret: string): void {
  for (let i = original.indexOf(secret); i >= 0; i = original.indexOf(secret, i + 1)) {
    const covered = r.findings.some((f) => f.start <= i && i + secret.length <= f.end);
    assert.ok(covered, `occurrence of ${secret.slice(0, 12)}… at ${i} is not inside a finding`);
  }
}

describe('redact: secrets corpus', () => {
  it('has at least 45 secrets in realistic carriers', () => {
    const total = secretCases.reduce((n, c) => n + c.secrets.length, 0);
    assert.ok(total >= 45, `only ${total} secrets`);
    const kinds = new Set(secretCases.map((c) => c.kind));
    for (const k of ['diff', 'log', 'trace', 'issue', 'yaml', 'json']) assert.ok(kinds.has(k), `no ${k} carrier`);
    for (const c of secretCases) for (const s of c.secrets) assert.ok(text(c).includes(s), `${c.name}: ${s} not in carrier`);
  });

  for (const c of secretCases) {
    it(`leaks nothing: ${c.name}`, async () => {
      const original = text(c);
      const r = await redact(original);
      for (const s of c.secrets) {
        assert.ok(!r.text.includes(s), `leaked ${s}`);
        assertCovered(original, r, s);
      }
      assertConsistent(original, r);
      assert.equal((await redact(r.text)).text, r.text, 'redacting twice changes the text');
    });
  }
});

describe('redact: leave-intact corpus', () => {
  for (const c of cleanCases) {
    it(`keeps byte-identical: ${c.name}`, async () => {
      const original = text(c);
      const r = await redact(original);
      assert.deepEqual(r.findings, []);
      assert.equal(r.text, original);
    });
  }
});

describe('redact: exact output', () => {
  const akid = 'AKIAQWERTYUIOPASDFGH';
  const awsSecret = 'Zx9Wv8Ut7Sr6Qp5On4Ml3Kj2Ih1Gf0Ed/CbA+zyX';
  const cases: [string, string][] = [
    [`AWS_SECRET_ACCESS_KEY=${awsSecret}`, 'AWS_SECRET_ACCESS_KEY=[REDACTED:env]'],
    [`aws_secret_access_key = ${awsSecret}`, 'aws_secret_access_key = [REDACTED:env]'],
    [`key id ${akid} here`, 'key id [REDACTED:aws] here'],
    ['export API_TOKEN=tok_9f8e7d6c5b4a', 'export API_TOKEN=[REDACTED:env]'],
    ['+STRIPE_SECRET="whsec_9f8e7d6c5b4a3210"', '+STRIPE_SECRET="[REDACTED:env]"'],
    ["-DB_PASSWORD='hunter2!'", "-DB_PASSWORD='[REDACTED:env]'"],
    ['  password: s3cr3t-Value', '  password: [REDACTED:env]'],
    ['"client_secret": "aB3dE5gH7jK9mN1p",', '"client_secret": "[REDACTED:env]",'],
    ['PASSWORD: hunter22 # prod', 'PASSWORD: [REDACTED:env] # prod'],
    ['DISCORD_TOKEN=MTk4NjIyNDgzNDcxOTI1MjQ4.Cl2FMQ.ZnCjm1XVW7vRze4b7Cq4se7kKWs', 'DISCORD_TOKEN=[REDACTED:discord]'],
    ['curl "https://api.example.com/v1?api_key=Zk3Lm9Qp2Rt7&page=2"', 'curl "https://api.example.com/v1?api_key=[REDACTED:env]&page=2"'],
    ['mysql --user=ci --password=Pa55w0rdCI -e "SELECT 1"', 'mysql --user=ci --password=[REDACTED:env] -e "SELECT 1"'],
    ['postgres://app:pw-123@db:5432/main', 'postgres://[REDACTED:url-credentials]@db:5432/main'],
    ['https://deploy:Tr0ub4dor@ci.example.com/x', 'https://[REDACTED:url-credentials]@ci.example.com/x'],
    ['a AIzaSyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q b', 'a [REDACTED:gcp] b'],
    ['GITLAB glpat-Ab3De5Gh7Jk9Mn1Pq3St x', 'GITLAB [REDACTED:gitlab] x'],
    ['xoxs-1234567890-1234567890-0123456789abcdef', '[REDACTED:slack]'],
    ['sk-ant-admin01-Ab3De5Gh7Jk9Mn1Pq3St5Vw7Yz', '[REDACTED:anthropic]'],
    ['sk-proj-Ab3De5Gh7Jk9Mn1Pq3St5Vw7Yz9Bc1Df3', '[REDACTED:openai]'],
    ['Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U.', 'Bearer [REDACTED:jwt].'],
    [
      'x\n-----BEGIN PRIVATE KEY-----\nMIIBVQIBADANBgkqhkiG9w0BAQEFAASCAT8wggE7AgEAAkEA\n-----END PRIVATE KEY-----\ny',
      'x\n[REDACTED:private-key]\ny',
    ],
  ];
  for (const [input, expected] of cases) {
    it(`redacts to ${JSON.stringify(expected)}`, async () => {
      const r = await redact(input);
      assert.equal(r.text, expected);
      assertConsistent(input, r);
    });
  }

  it('reports offsets into the original text', async () => {
    const input = `id=${akid}\nGITHUB_TOKEN=ghp_aB3dE5gH7jK9mN1pQ3sT5vW7yZ9bC1dF3hJ5`;
    const r = await redact(input);
    assert.deepEqual(r.findings, [
      { rule: 'aws', start: 3, end: 23 },
      { rule: 'github', start: 37, end: 77 },
    ]);
    assert.equal(input.slice(37, 77), 'ghp_aB3dE5gH7jK9mN1pQ3sT5vW7yZ9bC1dF3hJ5');
  });

  it('ignores `secretlint-disable` comments inside the text', async () => {
    const token = 'npm_aB3dE5gH7jK9mN1pQ3sT5vW7yZ9bC1dF3hJ5';
    const r = await redact(`// secretlint-disable\nconst t = "${token}";\n`);
    assert.ok(!r.text.includes(token));
  });

  it('redactAll keeps order', async () => {
    const out = await redactAll(['plain', `k ${akid}`, '']);
    assert.deepEqual(out, ['plain', 'k [REDACTED:aws]', '']);
  });
});

describe('redact: edge cases', () => {
  it('handles the empty string', async () => {
    assert.deepEqual(await redact(''), { text: '', findings: [] });
  });

  it('redacts a secret near the end of a 10 MB input', async () => {
    const chunk = cleanCases.map(text).join('\n');
    const secret = 'ghp_aB3dE5gH7jK9mN1pQ3sT5vW7yZ9bC1dF3hJ5';
    const body = chunk.repeat(Math.ceil((10 * 1024 * 1024) / chunk.length)).slice(0, 10 * 1024 * 1024 - 100);
    const input = `${body}\nGITHUB_TOKEN=${secret}\n`;
    const r = await redact(input);
    assert.ok(!r.text.includes(secret));
    assert.deepEqual(r.findings, [{ rule: 'github', start: body.length + 14, end: body.length + 14 + secret.length }]);
    assert.equal(r.text, `${body}\nGITHUB_TOKEN=[REDACTED:github]\n`);
  });

  const hostile: [string, string][] = [
    ['AKIA x100k', 'AKIA'.repeat(100_000)],
    ['-----BEGIN without END', '-----BEGIN '.repeat(50_000)],
    ['private key headers without END', '-----BEGIN RSA PRIVATE KEY-----\n'.repeat(20_000)],
    ['private key header and an endless body', `-----BEGIN PRIVATE KEY-----\n${'QUJD'.repeat(200_000)}`],
    ['password= x100k', 'password='.repeat(100_000)],
    ['token=( x100k', 'token=('.repeat(100_000)],
    ['eyJ x200k', 'eyJ'.repeat(200_000)],
    ['://a: x100k', '://a:'.repeat(100_000)],
    ['postgres://u: x100k', 'postgres://u:'.repeat(100_000)],
    ['xoxb- x100k', 'xoxb-'.repeat(100_000)],
    ['Authorization x20k', 'Authorization: Bearer '.repeat(20_000)],
    ['one long identifier', `${'k'.repeat(500_000)}ey=abc123def`],
    ['assignments ending in long comma runs', `PASSWORD=${','.repeat(4000)}x\n`.repeat(250)],
    ['unclosed quotes', 'api_key = "'.repeat(50_000)],
  ];
  for (const [name, input] of hostile) {
    it(`completes on hostile input: ${name}`, async () => {
      const r = await redact(input);
      assertConsistent(input, r);
    });
  }

  it('leaves many partial matches untouched', async () => {
    for (const input of ['AKIA'.repeat(100_000), '-----BEGIN '.repeat(50_000), 'eyJ'.repeat(200_000)]) {
      assert.equal((await redact(input)).text, input);
    }
  });

  it('keeps lone surrogates and odd unicode intact around a secret', async () => {
    const odd = '\uD800x\uDFFF \u{1F510} e\u0301 \u202E\u200B\uFFFD';
    const input = `${odd} key=AKIAQWERTYUIOPASDFGH ${odd}`;
    const r = await redact(input);
    assert.equal(r.text, `${odd} key=[REDACTED:aws] ${odd}`);
    assertConsistent(input, r);
  });

  it('keeps offsets right after a byte-order mark', async () => {
    const input = '\uFEFFid AKIAQWERTYUIOPASDFGH';
    const r = await redact(input);
    assert.equal(r.text, '\uFEFFid [REDACTED:aws]');
    assert.deepEqual(r.findings, [{ rule: 'aws', start: 4, end: 24 }]);
  });
});

describe('redact: secretlint adapter', () => {
  it('knows every rule of the installed preset (review TRIGGER when this fails)', async () => {
    assert.deepEqual([...(await presetRuleIds())].sort(), [...PRESET_RULE_IDS].sort());
  });

  it('only skips secretlint when it would report nothing', async () => {
    const samples = [...secretCases.map(text), ...cleanCases.map(text), 'AKIAIOSFODNN7EXAMPLE', ...secretCases.flatMap((c) => c.secrets)];
    for (const s of samples) {
      if ((await lintWithSecretlint(s)).length > 0) assert.ok(couldSecretlintMatch(s), `pre-check missed: ${s.slice(0, 60)}`);
    }
    for (const c of cleanCases) assert.equal(couldSecretlintMatch(text(c)), false, c.name);
  });

  it('does not pile up secretlint profiler marks across calls (memory/CPU leak)', async () => {
    const input = 'GITHUB_TOKEN=ghp_aB3dE5gH7jK9mN1pQ3sT5vW7yZ9bC1dF3hJ5';
    for (let i = 0; i < 200; i++) await redact(input);
    await new Promise((resolve) => setTimeout(resolve, 10));
    const marks = performance.getEntriesByType('mark').filter((m) => m.name.startsWith('@core>'));
    assert.equal(marks.length, 0);
  });

  it('own rules work without secretlint for the kinds it misses', () => {
    const hits = findOwnHits('k AIzaSyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q\nPASSWORD=hunter22');
    assert.deepEqual(hits.map((h) => h.rule).sort(), ['env', 'gcp']);
  });
});
