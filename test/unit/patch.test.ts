import assert from 'node:assert/strict';
import { errorSignature, patchFiles, patchSides, patchSymbols, stableId, toIso } from '../../src/core/model';

describe('model helpers', () => {
  const patch = [
    'diff --git a/src/app/models.py b/src/app/models.py',
    '--- a/src/app/models.py',
    '+++ b/src/app/models.py',
    '@@ -10,6 +10,7 @@ class Invoice(models.Model):',
    ' x',
    '+y',
    '@@ -40,3 +41,5 @@ def total_amount(self, rows):',
    '+def helper_rounding(value):',
    '+    return value',
    'diff --git a/old.py b/old.py',
    'deleted file mode 100644',
    '--- a/old.py',
    '+++ /dev/null',
    '@@ -1 +0,0 @@',
    '-gone',
    'diff --git a/web/router.ts b/web/router.ts',
    '--- a/web/router.ts',
    '+++ b/web/router.ts',
    '@@ -3,2 +3,2 @@ export function redirect(req: Request) {',
    '-a',
    '+b',
    '',
  ].join('\n');

  it('lists the files a diff touches, including deletions, even with miscounted hunks', () => {
    assert.deepEqual(patchFiles(patch), ['src/app/models.py', 'old.py', 'web/router.ts']);
    assert.deepEqual(patchFiles(''), []);
    assert.deepEqual(patchFiles('not a diff at all'), []);
    // a plain `diff -u` without git headers
    assert.deepEqual(patchFiles('--- lib/a.c\t2020-01-01\n+++ lib/a.c\t2020-01-02\n@@ -1 +1 @@\n-x\n+y\n'), ['lib/a.c']);
  });

  it('names the functions and classes from hunk headers and added definitions', () => {
    assert.deepEqual(patchSymbols(patch), ['Invoice', 'total_amount', 'helper_rounding', 'redirect']);
  });

  it('finds the last exception line of a traceback, made generic', () => {
    const tb =
      'Traceback (most recent call last):\n  File "/home/u/app.py", line 3, in <module>\nKeyError: \'x\'\nDuring handling...\nValueError: bad object at 0x7f3a2b1c\n';
    assert.equal(errorSignature(tb), 'ValueError: bad object at 0x…');
    assert.equal(errorSignature('E   AssertionError: assert 1 == 2'), 'AssertionError: assert 1 == 2');
    assert.equal(errorSignature('all good'), '');
  });

  it('makes stable ids and canonical times', () => {
    assert.equal(stableId('ep', 'a', 'b'), stableId('ep', 'a', 'b'));
    assert.notEqual(stableId('ep', 'a', 'b'), stableId('ep', 'ab', ''));
    assert.equal(toIso('2020-01-02T03:04:05+02:00'), '2020-01-02T01:04:05.000Z');
    assert.throws(() => toIso('tomorrow'), /not a valid time/);
  });
});

describe('patchSides', () => {
  it('splits a diff into aligned before/after text per file and hunk', () => {
    const p =
      'diff --git a/x.py b/x.py\n--- a/x.py\n+++ b/x.py\n@@ -1,3 +1,3 @@ def f():\n ctx\n-old\n+new\n ctx2\ndiff --git a/y.py b/y.py\nnew file mode 100644\n--- /dev/null\n+++ b/y.py\n@@ -0,0 +1 @@\n+hello\n';
    const s = patchSides(p);
    assert.equal(s.before, '━━ x.py ━━\n@@ -1,3 +1,3 @@ def f():\nctx\nold\nctx2\n━━ y.py ━━\n@@ -0,0 +1 @@\n');
    assert.equal(s.after, '━━ x.py ━━\n@@ -1,3 +1,3 @@ def f():\nctx\nnew\nctx2\n━━ y.py ━━\n@@ -0,0 +1 @@\nhello\n');
    assert.deepEqual(patchSides(''), { before: '', after: '' });
    assert.deepEqual(patchSides('not a diff at all\n+++ nope'), { before: '', after: '' });
  });
});
