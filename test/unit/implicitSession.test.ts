// Implicit sessions' decisions: the title from a failing run of each common test runner (fresh
// names per variant), which tests failed, when a later passing run covers them, when an idle
// session is dropped — and hostile output (huge, ANSI, empty, no test names) still gives a title.
import * as assert from 'node:assert/strict';
import { coversFailure, failingTests, idleExpired, implicitTitle, type ImplicitState } from '../../src/core/capture/implicitSession';

const NAMES = ['total_empty_cart', 'parses ISO dates', 'rounds_tax_down', 'keeps the session', 'rejects emoji ids', 'sorts by price'];
const runners: [string, (t: string, err: string) => string, (t: string) => string][] = [
  [
    'pytest',
    (t, err) =>
      `===== FAILURES =====\n____ test_${t.replace(/ /g, '_')} ____\n    assert total([]) == 0\nE   ${err}\n===== short test summary info =====\nFAILED tests/test_cart.py::test_${t.replace(/ /g, '_')} - ${err}\n1 failed, 3 passed in 0.12s`,
    (t) => `tests/test_cart.py::test_${t.replace(/ /g, '_')}`,
  ],
  [
    'jest',
    (t, err) => `FAIL src/cart.test.js\n  cart\n    ✕ ${t} (5 ms)\n\n  ● cart › ${t}\n\n    ${err}\n\nTests: 1 failed, 2 passed`,
    (t) => t,
  ],
  [
    'mocha',
    (t, err) =>
      `  cart\n    ✔ adds items\n    1) ${t}\n\n  1 passing (10ms)\n  1 failing\n\n  1) cart\n       ${t}:\n     ${err}\n      at Context.<anonymous> (test/cart.test.js:9:12)`,
    (t) => t,
  ],
  [
    'go',
    (t, err) => `--- FAIL: Test${t.replace(/[^a-z]/gi, '')} (0.00s)\n    cart_test.go:12: ${err}\nFAIL\nexit status 1`,
    (t) => `Test${t.replace(/[^a-z]/gi, '')}`,
  ],
  [
    'cargo',
    (t, err) =>
      `running 2 tests\ntest cart::${t.replace(/ /g, '_')} ... FAILED\n\nfailures:\n---- cart::${t.replace(/ /g, '_')} stdout ----\nthread 'main' panicked: ${err}`,
    (t) => `cart::${t.replace(/ /g, '_')}`,
  ],
  ['TAP', (t, err) => `TAP version 13\nok 1 - adds items\nnot ok 2 - ${t}\n  ---\n  message: ${err}\n  ...`, (t) => t],
];

describe('implicit sessions: titles and failing tests', () => {
  for (const [runner, output, id] of runners) {
    it(`${runner}: names the failing test and the error, for ${NAMES.length} fresh tests`, () => {
      for (const [i, t] of NAMES.entries()) {
        const err = `AssertionError: expected ${i * 7 + 3} to equal ${i * 5}`;
        const out = output(t, err);
        assert.ok(failingTests(out).includes(id(t)), `${runner}: ${id(t)} in ${JSON.stringify(failingTests(out))}`);
        const title = implicitTitle('npm test', out);
        assert.ok(title.includes(id(t)), title);
        assert.ok(title.length <= 200 && !title.includes('\n'));
      }
    });
  }

  it('a traceback without test names gives the error; nothing at all gives the command', () => {
    assert.equal(
      implicitTitle('python app.py', 'Traceback (most recent call last):\n  File "app.py", line 3\nZeroDivisionError: division by zero\n'),
      'ZeroDivisionError: division by zero',
    );
    assert.equal(implicitTitle('make check', ''), 'Tests fail: make check');
    assert.equal(implicitTitle('  cargo   test ', '\u001b[31m\u001b[0m'), 'Tests fail: cargo test');
    const ansi = implicitTitle('pytest', '\u001b[31mFAILED\u001b[0m tests/a.py::test_x - boom');
    assert.match(ansi, /^tests\/a\.py::test_x fails/);
    const huge = implicitTitle('npm test', `${'x'.repeat(500_000)}\n    ✕ late failure\n`);
    assert.match(huge, /late failure/);
    assert.ok(failingTests(Array.from({ length: 100 }, (_, i) => `FAILED t.py::test_${i}`).join('\n')).length <= 20);
  });
});

describe('implicit sessions: resolving and dropping', () => {
  const st = (failing: string[], command = 'pytest tests/test_cart.py'): ImplicitState => ({
    sessionId: 's',
    command,
    failing,
    lastRunAt: '2026-12-06T10:00:00.000Z',
  });

  it('resolves when the same command passes, or a pass names every test that failed; never on a failing run', () => {
    assert.equal(coversFailure(st([]), { command: ' pytest  tests/test_cart.py', exitCode: 0, output: '' }), true);
    assert.equal(coversFailure(st([]), { command: 'pytest tests/test_cart.py', exitCode: 1, output: '' }), false);
    assert.equal(
      coversFailure(st([]), { command: 'pytest tests/test_other.py', exitCode: 0, output: '1 passed' }),
      false,
      'another test file passing fixes nothing',
    );
    const failing = ['tests/test_cart.py::test_total_empty_cart', 'tests/test_cart.py::test_rounds_tax_down'];
    assert.equal(
      coversFailure(st(failing), {
        command: 'pytest -k cart -v',
        exitCode: 0,
        output: 'test_total_empty_cart PASSED\ntest_rounds_tax_down PASSED',
      }),
      true,
    );
    assert.equal(
      coversFailure(st(failing), { command: 'pytest -k total -v', exitCode: 0, output: 'test_total_empty_cart PASSED' }),
      false,
      'only one of the two',
    );
    assert.equal(
      coversFailure(st(['cart › parses ISO dates'], 'npm test'), {
        command: 'npx jest cart',
        exitCode: 0,
        output: '✓ parses ISO dates (3 ms)',
      }),
      true,
    );
    assert.equal(coversFailure(st([]), { command: 'pytest tests/test_cart.py', exitCode: null, output: '' }), false);
  });

  it('drops an implicit session only after the idle time', () => {
    const s = st([]);
    assert.equal(idleExpired(s, new Date('2026-12-06T10:29:59.000Z'), 30), false);
    assert.equal(idleExpired(s, new Date('2026-12-06T10:30:00.000Z'), 30), true);
    assert.equal(idleExpired(s, new Date('2026-12-06T10:01:00.000Z'), 1), true);
  });
});
