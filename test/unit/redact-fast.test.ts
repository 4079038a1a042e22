// The faster redaction paths give exactly what the plain scans give: command-line rules run only
// on lines the pre-filter finds, and rules that start with a character class are tried only where
// their anchor literal puts a match. Compared on real SWE-bench text with fresh corpora of fake
// secrets, and on hostile text built around the anchors and the 8 K line clip.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findCommandLineSecrets, findCommandLineSecretsEveryLine } from '../../src/core/redact/commandLine';
import { findShapes, shapeRules } from '../../src/core/redact/patterns';
import { vendorRules } from '../../src/core/redact/vendorTokens';
import { generateCorpus } from '../fixtures/redact/generateCorpus';

const sorted = <T extends { start: number; end: number; rule: string }>(hits: T[]) =>
  [...hits].sort((a, b) => a.start - b.start || a.end - b.end || a.rule.localeCompare(b.rule));

function liteTexts(): string[] {
  const file = join(__dirname, '../../../shared/bench/swebench-lite.jsonl');
  let raw = '';
  try {
    raw = readFileSync(file, 'utf8');
  } catch {
    raw = readFileSync(join(__dirname, '../fixtures/swebench-mini.jsonl'), 'utf8');
  }
  return raw
    .split('\n')
    .filter(Boolean)
    .slice(0, 120)
    .map((l) => JSON.parse(l) as { problem_statement: string; patch: string })
    .flatMap((r) => [r.problem_statement, r.patch]);
}

let seed = 1;
const rnd = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)];
const run = (alphabet: string, n: number) => Array.from({ length: n }, () => pick([...alphabet])).join('');
const HEX = '0123456789abcdef';
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Text dense in near-misses of the anchored rules and of the command-line rules. */
function hostile(n: number): string {
  const parts: string[] = [];
  for (let i = 0; i < n; i++) {
    parts.push(
      pick([
        () => `${run(HEX, 28 + Math.floor(rnd() * 10))}-us${Math.floor(rnd() * 120)}${pick(['', 'x', '-', ' '])}`,
        () => `${run(HEX, 32)}-${run(HEX, 8)}-${run(HEX, 6 + Math.floor(rnd() * 4))}`,
        () => `key-${run(ALNUM, 30 + Math.floor(rnd() * 4))}`,
        () => `${pick(['', '_', 'a'])}${run(ALNUM, 12 + Math.floor(rnd() * 4))}.atlasv1.${run(ALNUM, 38 + Math.floor(rnd() * 6))}`,
        () => `${run(HEX, 32)}-us${run(HEX, 32)}-us1`,
        () =>
          `${pick(['mysql', 'mysqldump', 'curl', 'redis-cli', 'sshpass', 'docker login', 'zip', 'HTTP', 'Curl'])} ${pick(['-p', '-u bob:', '-a ', '-P ', '--password='])}${run(ALNUM, 10)}`,
        () => `${pick(['echo', 'printf'])} ${run(ALNUM, 12)} | docker login --password-stdin`,
        () => `${'x'.repeat(8185)} mysql -pS3cretPassw0rd`,
        () => `${'y'.repeat(8188)}mysql -pS3cretPassw0rd`,
        () => `NET USER bob ${run(ALNUM, 10)}`,
        () => `Git Config user.token ${run(ALNUM, 16)}`,
        () => `run --api-key=${run(ALNUM, 20)} and --token ${run(ALNUM, 12)}`,
      ])(),
    );
  }
  return parts.join(pick(['\n', ' ', '\n\n', '\t']));
}

describe('redaction fast paths agree with the plain scans', () => {
  it('anchored rules: the same hits as their global scans', () => {
    assert.ok([...shapeRules, ...vendorRules].filter((r) => r.anchors).length >= 3);
    const texts = [
      ...liteTexts(),
      ...[1, 2, 3, 4, 5].map((s) =>
        generateCorpus(s)
          .secrets.map((x) => x.text)
          .join('\n'),
      ),
    ];
    for (let s = 1; s <= 30; s++) {
      seed = s;
      texts.push(hostile(200));
    }
    let hits = 0;
    for (const t of texts) {
      const fast = findShapes(t);
      assert.deepEqual(sorted(fast), sorted(findShapes(t, { anchors: false })));
      hits += fast.filter((h) => ['mailchimp', 'mailgun', 'terraform'].includes(h.rule)).length;
    }
    assert.ok(hits > 50, `the anchored rules fired (${hits} hits)`);
  });

  it('command lines: the same hits as scanning every line', () => {
    const texts = [
      liteTexts().join('\n'),
      ...[6, 7, 8, 9].map((s) =>
        generateCorpus(s)
          .secrets.map((x) => x.text)
          .join('\n'),
      ),
    ];
    for (let s = 31; s <= 60; s++) {
      seed = s;
      texts.push(hostile(150));
    }
    let hits = 0;
    for (const t of texts) {
      const fast = findCommandLineSecrets(t);
      assert.deepEqual(sorted(fast), sorted(findCommandLineSecretsEveryLine(t)));
      hits += fast.length;
    }
    assert.ok(hits > 100, `command-line rules fired (${hits} hits)`);
  });
});
