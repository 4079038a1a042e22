// The faster redaction paths give exactly what the plain scans give: command-line rules run only
// on lines the pre-filter finds, and rules that start with a character class are tried only where
// their anchor literal puts a match. Compared on real SWE-bench text with fresh corpora of fake
// secrets, and on hostile text built around the anchors and the 8 K line clip.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { stripTerminalCodes } from '../../src/core/redact';
import { base64Runs } from '../../src/core/redact/encoded';
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

/** Random text over an alphabet dense in base64 characters, `=`, separators and terminal codes. */
function noise(seed: number, length: number): string {
  let s = seed >>> 0;
  const next = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  const pieces = [
    'A',
    'z',
    '9',
    '+',
    '/',
    '_',
    '-',
    '=',
    '==',
    '===',
    ' ',
    '\n',
    '.',
    ':',
    'é',
    '\u001b[31m',
    '\u001b[0m',
    '\u0007',
    '\u009b1m',
    '\u001b]0;title\u0007',
    '\u001b',
    '\r\n',
  ];
  let out = '';
  while (out.length < length) {
    const p = pieces[Math.floor(next() * pieces.length)];
    out += next() < 0.6 && /^[A-Za-z0-9+/_-]$/.test(p) ? p.repeat(1 + Math.floor(next() * 30)) : p;
  }
  return out;
}

// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u001b\u009b\u0007]/g;

describe('redaction fast paths: base64 runs and terminal codes', () => {
  const RUN = /(?<![A-Za-z0-9+/_-])[A-Za-z0-9+/_-]{16,65536}={0,2}(?![A-Za-z0-9+/=_-])/g;
  const byRegex = (t: string) => [...t.matchAll(RUN)].map((m) => `${m.index}:${m[0]}`);
  const byScan = (t: string) => [...base64Runs(t)].map((m) => `${m.index}:${m.run}`);

  it('the linear base64 scan finds exactly what the regex finds', () => {
    const texts = [
      ...liteTexts().slice(0, 60),
      ...generateCorpus(4242).secrets.map((s) => s.text),
      ...Array.from({ length: 300 }, (_, i) => noise(i + 1, 200 + (i % 7) * 300)),
      'A'.repeat(15),
      'A'.repeat(16),
      `${'B'.repeat(65_536)}==`,
      `x${'C'.repeat(65_537)}`,
      `${'D'.repeat(20)}===`,
      `${'E'.repeat(20)}==F`,
      `=${'G'.repeat(20)}=`,
      '',
    ];
    let found = 0;
    for (const t of texts) {
      const want = byRegex(t);
      found += want.length;
      assert.deepEqual(byScan(t), want, JSON.stringify(t.slice(0, 80)));
    }
    assert.ok(found > 500, `the texts hold runs to compare: ${found}`);
  });

  it('stripping terminal codes line by line equals stripping the whole text', () => {
    const whole = (t: string) => stripVTControlCharacters(t).replace(CONTROL_CHARS, '');
    const texts = [
      ...Array.from({ length: 300 }, (_, i) => noise(1000 + i, 100 + (i % 5) * 500)),
      ...generateCorpus(99).secrets.map((s) => s.text),
      '\u001b]8;;http://x\n\u0007a',
      '\u001b[31\nm',
      '\n\u001b[1m\n\u001b',
      '\u001b',
    ];
    let changed = 0;
    for (const t of texts) {
      const want = whole(t);
      if (want !== t) changed++;
      assert.equal(stripTerminalCodes(t), want, JSON.stringify(t.slice(0, 80)));
    }
    assert.ok(changed > 200, `texts with codes: ${changed}`);
  });
});
