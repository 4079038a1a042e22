// The pieces the transcript importers are built from: test-run detection, output verdicts,
// unified diffs (checked by `git apply`), and following edits through a session.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { EditTracker } from '../../src/core/ingest/editTracker';
import { exitCodeIsTheTests, isTestCommand, judgeOutput } from '../../src/core/ingest/testRuns';
import { fileDiff } from '../../src/core/ingest/unifiedDiff';
import { useTempDir } from '../helpers/tmp';

describe('importers: test runs', () => {
  it('recognises test commands behind wrappers, chains and pipes', () => {
    for (const c of [
      'pytest',
      'python -m pytest tests/test_x.py -q',
      'cd app && uv run pytest -x 2>&1 | tail -20',
      'FOO=1 npm test',
      'npm run test:unit',
      'npx vitest run',
      'go test ./...',
      'cargo test --lib',
      './gradlew clean test',
      'mvn -q verify',
      'python manage.py test',
      'python reproduce_bug.py',
      'timeout 60 python3 -m unittest discover',
      'bundle exec rspec spec/a_spec.rb',
      'make test',
      'tox -e py311',
    ])
      assert.ok(isTestCommand(c), c);
    for (const c of [
      'ls',
      'git log --oneline | head',
      'cat pytest.ini',
      'grep -r pytest .',
      'python setup.py build',
      'npm install',
      'echo npm test',
      'pip install pytest-cov',
      'pytest.main()',
    ]) {
      assert.ok(!isTestCommand(c), c);
    }
  });

  it('trusts an exit code only when no pipe hides it', () => {
    assert.ok(exitCodeIsTheTests('pytest -q'));
    assert.ok(exitCodeIsTheTests('pytest -q || echo failed'));
    assert.ok(exitCodeIsTheTests('set -o pipefail; pytest | tee log'));
    assert.ok(!exitCodeIsTheTests('pytest -q 2>&1 | tail -5'));
  });

  it('reads pass and fail from the output of common runners', () => {
    assert.equal(judgeOutput('===== 3 passed in 0.1s ====='), 'passed');
    assert.equal(judgeOutput('===== 1 failed, 2 passed in 0.1s ====='), 'failed');
    assert.equal(judgeOutput('2 passed, 1 error in 0.3s'), 'failed');
    assert.equal(judgeOutput('Ran 4 tests in 0.01s\n\nOK'), 'passed');
    assert.equal(judgeOutput('Ran 4 tests\n\nFAILED (failures=1)'), 'failed');
    assert.equal(judgeOutput('Tests:       1 failed, 3 passed, 4 total'), 'failed');
    assert.equal(judgeOutput('--- FAIL: TestSum (0.00s)'), 'failed');
    assert.equal(judgeOutput('ok  \texample.com/sum\t0.01s'), 'passed');
    assert.equal(judgeOutput('Traceback (most recent call last):\n  File "x.py"\nValueError: bad'), 'failed');
    assert.equal(judgeOutput('Script completed successfully, no errors.'), 'passed');
    assert.equal(judgeOutput('{"id": 1}'), 'unknown');
    assert.equal(judgeOutput(''), 'unknown');
    assert.equal(judgeOutput(`1 failed ${'a'.repeat(200_000)}`), 'unknown', 'a huge line is read in linear time');
  });
});

describe('importers: unified diffs', () => {
  const tmp = useTempDir();

  /** Applies `patch` with git to a folder holding `before` and returns the file afterwards. */
  function applied(before: string | null, patch: string): string | null {
    const dir = join(tmp.path, `w${Math.random().toString(36).slice(2)}`);
    mkdirSync(dir);
    if (before !== null) writeFileSync(join(dir, 'f.txt'), before);
    writeFileSync(join(dir, 'p.diff'), patch);
    execFileSync('git', ['apply', '--whitespace=nowarn', 'p.diff'], { cwd: dir, stdio: 'pipe' });
    const out = existsSync(join(dir, 'f.txt')) ? readFileSync(join(dir, 'f.txt'), 'utf8') : null;
    rmSync(dir, { recursive: true });
    return out;
  }

  it('produces diffs git applies exactly, for edits, new and deleted files, and missing final newlines', () => {
    let seed = 7;
    const rand = (n: number) => (seed = (seed * 48271) % 2147483647) % n;
    const cases: [string | null, string | null][] = [
      [null, 'a\nb\n'],
      ['a\nb\n', null],
      ['', 'x'],
      ['a\nb', 'a\nb\n'],
      ['a\nb\n', 'a\nc'],
      ['same\n', 'same\n'],
    ];
    for (let k = 0; k < 25; k++) {
      const lines = Array.from({ length: 5 + rand(60) }, (_, i) => `line ${i % 9} ${rand(4)}`);
      const after = [...lines];
      for (let e = 0; e < 1 + rand(6); e++) {
        const at = rand(after.length + 1);
        const op = rand(3);
        if (op === 0) after.splice(at, 1);
        else if (op === 1) after.splice(at, 0, `new ${k}.${e}`);
        else after[Math.min(at, after.length - 1)] = `changed ${k}.${e}`;
      }
      cases.push([`${lines.join('\n')}\n`, after.join('\n') + (rand(2) ? '\n' : '')]);
    }
    for (const [before, after] of cases) {
      const d = fileDiff('f.txt', before, after);
      if (before === after) {
        assert.equal(d, '');
        continue;
      }
      assert.equal(applied(before, d), after, d);
    }
  });

  it('stays correct when the changed middle is too large to compare line by line', () => {
    // 2,500 changed lines each side are compared; 3,000 exceed the comparison's limit (whole file out, then in)
    for (const [n, eol] of [
      [2500, '\n'],
      [3000, '\n'],
      [3000, ''],
    ] as const) {
      const before = Array.from({ length: n }, (_, i) => `old ${i}`).join('\n') + '\n';
      const after = Array.from({ length: n }, (_, i) => `new ${i}`).join('\n') + eol;
      assert.equal(applied(before, fileDiff('f.txt', before, after)), after);
    }
  });

  it('names the enclosing definition in the hunk header, like git', () => {
    const before = 'def total(xs):\n    a = 1\n    b = 2\n    c = 3\n    d = 4\n    return sum(xs)\n';
    const d = fileDiff('f.py', before, before.replace('return sum(xs)', 'return sum(xs or [])'));
    assert.match(d, /^@@ -3,4 \+3,4 @@ def total\(xs\):$/m);
  });
});

describe('importers: following edits', () => {
  it('is exact while every edit can be followed, and says why when it is not', () => {
    const t = new EditTracker();
    t.edit('a.py', [{ oldText: 'x = 1', newText: 'x = 2' }], 'x = 1\ny = 1\n');
    t.edit('a.py', [
      { oldText: 'y = 1', newText: 'y = 3' },
      { oldText: 'x = 2', newText: 'x = 4', all: true },
    ]);
    assert.equal(t.patch().patch, 'diff --git a/a.py b/a.py\n--- a/a.py\n+++ b/a.py\n@@ -1,2 +1,2 @@\n-x = 1\n-y = 1\n+x = 4\n+y = 3\n');
    t.edit('a.py', [{ oldText: 'not there', newText: 'z' }]);
    assert.deepEqual(t.patch().partialFiles, ['a.py']);
    assert.match(t.patch().patch, /partial diff - an edit could not be followed/);
    // The next edit that records the file's text brings it back in step.
    t.edit('a.py', [{ oldText: 'y = 3', newText: 'y = 5' }], 'x = 4\ny = 3\nz\n');
    assert.deepEqual(t.patch().partialFiles, []);
    assert.match(t.patch().patch, /^\+y = 5$/m);
    assert.match(t.patch().patch, /^\+z$/m);
  });
});
